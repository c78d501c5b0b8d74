"""Delivery of awarded challenges (项目实施与验收): milestones, reports, tranches, extension, acceptance."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.models import ChallengeAward
from matchmaker.schemas.challenges import delivery as d
from matchmaker.services.challenges import acceptance as challenge_acceptance
from matchmaker.services.challenges import delivery as challenge_delivery
from matchmaker.services.challenges import payments as challenge_payments

blp = Blueprint(
    "challenge_delivery",
    __name__,
    url_prefix="/api/v1/challenge-awards",
    description="揭榜挂帅：项目节点、进展报告、中期检查、分期拨付、延期与验收",
)


def present_award(award: ChallengeAward) -> Any:
    """The award with its reports, extension and acceptance attached for dumping."""
    award.reports = challenge_delivery.reports(award)
    award.extension = challenge_delivery.extension(award)
    award.acceptance = challenge_acceptance.acceptance_of(award)
    return award


def present_awards(awards: list[ChallengeAward]) -> list[Any]:
    """Several awards with their records attached, three queries in all (not three per award)."""
    ids = [award.id for award in awards]
    reports, extensions = challenge_delivery.reports_and_extensions(ids)
    acceptances = challenge_acceptance.acceptances_of(ids)
    for award in awards:
        award.reports = reports[award.id]
        award.extension = extensions.get(award.id)
        award.acceptance = acceptances.get(award.id)
    return awards


@blp.route("", methods=["GET"])
@blp.arguments(d.AwardQuery, location="query")
@blp.response(200, d.AwardList)
def list_awards(query):
    """Awards I may see: my team's, my challenges', my region's (staff)."""
    items = challenge_delivery.list_awards(actor=signed_in(), challenge_id=query.get("challenge_id"))
    return {"items": present_awards(items)}


@blp.route("/<int:award_id>", methods=["GET"])
@blp.response(200, d.Award)
def get_award(award_id):
    """One award with milestones, tranches, reports, extension and acceptance."""
    return present_award(challenge_delivery.award_detail(award_id, actor=signed_in()))


@blp.route("/<int:award_id>/milestones/<int:milestone_id>", methods=["PATCH"])
@blp.arguments(d.MilestoneEdit)
@blp.response(200, d.Award)
def edit_milestone(data, award_id, milestone_id):
    """Adjust a milestone not yet submitted (staff in scope)."""
    award = challenge_delivery.edit_milestone(award_id, milestone_id, actor=signed_in(), data=data)
    return present_award(award)


@blp.route("/<int:award_id>/milestones/<int:milestone_id>/submit", methods=["POST"])
@blp.arguments(d.MilestoneSubmit)
@blp.response(200, d.Award)
def submit_milestone(data, award_id, milestone_id):
    """Submit a milestone's deliverables (the team)."""
    award = challenge_delivery.submit_milestone(
        award_id, milestone_id, actor=signed_in(), content=data["content"]
    )
    return present_award(award)


@blp.route("/<int:award_id>/milestones/<int:milestone_id>/decision", methods=["POST"])
@blp.arguments(d.MilestoneDecision)
@blp.response(200, d.Award)
def decide_milestone(data, award_id, milestone_id):
    """Accept or reject a submitted milestone (staff in scope)."""
    award = challenge_delivery.decide_milestone(award_id, milestone_id, actor=signed_in(), **data)
    return present_award(award)


@blp.route("/<int:award_id>/reports", methods=["POST"])
@blp.arguments(d.ReportCreate)
@blp.response(201, d.Report)
def add_report(data, award_id):
    """File a progress report (the team)."""
    return challenge_delivery.add_report(award_id, actor=signed_in(), **data)


@blp.route("/<int:award_id>/midterm", methods=["POST"])
@blp.arguments(d.Midterm)
@blp.response(201, d.Report)
def midterm(data, award_id):
    """Record the mid-term check: pass, rectify or fail (staff in scope)."""
    return challenge_delivery.midterm_check(award_id, actor=signed_in(), **data)


@blp.route("/<int:award_id>/tranches", methods=["PUT"])
@blp.arguments(d.Tranches)
@blp.response(200, d.Award)
def set_tranches(data, award_id):
    """Plan the staged payments (sum = amount; ≥ 60% at signing unless a reason is given)."""
    award = challenge_payments.set_tranches(
        award_id, actor=signed_in(), items=data["tranches"], reason=data.get("reason")
    )
    return present_award(award)


@blp.route("/<int:award_id>/tranches/<int:tranche_id>/pay", methods=["POST"])
@blp.arguments(d.Note)
@blp.response(200, d.Award)
def pay_tranche(data, award_id, tranche_id):
    """Mark a tranche paid once its condition is met (staff in scope)."""
    award = challenge_payments.pay_tranche(award_id, tranche_id, actor=signed_in(), note=data.get("note"))
    return present_award(award)


@blp.route("/<int:award_id>/extension", methods=["POST"])
@blp.arguments(d.ExtensionCreate)
@blp.response(201, d.Extension)
def request_extension(data, award_id):
    """Ask for the one extension (the team; a second request is 409)."""
    return challenge_delivery.request_extension(award_id, actor=signed_in(), data=data)


@blp.route("/<int:award_id>/extension/decision", methods=["POST"])
@blp.arguments(d.ExtensionDecision)
@blp.response(200, d.Extension)
def decide_extension(data, award_id):
    """Approve (the due date moves) or reject the extension (staff in scope)."""
    return challenge_delivery.decide_extension(award_id, actor=signed_in(), **data)


@blp.route("/<int:award_id>/acceptance", methods=["POST"])
@blp.arguments(d.AcceptanceCreate)
@blp.response(201, d.Acceptance)
def acceptance(data, award_id):
    """Record the panel's acceptance against the core indicators (staff in scope)."""
    return challenge_acceptance.record_acceptance(award_id, actor=signed_in(), data=data)
