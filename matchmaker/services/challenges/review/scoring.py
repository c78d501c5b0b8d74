"""Expert review of challenge applications (专家评审): criteria, assignments with conflict checks, scoring.

Staff in scope set the weighted criteria (until the first score is submitted) and assign experts
to the submitted applications of a challenge under review; experts see only their own assignments
and score every criterion 0–100. Ranking and the shortlist live in ``challenge_ranking``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Challenge, ExpertProfile, ReviewAssignment, User
from matchmaker.models.challenges.review import weighted_total
from matchmaker.services import audit
from matchmaker.services.challenges.lists import now
from matchmaker.services.challenges.review.conflicts import conflicts_of
from matchmaker.services.challenges.review.ranking import recompute_ranking
from matchmaker.services.challenges.stages import (
    application_of,
    decide_challenge,
    require_status,
    staff_read_challenge,
)
from matchmaker.services.uow import unit_of_work

OPEN_FOR_REVIEW = ("submitted", "shortlisted")


def submitted_reviews(challenge_id: int) -> int:
    """How many reviews of the challenge have been submitted."""
    stmt = select(func.count(ReviewAssignment.id)).where(
        ReviewAssignment.challenge_id == challenge_id, ReviewAssignment.status == "submitted"
    )
    return db.session.scalar(stmt) or 0


def set_criteria(challenge_id: int, *, actor: Actor, criteria: list[dict[str, Any]]) -> Challenge:
    """Staff in scope set the weighted review criteria; refused once any score has been submitted."""
    challenge = decide_challenge(challenge_id, actor=actor, action="设置评审指标")
    require_status(challenge, "submitted", "published", "reviewing", message="评审已结束，不能再修改评审指标")
    if submitted_reviews(challenge.id):
        raise Conflict("已有专家提交评分，不能再修改评审指标")
    codes = {c["code"] for c in criteria}
    with unit_of_work():
        challenge.criteria = [{**c, "weight": float(c["weight"])} for c in criteria]
        for assignment in _assignments(challenge.id):
            assignment.scores = {k: v for k, v in (assignment.scores or {}).items() if k in codes}
            assignment.comments = {k: v for k, v in (assignment.comments or {}).items() if k in codes}
        audit.record(actor, "challenge_criteria_set", "challenge", challenge.id, criteria=challenge.criteria)
    return challenge


def _assignments(challenge_id: int) -> list[ReviewAssignment]:
    stmt = select(ReviewAssignment).where(ReviewAssignment.challenge_id == challenge_id)
    return list(db.session.scalars(stmt.order_by(ReviewAssignment.id)).unique())


def _pool_expert(expert_id: int) -> User:
    expert = db.session.get(User, expert_id)
    profile = db.session.get(ExpertProfile, expert_id)
    if expert is None or not expert.has_role("expert") or profile is None or not profile.active:
        raise ValidationFailed(errors={"expert_id": ["该用户不在专家库中"]})
    if not expert.is_active:
        raise ValidationFailed(errors={"expert_id": ["该专家账号已停用"]})
    return expert


def _conflict_flags(expert: User, application: Any, reason: str) -> list[dict[str, str]]:
    """The soft conflicts to store; 409 for a hard conflict, or a soft one without a reason."""
    found = conflicts_of(expert, application)
    hard = [c.message for c in found if c.hard]
    if hard:
        raise Conflict(f"存在利益冲突，不能分配：{'；'.join(hard)}", errors={"conflicts": hard})
    flags = [c.as_flag() for c in found]
    if flags and not reason:
        messages = [f["message"] for f in flags]
        raise Conflict(
            f"可能存在利益冲突：{'；'.join(messages)}。如确需分配，请填写说明（override_reason）",
            errors={"conflict_flags": flags},
        )
    return flags


def assign(challenge_id: int, *, actor: Actor, data: dict[str, Any]) -> ReviewAssignment:
    """Assign an expert to a submitted application; hard conflicts refuse, soft ones need a reason."""
    challenge = decide_challenge(challenge_id, actor=actor, action="分配评审专家")
    require_status(challenge, "reviewing", message="只有处于评审阶段的榜单可以分配评审专家")
    application = application_of(challenge, data["application_id"])
    if application.status not in OPEN_FOR_REVIEW:
        raise Conflict("该申请已不在评审中")
    expert = _pool_expert(data["expert_id"])
    reason = (data.get("override_reason") or "").strip()
    flags = _conflict_flags(expert, application, reason)
    try:
        with unit_of_work() as uow:
            assignment = ReviewAssignment(
                challenge_id=challenge.id,
                application_id=application.id,
                expert_id=expert.id,
                assigned_by=actor.user_id,
                status="assigned",
                conflict_flags=flags,
                override_reason=reason if flags else None,
                scores={},
                comments={},
                overall_comment="",
            )
            db.session.add(assignment)
            db.session.flush()
            audit.record(
                actor,
                "review_assign",
                "review_assignment",
                assignment.id,
                application_id=application.id,
                expert_id=expert.id,
                conflict_flags=flags,
                override_reason=reason,
            )
            notify(uow, "challenge.review_assigned", f"assignment/{assignment.id}")
    except IntegrityError:
        raise Conflict("该专家已被分配评审此申请") from None
    return assignment


def challenge_assignments(challenge_id: int, *, actor: Actor) -> list[ReviewAssignment]:
    """Every assignment of a challenge, for staff in scope (others 404)."""
    return _assignments(staff_read_challenge(challenge_id, actor=actor).id)


def my_assignments(*, actor: Actor, status: str | None = None) -> list[ReviewAssignment]:
    """The actor's own review assignments, newest first."""
    stmt = select(ReviewAssignment).where(ReviewAssignment.expert_id == actor.user_id)
    if status:
        stmt = stmt.where(ReviewAssignment.status == status)
    return list(db.session.scalars(stmt.order_by(ReviewAssignment.id.desc())).unique())


def load_assignment(assignment_id: int, *, actor: Actor) -> tuple[ReviewAssignment, bool]:
    """The assignment and whether the actor reads it as staff; the expert's own or staff in scope only."""
    assignment = db.session.get(ReviewAssignment, assignment_id)
    if assignment is None:
        raise NotFound("未找到该评审任务")
    if policy.can_review_challenge(actor, assignment.application.challenge):
        return assignment, True
    if assignment.expert_id != actor.user_id:
        raise NotFound("未找到该评审任务")
    return assignment, False


def _own_open(assignment_id: int, actor: Actor) -> ReviewAssignment:
    assignment, _ = load_assignment(assignment_id, actor=actor)
    if assignment.expert_id != actor.user_id:
        raise Forbidden("只有被分配的专家本人可以评分")
    if assignment.status != "assigned":
        raise Conflict("该评审任务已提交或已谢绝")
    require_status(assignment.application.challenge, "reviewing", message="评审阶段已结束")
    return assignment


def _check_codes(values: dict[str, Any], codes: set[str], field: str) -> None:
    unknown = sorted(set(values) - codes)
    if unknown:
        raise ValidationFailed(errors={field: [f"未知的评审指标：{'、'.join(unknown)}"]})


def save_scores(assignment_id: int, *, actor: Actor, data: dict[str, Any]) -> ReviewAssignment:
    """The expert saves scores and comments (a draft until submitted)."""
    assignment = _own_open(assignment_id, actor)
    codes = {c["code"] for c in assignment.application.challenge.criteria or []}
    _check_codes(data.get("scores", {}), codes, "scores")
    _check_codes(data.get("comments", {}), codes, "comments")
    with unit_of_work():
        for key in ("scores", "comments", "overall_comment"):
            if key in data:
                setattr(assignment, key, data[key])
        criteria = assignment.application.challenge.criteria or []
        assignment.total = weighted_total(assignment.scores or {}, criteria)
    return assignment


def submit(assignment_id: int, *, actor: Actor) -> ReviewAssignment:
    """The expert submits: every criterion must be scored; the application's ranking is updated."""
    assignment = _own_open(assignment_id, actor)
    challenge = assignment.application.challenge
    missing = [c["name"] for c in challenge.criteria or [] if c["code"] not in (assignment.scores or {})]
    if not challenge.criteria:
        raise Conflict("该榜单尚未设置评审指标")
    if missing:
        raise ValidationFailed(errors={"scores": [f"以下指标尚未评分：{'、'.join(missing)}"]})
    with unit_of_work() as uow:
        assignment.total = weighted_total(assignment.scores, challenge.criteria)
        assignment.status, assignment.submitted_at = "submitted", now()
        db.session.flush()
        recompute_ranking(challenge)
        audit.record(actor, "review_submit", "review_assignment", assignment.id, total=assignment.total)
        notify(uow, "challenge.review_submitted", f"assignment/{assignment.id}")
    return assignment


def decline(assignment_id: int, *, actor: Actor, reason: str) -> ReviewAssignment:
    """The expert declines the assignment with a reason (kept in the overall comment)."""
    assignment = _own_open(assignment_id, actor)
    with unit_of_work() as uow:
        assignment.status, assignment.overall_comment = "declined", reason
        audit.record(actor, "review_decline", "review_assignment", assignment.id, reason=reason)
        notify(uow, "challenge.review_declined", f"assignment/{assignment.id}")
    return assignment
