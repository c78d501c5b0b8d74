"""Schemas for matches: dump with both sides' public titles, lifecycle inputs, list query."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from matchmaker.matching.calibration import percent
from matchmaker.models.matches import DECLINE_REASONS, MATCH_STATUSES
from matchmaker.schemas.common import Money, StrictSchema, Text, one_of_vocab


class Side(Schema):
    """The public face of one side of a match."""

    id = fields.Integer()
    title = fields.String()
    org_id = fields.Integer()
    org_name = fields.Function(lambda listing: listing.org.name if listing.org else None)
    region = fields.String()
    status = fields.String()


class Match(Schema):
    """A match with its score breakdown, explanation and lifecycle timestamps."""

    def _percent(self, obj: Any) -> int:
        score = obj.get("score") if isinstance(obj, dict) else getattr(obj, "score", 0.0)
        return percent(float(score or 0.0))

    id = fields.Integer()
    need = fields.Nested(Side)
    output = fields.Nested(Side)
    score = fields.Float(metadata={"description": "匹配度: calibrated probability of relevance, 0..1"})
    score_percent = fields.Method("_percent", metadata={"description": "匹配度 as a whole percentage"})
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float())
    explanation = fields.String()
    status = fields.String()
    need_side = fields.String()
    output_side = fields.String()
    my_side = fields.String(allow_none=True)
    decline_side = fields.String(allow_none=True)
    decline_reason = fields.String(allow_none=True)
    agreement_date = fields.Date(allow_none=True)
    agreement_amount = fields.Float(allow_none=True)
    agreement_parties = fields.List(fields.String())
    contract_number = fields.String(allow_none=True)
    contract_amount = fields.Float(allow_none=True)
    contract_date = fields.Date(allow_none=True)
    proposed_at = fields.DateTime()
    connected_at = fields.DateTime(allow_none=True)
    negotiating_at = fields.DateTime(allow_none=True)
    agreement_at = fields.DateTime(allow_none=True)
    contract_at = fields.DateTime(allow_none=True)
    declined_at = fields.DateTime(allow_none=True)
    withdrawn_at = fields.DateTime(allow_none=True)


class MatchQuery(StrictSchema):
    """Filters for match lists."""

    status = fields.String(validate=validate.OneOf(MATCH_STATUSES))
    min_score = fields.Float(validate=validate.Range(min=0))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class Decline(StrictSchema):
    """Why a side declines."""

    reason = fields.String(required=True, validate=one_of_vocab(DECLINE_REASONS))
    note = Text(500)


class Agreement(StrictSchema):
    """合作协议: signing date, amount (万元), parties."""

    signed_on = fields.Date(required=True)
    amount = Money("协议金额", required=True)
    parties = fields.List(Text(120), validate=validate.Length(max=10))


class Contract(StrictSchema):
    """技术合同登记: registration number and amount (万元)."""

    number = Text(40, required=True)
    amount = Money("合同成交额", required=True)
    registered_on = fields.Date()


class Contacts(Schema):
    """The other side's contact details (only after both sides are interested)."""

    match_id = fields.Integer()
    org_name = fields.String()
    contact_name = fields.String()
    contact_phone = fields.String()
    contact_email = fields.String()


class MatchRun(Schema):
    """A requested match run."""

    id = fields.Integer()
    kind = fields.String()
    object_id = fields.Integer()
    reason = fields.String()
    requested_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    result = fields.Dict()
    last_error = fields.String(allow_none=True)


class Expert(Schema):
    """A researcher recommended for a need, with the matched outputs behind the recommendation."""

    user_id = fields.Integer()
    name = fields.String()
    title = fields.String()
    org_name = fields.String()
    is_expert = fields.Boolean()
    score = fields.Float()
    explanation = fields.String()
    outputs = fields.List(fields.Dict())


class ExpertList(Schema):
    """Recommended researchers, best first."""

    items = fields.List(fields.Nested(Expert))
