"""Schemas for the staff dashboard (工作台统计): query parameters and the figures returned."""

from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.reports.metrics import METRICS
from matchmaker.schemas.common import StrictSchema, region_code

FORMATS = validate.OneOf(["json", "xlsx"], error="format 应为 json 或 xlsx")


class DashboardQuery(StrictSchema):
    """Region (within the caller's scope), local dates (inclusive) and the output format."""

    region = fields.String(validate=region_code, load_default=None)
    from_ = fields.Date(data_key="from", attribute="start", load_default=None)
    to = fields.Date(attribute="end", load_default=None)
    format = fields.String(load_default="json", validate=FORMATS)


class TimeseriesQuery(DashboardQuery):
    """A metric per month."""

    metric = fields.String(
        required=True, validate=validate.OneOf(list(METRICS), error=f"metric 应为：{'、'.join(METRICS)}")
    )
    period = fields.String(
        load_default="month", validate=validate.OneOf(["month"], error="period 仅支持 month")
    )


class BreakdownQuery(DashboardQuery):
    """Per county or per top-level industry field."""

    by = fields.String(
        required=True,
        validate=validate.OneOf(
            ["county", "field", "type"], error="by 应为 county、field 或 type（合同类型）"
        ),
    )


class PendingReview(StrictSchema):
    """Listings waiting for review now."""

    count = fields.Integer()
    needs = fields.Integer()
    outputs = fields.Integer()
    oldest_wait_days = fields.Float(allow_none=True)
    average_wait_days = fields.Float(allow_none=True)


# Counts are whole numbers; amounts (万元) are decimals.
_FIGURES = {
    key: (fields.Float if m.amount is not None else fields.Integer)(metadata={"description": m.label})
    for key, m in METRICS.items()
}

Summary = type(
    "DashboardSummary",
    (StrictSchema,),
    {
        **_FIGURES,
        "contract_platform_share": fields.Float(
            allow_none=True, metadata={"description": "平台促成的吸纳技术合同成交额占比"}
        ),
        "voucher_city_share": fields.Float(
            allow_none=True, metadata={"description": "兑现创新券金额在全市占比"}
        ),
        "pending_review": fields.Nested(PendingReview),
        "region": fields.String(allow_none=True),
        "region_name": fields.String(),
        "__doc__": "Headline figures in scope (amounts in 万元).",
    },
)


class Point(StrictSchema):
    """One month's value."""

    period = fields.String()
    value = fields.Float()


class Timeseries(StrictSchema):
    """A metric month by month."""

    metric = fields.String()
    label = fields.String()
    period = fields.String()
    points = fields.List(fields.Nested(Point))


BreakdownRow = type(
    "DashboardBreakdownRow",
    (StrictSchema,),
    {"key": fields.String(), "name": fields.String(), **_FIGURES, "__doc__": "Figures of one group."},
)


class Breakdown(StrictSchema):
    """Figures per county or field."""

    by = fields.String()
    rows = fields.List(fields.Nested(BreakdownRow))


class Stage(StrictSchema):
    """One funnel step."""

    stage = fields.String()
    label = fields.String()
    count = fields.Integer()
    rate_from_previous = fields.Float(allow_none=True)
    rate_from_start = fields.Float(allow_none=True)


class Funnel(StrictSchema):
    """Matches proposed in the period and how far they got."""

    stages = fields.List(fields.Nested(Stage))
