"""Schemas for periodic county reports (月报/季报)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.models.periodic_reports import PERIOD_KINDS
from matchmaker.schemas.common import PartialSchema, StrictSchema, Text, one_of_vocab, region_code


class ReportManualField(StrictSchema):
    """An indicator the platform cannot know, with its unit and where the number comes from."""

    name = Text(100, required=True)
    value = fields.Float(required=True)
    unit = Text(20, required=True)
    source = Text(200, required=True)


class PeriodicReportCreate(StrictSchema):
    """Open the county's report for a period: 2026-11 (month) or 2026-Q4 (quarter)."""

    region = fields.String(validate=region_code, metadata={"description": "默认为本人辖区（县区）"})
    period_kind = fields.String(required=True, validate=one_of_vocab(PERIOD_KINDS))
    period = fields.String(required=True, validate=validate.Length(min=6, max=8))
    manual = fields.List(
        fields.Nested(ReportManualField), validate=validate.Length(max=50), load_default=list
    )
    summary = Text(10_000, load_default="")


class PeriodicReportUpdate(PartialSchema):
    """Change the manual fields or the summary (draft or returned only)."""

    manual = fields.List(fields.Nested(ReportManualField), validate=validate.Length(max=50))
    summary = Text(10_000)


class ReportReview(StrictSchema):
    """The city's decision."""

    decision = fields.String(required=True, validate=validate.OneOf(["approve", "return"]))
    comment = Text(2000)


class PeriodicReportQuery(StrictSchema):
    """Filter by period."""

    period = fields.String(validate=validate.Length(max=8))


class ReportExportQuery(StrictSchema):
    """json, or the report as a file."""

    format = fields.String(load_default="json", validate=validate.OneOf(["json", "xlsx", "docx"]))


class PeriodicReport(Schema):
    """One version of a county's report."""

    id = fields.Integer()
    region = fields.String()
    region_name = fields.String()
    period_kind = fields.String()
    period = fields.String()
    version = fields.Integer()
    status = fields.String()
    locked = fields.Boolean()
    figures = fields.Dict(metadata={"description": "平台统计指标（提交时固定）"})
    manual = fields.List(fields.Dict())
    summary = fields.String()
    comment = fields.String()
    submitted_at = fields.DateTime(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)


class PeriodicReportList(Schema):
    """Reports of the caller's region."""

    items = fields.List(fields.Nested(PeriodicReport))


class ReportLateQuery(StrictSchema):
    """The period whose late counties are listed."""

    period = fields.String(required=True, validate=validate.Length(min=6, max=8))


class ReportLateCounty(Schema):
    """A county that has not submitted."""

    region = fields.String()
    region_name = fields.String()


class ReportLateList(Schema):
    """Counties of the caller's scope without a submitted report for the period."""

    items = fields.List(fields.Nested(ReportLateCounty))
