"""Schemas of 奖补 rounds: the policy, computed items, adjustment, 公示 and objections."""

from __future__ import annotations

from marshmallow import fields, validate

from matchmaker.models.contracts.filings import FILING_CATEGORIES
from matchmaker.schemas.common import StrictSchema, Text, region_code
from matchmaker.schemas.contracts.register import money

RATE = validate.Range(min=0, max=0.25, error="奖补比例应在 0～25% 之间（填写 0.10 表示 10%）")


class SubsidyRoundCreate(StrictSchema):
    """A yearly round: rates (0.10 = 10 %, at most 25 %), caps (万元), the period whose payments count."""

    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    name = Text(100, required=True)
    region = fields.String(required=True, validate=region_code)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    base_rate = fields.Decimal(required=True, as_string=False, validate=RATE)
    category_rates = fields.Dict(
        keys=fields.String(validate=validate.OneOf(list(FILING_CATEGORIES))),
        values=fields.Decimal(as_string=False, validate=RATE),
    )
    project_cap = money()
    enterprise_cap = money()


class SubsidyItem(StrictSchema):
    """One project's subsidy with its breakdown."""

    id = fields.Integer()
    filing_id = fields.Integer()
    org_id = fields.Integer()
    org_name = fields.Function(lambda i: i.filing.org.name)
    title = fields.Function(lambda i: i.filing.title)
    filing_number = fields.Function(lambda i: i.filing.filing_number)
    region = fields.String()
    paid_amount = fields.Float()
    rate = fields.Float()
    computed_amount = fields.Float()
    amount = fields.Float()
    breakdown = fields.List(fields.String())
    adjust_reason = fields.String(allow_none=True)


class SubsidyRoundSummary(StrictSchema):
    """A round: policy, status, 公示 window and total."""

    id = fields.Integer()
    year = fields.Integer()
    name = fields.String()
    region = fields.String()
    period_start = fields.Date()
    period_end = fields.Date()
    base_rate = fields.Float()
    category_rates = fields.Dict()
    project_cap = fields.Float(allow_none=True)
    enterprise_cap = fields.Float(allow_none=True)
    status = fields.String()
    publicity_starts_at = fields.DateTime(allow_none=True)
    publicity_ends_at = fields.DateTime(allow_none=True)
    approved_at = fields.DateTime(allow_none=True)
    total = fields.Function(lambda r: round(sum(float(i.amount) for i in r.items), 2))


class SubsidyRound(SubsidyRoundSummary):
    """A round with its items."""

    items = fields.List(fields.Nested(SubsidyItem))


class SubsidyRoundList(StrictSchema):
    """Rounds (without items)."""

    items = fields.List(fields.Nested(SubsidyRoundSummary))


class SubsidyItemAdjust(StrictSchema):
    """The new amount and why."""

    amount = money(required=True)
    reason = Text(500, required=True)


class SubsidyPublicityStart(StrictSchema):
    """The last day of 公示 (default: five working days)."""

    ends_on = fields.Date()


class SubsidyObjectionCreate(StrictSchema):
    """An objection to the list, optionally naming one item."""

    item_id = fields.Integer(validate=validate.Range(min=1))
    content = Text(2000, required=True, min_len=5)


class SubsidyObjection(StrictSchema):
    """An objection and how it was handled."""

    id = fields.Integer()
    round_id = fields.Integer()
    item_id = fields.Integer(allow_none=True)
    content = fields.String()
    status = fields.String()
    handling_note = fields.String(allow_none=True)
    created_at = fields.DateTime()


class SubsidyObjectionList(StrictSchema):
    """Objections."""

    items = fields.List(fields.Nested(SubsidyObjection))


class SubsidyObjectionHandle(StrictSchema):
    """upheld or dismissed, with a note."""

    decision = fields.String(required=True, validate=validate.OneOf(["upheld", "dismissed"]))
    note = Text(2000, required=True)


class SubsidyExportQuery(StrictSchema):
    """xlsx or docx."""

    format = fields.String(load_default="xlsx", validate=validate.OneOf(["xlsx", "docx"]))
