"""Schemas for challenges (揭榜挂帅榜单): create, partial update, dump, list query, review inputs."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from matchmaker.models.challenges.lists import (
    CHALLENGE_MODES,
    CHALLENGE_STATUSES,
    IP_OWNERSHIP,
    LIST_REVIEW_DIMENSIONS,
)
from matchmaker.schemas.common import (
    CodeList,
    PageQuery,
    PartialSchema,
    StrictSchema,
    Text,
    china_datetime,
    field_code,
    one_of_vocab,
    region_code,
)
from matchmaker.schemas.listings import MONEY, ListingDump, _contact_email, _contact_phone

SCORE = validate.Range(min=0, max=100, error="评分应在 0 到 100 之间（score must be 0–100）")


class Indicator(StrictSchema):
    """A quantified core indicator: name, comparator, target value and unit."""

    name = Text(100, required=True)
    comparator = fields.String(
        load_default=">=",
        validate=validate.OneOf([">=", "<=", "="], error="比较方式应为 >=、<= 或 =（comparator）"),
    )
    target = fields.Decimal(places=4, as_string=False, required=True)
    unit = Text(20, load_default="")


class CoPoster(StrictSchema):
    """A co-posting unit: a platform organisation (org_id) or a unit named in words."""

    org_id = fields.Integer()
    name = Text(120)

    @validates_schema
    def _one_given(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("org_id") and not (data.get("name") or "").strip():
            raise ValidationError("请填写共同发榜单位的平台单位编号或名称（org_id or name）")


class Criterion(StrictSchema):
    """One weighted criterion of the application review."""

    code = fields.String(
        required=True,
        validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,29}$", error="代码应为小写字母、数字和下划线"),
    )
    name = Text(100, required=True)
    weight = fields.Float(
        required=True,
        validate=validate.Range(min=0, min_inclusive=False, max=100, error="权重应大于 0 且不超过 100"),
    )


class ChallengeCreate(StrictSchema):
    """A new 榜单 (saved as a draft); the intake check says what it still lacks."""

    title = Text(200, required=True, min_len=4)
    fields_ = CodeList(field_code, data_key="fields", attribute="fields", max_items=5, load_default=list)
    keywords = fields.List(
        fields.String(validate=validate.Length(min=1, max=30)),
        validate=validate.Length(max=12),
        load_default=list,
    )
    industry_chain = Text(100)
    region = fields.String(validate=region_code)
    co_posters = fields.List(fields.Nested(CoPoster), validate=validate.Length(max=5))
    background = Text(10_000)
    problem = Text(10_000)
    indicators = fields.List(fields.Nested(Indicator), validate=validate.Length(max=20))
    time_limit_months = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=120))
    ip_ownership = fields.String(allow_none=True, validate=one_of_vocab(IP_OWNERSHIP))
    ip_note = Text(500)
    bounty_enterprise = fields.Decimal(places=2, as_string=False, allow_none=True, validate=MONEY)
    bounty_subsidy = fields.Decimal(places=2, as_string=False, allow_none=True, validate=MONEY)
    payment_terms = Text(2000)
    conditions = Text(5000)
    contact_name = Text(50)
    contact_phone = fields.String(validate=_contact_phone)
    contact_email = fields.String(validate=[validate.Length(max=254), _contact_email])
    mode = fields.String(validate=one_of_vocab(CHALLENGE_MODES))
    max_winners = fields.Integer(validate=validate.Range(min=1, max=10))
    criteria = fields.List(fields.Nested(Criterion), validate=validate.Length(max=10))
    blind_review = fields.Boolean()


class ChallengeUpdate(PartialSchema, ChallengeCreate):
    """Partial update of a 榜单; ``indicators`` (and ``co_posters``, ``criteria``) replace the old lists."""


class Window(StrictSchema):
    """The application window set at publication (times without a zone are Beijing time)."""

    apply_opens_at = china_datetime()
    apply_closes_at = china_datetime(required=True)


class ReasonIn(StrictSchema):
    """A decision's reason (required to send a list back and to cancel a published one)."""

    reason = Text(1000)


class ListReviewIn(StrictSchema):
    """An expert's assessment of a list, recorded by staff."""

    expert_name = Text(50, required=True)
    expert_user_id = fields.Integer(allow_none=True)
    necessity = fields.Float(required=True, validate=SCORE)
    innovation = fields.Float(required=True, validate=SCORE)
    feasibility = fields.Float(required=True, validate=SCORE)
    benefit = fields.Float(required=True, validate=SCORE)
    comment = Text(2000, load_default="")


class ListReview(Schema):
    """A recorded list review."""

    id = fields.Integer()
    expert_name = fields.String()
    expert_user_id = fields.Integer(allow_none=True)
    necessity = fields.Float()
    innovation = fields.Float()
    feasibility = fields.Float()
    benefit = fields.Float()
    comment = fields.String()
    recorded_by = fields.Integer()
    created_at = fields.DateTime()


class ListReviews(Schema):
    """Every review of a list and the average per dimension (and overall)."""

    items = fields.List(fields.Nested(ListReview))
    count = fields.Integer()
    averages = fields.Dict(keys=fields.String(), values=fields.Float(allow_none=True))
    labels = fields.Dict(keys=fields.String(), values=fields.String(), dump_default=LIST_REVIEW_DIMENSIONS)


class Challenge(ListingDump):
    """A 榜单 as the viewer may see it (contacts masked by the service where the policy says)."""

    class Meta:
        exclude = ("detail", "modes")

    co_posters = fields.List(fields.Dict())
    industry_chain = fields.String()
    background = fields.String()
    problem = fields.String()
    indicators = fields.List(fields.Dict())
    time_limit_months = fields.Integer(allow_none=True)
    ip_ownership = fields.String(allow_none=True)
    ip_ownership_label = fields.String(allow_none=True)
    ip_note = fields.String()
    bounty_enterprise = fields.Float(allow_none=True)
    bounty_subsidy = fields.Float(allow_none=True)
    bounty_total = fields.Float(allow_none=True)
    payment_terms = fields.String()
    conditions = fields.String()
    mode = fields.String()
    mode_label = fields.String()
    max_winners = fields.Integer()
    criteria = fields.List(fields.Dict())
    blind_review = fields.Boolean()
    window_open = fields.Boolean()
    apply_opens_at = fields.DateTime(allow_none=True)
    apply_closes_at = fields.DateTime(allow_none=True)


class ChallengeQuery(PageQuery):
    """Filters, sort and pagination for listing challenges."""

    status = fields.String(validate=validate.OneOf(CHALLENGE_STATUSES))
    field = fields.String(validate=field_code)
    region = fields.String(validate=region_code)
    mode = fields.String(validate=one_of_vocab(CHALLENGE_MODES))
    q = Text(100)
    mine = fields.Boolean(load_default=False)
    sort = fields.String(load_default="newest", validate=validate.OneOf(["newest", "deadline", "bounty"]))


class Gap(Schema):
    """One gap of the intake check."""

    field = fields.String()
    message = fields.String()


class Intake(Schema):
    """The intake check: blocking gaps (submission refused) and advisory ones."""

    ready = fields.Boolean()
    blocking = fields.List(fields.Nested(Gap))
    advisory = fields.List(fields.Nested(Gap))


class MatchItem(Schema):
    """A research output (and its team) ranked for a challenge, with the reasons."""

    output_id = fields.Integer()
    title = fields.String()
    org_id = fields.Integer()
    org_name = fields.String()
    team_lead = fields.String()
    region = fields.String()
    score = fields.Float()
    breakdown = fields.Dict(keys=fields.String(), values=fields.Float())
    explanation = fields.String()


class Matches(Schema):
    """Ranked outputs for a challenge."""

    items = fields.List(fields.Nested(MatchItem))
