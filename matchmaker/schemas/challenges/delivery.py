"""Schemas for the award (挂帅) and delivery of challenges: agreement, milestones, tranches, acceptance."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.models.challenges.delivery import MIDTERM_VERDICTS
from matchmaker.schemas.common import PartialSchema, StrictSchema, Text, one_of_vocab
from matchmaker.services.challenges.acceptance import ACCEPTANCE_VERDICTS
from matchmaker.services.challenges.payments import TRANCHE_CONDITIONS

MONEY = validate.Range(min=0, max=100_000_000)


class MilestoneInput(StrictSchema):
    """A milestone of the award: title, deliverables, due date."""

    title = Text(200, required=True)
    deliverables = Text(5000)
    due_date = fields.Date(required=True)


class MilestoneEdit(PartialSchema):
    """Staff adjust a milestone."""

    title = Text(200)
    deliverables = Text(5000)
    due_date = fields.Date()


class TrancheInput(StrictSchema):
    """One tranche: amount (万元), condition, and for ``milestone`` the milestone's position (from 0)."""

    amount = fields.Decimal(
        required=True, as_string=False, validate=validate.Range(min=0, min_inclusive=False)
    )
    condition = fields.String(required=True, validate=one_of_vocab(TRANCHE_CONDITIONS))
    milestone_position = fields.Integer(validate=validate.Range(min=0))
    note = Text(500)


class AwardInput(StrictSchema):
    """One winner's agreement; milestones default to the application's, the due date to the time limit."""

    application_id = fields.Integer(required=True, validate=validate.Range(min=1))
    amount = fields.Decimal(required=True, as_string=False, validate=MONEY)
    agreement_date = fields.Date(required=True)
    agreement_number = Text(40)
    due_date = fields.Date()
    milestones = fields.List(fields.Nested(MilestoneInput), validate=validate.Length(max=20))
    tranches = fields.List(fields.Nested(TrancheInput), validate=validate.Length(max=20))
    tranche_reason = Text(500)


class AwardConfirm(StrictSchema):
    """One agreement per winner."""

    awards = fields.List(fields.Nested(AwardInput), required=True, validate=validate.Length(min=1, max=20))


class Tranches(StrictSchema):
    """A new payment plan; ``reason`` when less than 60% is paid at signing."""

    tranches = fields.List(
        fields.Nested(TrancheInput), required=True, validate=validate.Length(min=1, max=20)
    )
    reason = Text(500)


class Note(StrictSchema):
    """An optional note."""

    note = Text(500)


class ReportCreate(StrictSchema):
    """A progress report, general or about one milestone."""

    content = Text(10000, required=True)
    milestone_id = fields.Integer(validate=validate.Range(min=1))


class MilestoneSubmit(StrictSchema):
    """The deliverables submitted for a milestone."""

    content = Text(10000, required=True)


class MilestoneDecision(StrictSchema):
    """Staff accept or reject a submitted milestone."""

    decision = fields.String(
        required=True,
        validate=validate.OneOf(
            ["accepted", "rejected"], error="取值应为 accepted（通过）或 rejected（退回）"
        ),
    )
    note = Text(2000)


class Midterm(StrictSchema):
    """The mid-term check's verdict and note."""

    verdict = fields.String(required=True, validate=one_of_vocab(MIDTERM_VERDICTS))
    note = Text(2000, load_default="")
    content = Text(10000)


class ExtensionCreate(StrictSchema):
    """The one extension request: until when, and why."""

    requested_until = fields.Date(required=True)
    reason = Text(2000, required=True)


class ExtensionDecision(StrictSchema):
    """Staff approve or reject the extension."""

    decision = fields.String(
        required=True,
        validate=validate.OneOf(
            ["approved", "rejected"], error="取值应为 approved（批准）或 rejected（不批准）"
        ),
    )
    note = Text(1000)


class PanelMember(StrictSchema):
    """A member of the acceptance panel."""

    name = Text(50, required=True)
    title = Text(50)
    org = Text(120)
    user_id = fields.Integer()


class IndicatorResult(StrictSchema):
    """The achieved value of one core indicator."""

    indicator_id = fields.Integer(required=True)
    achieved = fields.Float(required=True)


class AcceptanceCreate(StrictSchema):
    """The panel's acceptance (验收): results per indicator, verdict, note (容错说明 when failed)."""

    held_on = fields.Date(required=True)
    panel = fields.List(fields.Nested(PanelMember), required=True, validate=validate.Length(min=1, max=30))
    results = fields.List(fields.Nested(IndicatorResult), required=True)
    verdict = fields.String(required=True, validate=one_of_vocab(ACCEPTANCE_VERDICTS))
    note = Text(5000)


class MilestoneOut(Schema):
    """A milestone as everyone concerned sees it."""

    id = fields.Integer()
    position = fields.Integer()
    title = fields.String()
    deliverables = fields.String()
    due_date = fields.Date()
    status = fields.String()
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)


class Tranche(Schema):
    """A payment tranche."""

    id = fields.Integer()
    position = fields.Integer()
    amount = fields.Float()
    condition = fields.String()
    milestone_id = fields.Integer(allow_none=True)
    status = fields.String()
    paid_at = fields.DateTime(allow_none=True)
    note = fields.String()


class Report(Schema):
    """A progress report or mid-term check."""

    id = fields.Integer()
    milestone_id = fields.Integer(allow_none=True)
    kind = fields.String()
    content = fields.String()
    verdict = fields.String(allow_none=True)
    verdict_note = fields.String(allow_none=True)
    created_at = fields.DateTime()


class Extension(Schema):
    """The extension request."""

    id = fields.Integer()
    requested_until = fields.Date()
    reason = fields.String()
    status = fields.String()
    decision_note = fields.String(allow_none=True)
    created_at = fields.DateTime()


class Acceptance(Schema):
    """The acceptance record."""

    id = fields.Integer()
    held_on = fields.Date()
    panel = fields.List(fields.Dict())
    results = fields.List(fields.Dict())
    verdict = fields.String()
    note = fields.String()


class Award(Schema):
    """An award with its agreement and delivery."""

    id = fields.Integer()
    challenge_id = fields.Integer()
    challenge_title = fields.Function(lambda a: a.challenge.title)
    application_id = fields.Integer()
    lead_org_name = fields.Function(lambda a: a.application.lead_org.name)
    amount = fields.Float(allow_none=True)
    agreement_date = fields.Date(allow_none=True)
    agreement_number = fields.String(allow_none=True)
    due_date = fields.Date(allow_none=True)
    status = fields.String()
    outcome_note = fields.String(allow_none=True)
    confirmed_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    milestones = fields.List(fields.Nested(MilestoneOut))
    tranches = fields.List(fields.Nested(Tranche))
    reports = fields.List(fields.Nested(Report))
    extension = fields.Nested(Extension, allow_none=True)
    acceptance = fields.Nested(Acceptance, allow_none=True)


class AwardList(Schema):
    """Awards."""

    items = fields.List(fields.Nested(Award))


class AwardQuery(StrictSchema):
    """Filter awards by challenge."""

    challenge_id = fields.Integer(validate=validate.Range(min=1))
