"""Schemas for applications (揭榜申请): create, partial update, dump, list query."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from matchmaker.models.challenges.lists import APPLICATION_STATUSES, MAX_CONSORTIUM_MEMBERS
from matchmaker.schemas.common import PageQuery, PartialSchema, StrictSchema, Text
from matchmaker.schemas.listings import MONEY, _contact_email, _contact_phone


class Member(StrictSchema):
    """A consortium member: a platform organisation (org_id) or a unit named in words, and its share."""

    org_id = fields.Integer()
    name = Text(120)
    role = Text(200, load_default="")

    @validates_schema
    def _one_given(self, data: dict[str, Any], **_: Any) -> None:
        if not data.get("org_id") and not (data.get("name") or "").strip():
            raise ValidationError("请填写联合体成员的平台单位编号或单位名称（org_id or name）")


class ProposedMilestone(StrictSchema):
    """A milestone the team proposes: month it is due (from the start), deliverable and budget (万元)."""

    title = Text(100, required=True)
    months = fields.Integer(required=True, validate=validate.Range(min=1, max=120))
    deliverable = Text(500, load_default="")
    budget = fields.Decimal(places=2, as_string=False, required=True, validate=MONEY)


class ApplicationCreate(StrictSchema):
    """A new application (saved as a draft; submit it once the commitment is signed)."""

    pi_name = Text(50, required=True)
    pi_title = Text(50)
    pi_phone = fields.String(validate=_contact_phone)
    pi_email = fields.String(validate=[validate.Length(max=254), _contact_email])
    plan = Text(20_000)
    basis = Text(20_000)
    milestones = fields.List(fields.Nested(ProposedMilestone), validate=validate.Length(max=12))
    members = fields.List(
        fields.Nested(Member),
        validate=validate.Length(
            max=MAX_CONSORTIUM_MEMBERS,
            error=f"联合体成员最多 {MAX_CONSORTIUM_MEMBERS} 家（at most {MAX_CONSORTIUM_MEMBERS} members）",
        ),
    )
    commitment = Text(5000)
    commitment_signed = fields.Boolean()


class ApplicationUpdate(PartialSchema, ApplicationCreate):
    """Partial update of an application; ``members`` and ``milestones`` replace the old lists."""


class WithdrawIn(StrictSchema):
    """Why the team withdraws (optional)."""

    reason = Text(500)


class Application(Schema):
    """An application as the viewer may see it."""

    id = fields.Integer()
    challenge_id = fields.Integer()
    challenge_title = fields.String()
    lead_org_id = fields.Integer()
    lead_org_name = fields.String(allow_none=True)
    submitted_by = fields.Integer()
    members = fields.List(fields.Dict())
    pi_name = fields.String()
    pi_title = fields.String()
    pi_phone = fields.String()
    pi_email = fields.String()
    plan = fields.String()
    basis = fields.String()
    milestones = fields.List(fields.Dict())
    budget_total = fields.Float(allow_none=True)
    commitment = fields.String()
    commitment_signed = fields.Boolean()
    status = fields.String()
    version = fields.Integer()
    score = fields.Float(allow_none=True)
    rank = fields.Integer(allow_none=True)
    editable = fields.Boolean()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)


class ApplicationQuery(PageQuery):
    """Filters and pagination for listing applications."""

    mine = fields.Boolean(load_default=False)
    challenge_id = fields.Integer()
    status = fields.String(validate=validate.OneOf(APPLICATION_STATUSES))


class ApplicationList(Schema):
    """Applications to one challenge."""

    items = fields.List(fields.Nested(Application))
    total = fields.Integer()
