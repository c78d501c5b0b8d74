"""Query of the compiled catalogue export (需求信息汇编 / 成果汇编)."""

from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.schemas.common import StrictSchema, region_code


class CatalogueQuery(StrictSchema):
    """Kind, region, publication period (inclusive local dates) and file format."""

    kind = fields.String(
        required=True, validate=validate.OneOf(["need", "output"], error="kind 应为 need 或 output")
    )
    region = fields.String(validate=region_code, load_default=None)
    from_ = fields.Date(data_key="from", attribute="start", load_default=None)
    to = fields.Date(attribute="end", load_default=None)
    format = fields.String(
        load_default="xlsx", validate=validate.OneOf(["xlsx", "docx"], error="format 应为 xlsx 或 docx")
    )
