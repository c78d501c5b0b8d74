"""Schemas for output pushes to a county (成果推送): compilations, their outputs, reactions."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.schemas.common import StrictSchema, Text, region_code


class CompilationCreate(StrictSchema):
    """A new compilation for a region of the caller's scope (their own by default)."""

    title = Text(200, required=True, min_len=4)
    region = fields.String(validate=region_code)


class OutputIds(StrictSchema):
    """Published outputs to add by hand."""

    output_ids = fields.List(fields.Integer(), required=True, validate=validate.Length(min=1, max=200))


class SuggestIn(StrictSchema):
    """How many of the best-matched outputs to add."""

    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CompiledOutput(Schema):
    """One output of a compilation, and why it is there."""

    output_id = fields.Integer()
    title = fields.String()
    org_name = fields.String()
    output_region = fields.String()
    source = fields.String(metadata={"description": "manual（人工选入）或 matched（按需求匹配）"})
    need_id = fields.Integer(allow_none=True)
    score = fields.Float(allow_none=True)
    explanation = fields.String()
    reactions = fields.Integer(allow_none=True, metadata={"description": "请求对接的企业数（科技局可见）"})


class Compilation(Schema):
    """A compilation of outputs for a county."""

    id = fields.Integer()
    title = fields.String()
    region = fields.String()
    region_name = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    pushed_at = fields.DateTime(allow_none=True)
    pushed_orgs = fields.Integer()
    reacted_orgs = fields.Integer(allow_none=True)
    items = fields.List(fields.Nested(CompiledOutput))


class CompilationList(Schema):
    """Compilations the caller may read."""

    items = fields.List(fields.Nested(Compilation))


class Reaction(Schema):
    """An enterprise's request to be put in touch about a pushed output."""

    id = fields.Integer()
    compilation_id = fields.Integer()
    output_id = fields.Integer()
    org_id = fields.Integer()
    at = fields.DateTime()
