"""Schemas for expert review, 公示 and objections of challenges (专家评审、公示、异议)."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from matchmaker.models.challenges.review import ASSIGNMENT_STATUSES
from matchmaker.schemas.challenges.lists import Criterion
from matchmaker.schemas.common import CodeList, StrictSchema, Text, field_code

SCORE = validate.Range(min=0, max=100)
IDS = fields.List(
    fields.Integer(validate=validate.Range(min=1)), required=True, validate=validate.Length(min=1, max=50)
)


class ExpertProfileSave(StrictSchema):
    """An expert's own profile: fields, specialties, title, whether they take assignments."""

    fields_ = CodeList(
        field_code,
        required=True,
        data_key="fields",
        attribute="fields",
        validate=validate.Length(min=1, max=10),
    )
    specialties = Text(500)
    title = Text(50)
    active = fields.Boolean()


class PoolEntry(Schema):
    """An expert in the pool (institution = the user's organisation); score and reasons in suggestions."""

    user_id = fields.Function(lambda e: e.profile.user_id)
    name = fields.Function(lambda e: e.profile.user.name)
    institution = fields.Function(lambda e: e.profile.user.org.name if e.profile.user.org else None)
    fields_ = fields.Function(lambda e: list(e.profile.fields or []), data_key="fields")
    specialties = fields.Function(lambda e: e.profile.specialties)
    title = fields.Function(lambda e: e.profile.title)
    active = fields.Function(lambda e: e.profile.active)
    score = fields.Float(allow_none=True)
    reasons = fields.List(fields.String())
    conflicts = fields.List(fields.Dict())


class PoolList(Schema):
    """Experts in the pool."""

    items = fields.List(fields.Nested(PoolEntry))


class PoolQuery(StrictSchema):
    """Filter the pool by field; with an application, experts with a hard conflict are left out."""

    field = fields.String(validate=field_code)
    application_id = fields.Integer(validate=validate.Range(min=1))


class ExpertSuggestQuery(StrictSchema):
    """How many suggestions."""

    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class CriteriaSet(StrictSchema):
    """The challenge's weighted criteria (codes unique)."""

    criteria = fields.List(fields.Nested(Criterion), required=True, validate=validate.Length(min=1, max=10))

    @validates_schema
    def _unique(self, data: dict[str, Any], **_: Any) -> None:
        codes = [c["code"] for c in data.get("criteria", [])]
        if len(codes) != len(set(codes)):
            raise ValidationError("指标代码不能重复", "criteria")


class AssignmentCreate(StrictSchema):
    """Assign an expert to an application; ``override_reason`` accepts flagged (soft) conflicts."""

    application_id = fields.Integer(required=True, validate=validate.Range(min=1))
    expert_id = fields.Integer(required=True, validate=validate.Range(min=1))
    override_reason = Text(500)


class Scores(StrictSchema):
    """An expert's scores (0–100 per criterion), comments per criterion and overall comment."""

    scores = fields.Dict(keys=fields.String(), values=fields.Float(validate=SCORE))
    comments = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.Length(max=2000)))
    overall_comment = Text(5000)


class DeclineAssignment(StrictSchema):
    """Why the expert declines."""

    reason = Text(500, required=True)


class AssignmentQuery(StrictSchema):
    """Filter my assignments by status."""

    status = fields.String(validate=validate.OneOf(ASSIGNMENT_STATUSES))


class Assignment(Schema):
    """A review assignment with the application as the reader may see it."""

    id = fields.Integer()
    challenge_id = fields.Integer()
    challenge_title = fields.String()
    application = fields.Dict()
    expert_id = fields.Integer()
    expert_name = fields.String()
    status = fields.String()
    criteria = fields.List(fields.Dict())
    scores = fields.Dict()
    comments = fields.Dict()
    overall_comment = fields.String()
    total = fields.Float(allow_none=True)
    conflict_flags = fields.List(fields.Dict())
    override_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)


class AssignmentList(Schema):
    """Review assignments."""

    items = fields.List(fields.Nested(Assignment))


class RankingRow(Schema):
    """One application in the ranking."""

    application_id = fields.Integer()
    lead_org_name = fields.String()
    status = fields.String()
    score = fields.Float(allow_none=True)
    rank = fields.Integer(allow_none=True)
    reviews = fields.Integer()
    spread = fields.Float(allow_none=True)


class Ranking(Schema):
    """The ranking of a challenge's applications by weighted average."""

    challenge_id = fields.Integer()
    criteria = fields.List(fields.Dict())
    items = fields.List(fields.Nested(RankingRow))


class Shortlist(StrictSchema):
    """Exactly the applications to shortlist."""

    application_ids = fields.List(fields.Integer(validate=validate.Range(min=1)), required=True)


class MyResult(Schema):
    """An applicant's own review summary."""

    application_id = fields.Integer()
    status = fields.String()
    score = fields.Float(allow_none=True)
    rank = fields.Integer(allow_none=True)
    ranked = fields.Integer()
    reviews = fields.Integer()
    criteria = fields.List(fields.Dict())
    comments = fields.List(fields.String())


class Publicity(StrictSchema):
    """The proposed winner(s) and, optionally, the last day of 公示."""

    application_ids = IDS
    ends_on = fields.Date()


class ObjectionCreate(StrictSchema):
    """An objection during 公示, optionally against one proposed team."""

    application_id = fields.Integer(validate=validate.Range(min=1))
    content = Text(5000, required=True)
    contact_name = Text(50)
    contact_phone = Text(20)


class ObjectionHandle(StrictSchema):
    """How staff handled an objection."""

    decision = fields.String(
        required=True,
        validate=validate.OneOf(
            ["upheld", "dismissed"], error="取值应为 upheld（成立）或 dismissed（不成立）"
        ),
    )
    note = Text(2000, required=True)


class Objection(Schema):
    """An objection with its handling."""

    id = fields.Integer()
    challenge_id = fields.Integer()
    application_id = fields.Integer(allow_none=True)
    content = fields.String()
    status = fields.String()
    handling_note = fields.String(allow_none=True)
    created_at = fields.DateTime()
    handled_at = fields.DateTime(allow_none=True)


class ObjectionList(Schema):
    """Objections."""

    items = fields.List(fields.Nested(Objection))


class Result(Schema):
    """The public result of a challenge once 公示 has started."""

    challenge_id = fields.Integer()
    title = fields.String()
    mode = fields.String()
    status = fields.String()
    publicity_starts_at = fields.DateTime(allow_none=True)
    publicity_ends_at = fields.DateTime(allow_none=True)
    teams = fields.List(fields.Dict())
