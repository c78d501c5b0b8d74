"""Delivery of an award (项目实施): milestones, progress reports, the mid-term check and the one extension.

The team (lead unit and consortium members) reports progress and submits milestone deliverables;
staff in scope accept or reject milestones, record the mid-term check (pass / rectify / fail) and
decide the extension request (at most one per award; approval moves the due date). Payments are in
``challenge_payments``, acceptance (验收) in ``challenge_acceptance``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import (
    Challenge,
    ChallengeApplication,
    ChallengeAward,
    DeliveryMilestone,
    ExtensionRequest,
    ProgressReport,
)
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.challenges.lists import now
from matchmaker.services.challenges.stages import decide_award, load_award, require_delivering, team_award
from matchmaker.services.uow import unit_of_work


def list_awards(*, actor: Actor, challenge_id: int | None = None) -> list[ChallengeAward]:
    """Awards the actor may see: its own team's, its challenges', its region's (staff), all (admin)."""
    stmt = select(ChallengeAward).join(Challenge, Challenge.id == ChallengeAward.challenge_id)
    if not policy.is_admin(actor):
        clauses = []
        if actor.org_id is not None:
            teams = select(ChallengeApplication.id).where(
                or_(
                    ChallengeApplication.lead_org_id == actor.org_id,
                    ChallengeApplication.members.any(org_id=actor.org_id),
                )
            )
            clauses += [Challenge.org_id == actor.org_id, ChallengeAward.application_id.in_(teams)]
        if actor.has_role("staff") and actor.user and actor.user.region_scope:
            clauses.append(region_clause(ChallengeAward.region, actor.user.region_scope))
        if not clauses:
            return []
        stmt = stmt.where(or_(*clauses))
    if challenge_id is not None:
        stmt = stmt.where(ChallengeAward.challenge_id == challenge_id)
    return list(db.session.scalars(stmt.order_by(ChallengeAward.id)).unique())


def reports(award: ChallengeAward) -> list[ProgressReport]:
    """The award's progress reports and mid-term checks, oldest first."""
    stmt = select(ProgressReport).where(ProgressReport.award_id == award.id).order_by(ProgressReport.id)
    return list(db.session.scalars(stmt))


def extension(award: ChallengeAward) -> ExtensionRequest | None:
    """The award's extension request, if it made one."""
    return db.session.scalar(select(ExtensionRequest).where(ExtensionRequest.award_id == award.id))


def reports_and_extensions(
    award_ids: list[int],
) -> tuple[dict[int, list[ProgressReport]], dict[int, ExtensionRequest]]:
    """Progress reports (oldest first) and extension requests of several awards, two queries in all."""
    found: dict[int, list[ProgressReport]] = {award_id: [] for award_id in award_ids}
    stmt = select(ProgressReport).where(ProgressReport.award_id.in_(award_ids)).order_by(ProgressReport.id)
    for report in db.session.scalars(stmt):
        found[report.award_id].append(report)
    asked = db.session.scalars(select(ExtensionRequest).where(ExtensionRequest.award_id.in_(award_ids)))
    return found, {request.award_id: request for request in asked}


def _milestone(award: ChallengeAward, milestone_id: int) -> DeliveryMilestone:
    found = next((m for m in award.milestones if m.id == milestone_id), None)
    if found is None:
        raise NotFound("未找到该节点")
    return found


def edit_milestone(award_id: int, milestone_id: int, *, actor: Actor, data: dict[str, Any]) -> ChallengeAward:
    """Staff adjust a milestone's title, deliverables or due date until it is submitted."""
    award = decide_award(award_id, actor=actor, action="调整项目节点")
    require_delivering(award)
    milestone = _milestone(award, milestone_id)
    if milestone.status in ("submitted", "accepted"):
        raise Conflict("该节点已提交或已通过，不能再修改")
    with unit_of_work():
        for key, value in data.items():
            setattr(milestone, key, value)
        if "due_date" in data:
            milestone.reminded_at = None
        audit.record(actor, "milestone_edit", "challenge_milestone", milestone.id, fields=sorted(data))
    return award


def add_report(
    award_id: int, *, actor: Actor, content: str, milestone_id: int | None = None
) -> ProgressReport:
    """The team files a progress report, general or about one milestone."""
    award = team_award(award_id, actor=actor, action="提交进展报告")
    require_delivering(award)
    if milestone_id is not None:
        _milestone(award, milestone_id)
    with unit_of_work() as uow:
        report = ProgressReport(
            award_id=award.id,
            milestone_id=milestone_id,
            kind="progress",
            content=content,
            submitted_by=actor.user_id,
        )
        db.session.add(report)
        db.session.flush()
        audit.record(actor, "progress_report", "challenge_award", award.id, report_id=report.id)
        notify(uow, "challenge.progress_reported", f"report/{report.id}")
    return report


def submit_milestone(award_id: int, milestone_id: int, *, actor: Actor, content: str) -> ChallengeAward:
    """The team submits a milestone's deliverables (again after a rejection)."""
    award = team_award(award_id, actor=actor, action="提交节点成果")
    require_delivering(award)
    milestone = _milestone(award, milestone_id)
    if milestone.status not in ("pending", "rejected"):
        raise Conflict("该节点已提交或已通过")
    with unit_of_work() as uow:
        milestone.status, milestone.submitted_at = "submitted", now()
        report = ProgressReport(
            award_id=award.id,
            milestone_id=milestone.id,
            kind="progress",
            content=content,
            submitted_by=actor.user_id,
        )
        db.session.add(report)
        audit.record(actor, "milestone_submit", "challenge_milestone", milestone.id)
        notify(
            uow,
            "challenge.milestone_submitted",
            f"milestone/{milestone.id}@{int(milestone.submitted_at.timestamp())}",
        )
    return award


def decide_milestone(
    award_id: int, milestone_id: int, *, actor: Actor, decision: str, note: str | None = None
) -> ChallengeAward:
    """Staff accept or reject a submitted milestone (a rejection needs a note)."""
    award = decide_award(award_id, actor=actor, action="验收项目节点")
    require_delivering(award)
    milestone = _milestone(award, milestone_id)
    if milestone.status != "submitted":
        raise Conflict("该节点尚未提交成果")
    if decision == "rejected" and not (note or "").strip():
        raise ValidationFailed(errors={"note": ["退回节点成果时请说明原因"]})
    with unit_of_work() as uow:
        milestone.status, milestone.decided_at = decision, now()
        audit.record(
            actor, "milestone_decide", "challenge_milestone", milestone.id, decision=decision, note=note
        )
        notify(
            uow,
            "challenge.milestone_decided",
            f"milestone/{milestone.id}@{int(milestone.decided_at.timestamp())}",
        )
    return award


def midterm_check(
    award_id: int, *, actor: Actor, verdict: str, note: str, content: str = ""
) -> ProgressReport:
    """Staff record the mid-term check (中期检查) with its verdict: pass, rectify or fail."""
    award = decide_award(award_id, actor=actor, action="开展中期检查")
    require_delivering(award)
    if verdict != "pass" and not note.strip():
        raise ValidationFailed(errors={"note": ["限期整改或不通过时请填写检查意见"]})
    with unit_of_work() as uow:
        report = ProgressReport(
            award_id=award.id,
            kind="midterm",
            content=content or "中期检查",
            submitted_by=actor.user_id,
            verdict=verdict,
            verdict_note=note,
            decided_by=actor.user_id,
            decided_at=now(),
        )
        db.session.add(report)
        db.session.flush()
        audit.record(
            actor, "midterm_check", "challenge_award", award.id, verdict=verdict, report_id=report.id
        )
        notify(uow, "challenge.midterm_checked", f"report/{report.id}")
    return report


def request_extension(award_id: int, *, actor: Actor, data: dict[str, Any]) -> ExtensionRequest:
    """The team asks for its one extension (延期); a second request is refused."""
    award = team_award(award_id, actor=actor, action="申请延期")
    require_delivering(award)
    if extension(award) is not None:
        raise Conflict("每个项目只能申请一次延期")
    if award.due_date and data["requested_until"] <= award.due_date:
        raise ValidationFailed(
            errors={"requested_until": [f"延期后的截止日期应晚于当前截止日期 {award.due_date}"]}
        )
    try:
        with unit_of_work() as uow:
            request = ExtensionRequest(
                award_id=award.id, requested_by=actor.user_id, status="pending", **data
            )
            db.session.add(request)
            db.session.flush()
            audit.record(
                actor, "extension_request", "challenge_award", award.id, until=str(data["requested_until"])
            )
            notify(uow, "challenge.extension_requested", f"extension/{request.id}")
    except IntegrityError:
        raise Conflict("每个项目只能申请一次延期") from None
    return request


def decide_extension(
    award_id: int, *, actor: Actor, decision: str, note: str | None = None
) -> ExtensionRequest:
    """Staff approve (the due date moves) or reject the pending extension request."""
    award = decide_award(award_id, actor=actor, action="审批延期申请")
    request = extension(award)
    if request is None:
        raise NotFound("该项目没有延期申请")
    if request.status != "pending":
        raise Conflict("该延期申请已审批")
    with unit_of_work() as uow:
        request.status, request.decision_note = decision, note
        request.decided_by, request.decided_at = actor.user_id, now()
        if decision == "approved":
            award.due_date = request.requested_until
        audit.record(actor, "extension_decide", "challenge_award", award.id, decision=decision)
        notify(uow, "challenge.extension_decided", f"extension/{request.id}")
    return request


def award_detail(award_id: int, *, actor: Actor) -> ChallengeAward:
    """The award with milestones, tranches, reports, extension and acceptance (team, poster, staff)."""
    return load_award(award_id, actor=actor)
