"""The review workflow of a 榜单: submit (after the intake check), publish with an application window,
send back with reasons, cancel, record expert list reviews, and close windows at their deadline.

Statuses owned here: draft -> submitted -> published | rejected; rejected -> submitted (after
edits); published -> reviewing (the window closes at its deadline, or staff in scope close it early with a
reason); draft .. publicity -> cancelled. Before
publication the poster may cancel; from publication on only staff in scope (with a reason), since
teams may already be working on it. Every decision is audited and notifies the people it concerns.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeListReview, User
from matchmaker.models.challenges.lists import LIST_REVIEW_DIMENSIONS
from matchmaker.services import audit, trust
from matchmaker.services.challenges import intake as challenge_intake
from matchmaker.services.challenges.lists import now
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import UnitOfWork, lock, unit_of_work

STATUS_LABEL = {
    "draft": "草稿",
    "submitted": "待审核",
    "rejected": "已退回",
    "published": "已发布（申报中）",
    "reviewing": "申报已截止（评审中）",
    "publicity": "公示中",
    "awarded": "已挂帅",
    "finished": "已结束",
    "cancelled": "已取消",
}
# action -> (allowed from-statuses, to-status, who may do it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (("draft", "rejected"), "submitted", "owner"),
    "publish": (("submitted",), "published", "reviewer"),
    "reject": (("submitted",), "rejected", "reviewer"),
    "close": (("published",), "reviewing", "reviewer"),
    "cancel": (
        ("draft", "submitted", "rejected", "published", "reviewing", "publicity"),
        "cancelled",
        "cancel",
    ),
}
PRE_PUBLICATION = ("draft", "submitted", "rejected")  # the poster may still cancel on its own
ACTION_LABEL = {
    "submit": "提交审核",
    "publish": "发布",
    "reject": "退回",
    "close": "提前截止申报",
    "cancel": "取消",
}


def ref(challenge: Challenge) -> str:
    """The notification reference of a challenge version."""
    return f"challenge/{challenge.id}@{challenge.version}"


def _refuse_reviewer(actor: Actor) -> None:
    raise Forbidden(
        "该榜单不在您的审核辖区内" if actor.has_role("staff") else "只有科技局工作人员可以审核榜单"
    )


def _authorize(action: str, who: str, actor: Actor, challenge: Challenge) -> None:
    if who == "cancel":
        if policy.can_review_challenge(actor, challenge):
            return  # staff in scope (and admins) may cancel at any stage before the award
        if challenge.status not in PRE_PUBLICATION:
            if policy.can_edit_challenge(actor, challenge):
                raise Forbidden("榜单发布后只能由科技局取消，请联系辖区科技局")
            _refuse_reviewer(actor)
        who = "owner"
    if who == "owner" and not policy.can_edit_challenge(actor, challenge):
        raise Forbidden("只能操作本单位的榜单")
    if who == "reviewer" and not policy.can_review_challenge(actor, challenge):
        _refuse_reviewer(actor)


def _load_for(action: str, challenge_id: int, actor: Actor) -> Challenge:
    """The challenge, with 403 for staff out of scope and 404 for those who may not know it."""
    sources, _, who = TRANSITIONS[action]
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None:
        raise NotFound("未找到该榜单")
    if not (actor.has_role("staff", "admin") or policy.can_see_challenge(actor, challenge)):
        raise NotFound("未找到该榜单")
    _authorize(action, who, actor, challenge)
    if challenge.status not in sources:
        label = STATUS_LABEL.get(challenge.status, challenge.status)
        raise Conflict(f"榜单当前状态为“{label}”，不能{ACTION_LABEL[action]}")
    return challenge


def _window(challenge: Challenge, window: dict[str, Any]) -> tuple[datetime, datetime]:
    moment = now()
    opens = window.get("apply_opens_at") or moment
    closes = window.get("apply_closes_at")
    if closes is None:
        raise ValidationFailed(errors={"apply_closes_at": ["请设置揭榜申报截止时间"]})
    if closes <= moment:
        raise ValidationFailed(errors={"apply_closes_at": ["申报截止时间必须晚于当前时间"]})
    if closes <= opens:
        raise ValidationFailed(errors={"apply_closes_at": ["申报截止时间必须晚于开始时间"]})
    return opens, closes


def _intake_or_422(challenge: Challenge) -> None:
    report = challenge_intake.check(challenge)
    if not report.ready:
        raise ValidationFailed("榜单信息尚不完整，请按提示补充后再提交", errors=report.errors())


def _apply(uow: UnitOfWork, action: str, challenge: Challenge, actor: Actor, **kw: Any) -> None:
    """Set the fields of the decision and schedule who hears about it."""
    moment = now()
    if action == "submit":
        challenge.submitted_at, challenge.reject_reason = moment, None
        notify(uow, "challenge.list_submitted", ref(challenge))
    elif action == "publish":
        challenge.apply_opens_at, challenge.apply_closes_at = kw["window"]
        challenge.published_at, challenge.reviewed_by, challenge.reject_reason = moment, actor.user_id, None
        notify(uow, "challenge.list_published", ref(challenge))
        notify(uow, "challenge.recommended", f"challenge/{challenge.id}")  # once per challenge and user
    elif action == "reject":
        challenge.reject_reason, challenge.reviewed_by = kw["reason"], actor.user_id
        notify(uow, "challenge.list_rejected", ref(challenge))
    elif action == "close":  # staff end the window before its deadline (as they may cancel the list)
        challenge.closed_at = moment
        notify(uow, "challenge.window_closed", ref(challenge))
    elif action == "cancel":
        challenge.reject_reason = kw["reason"] or challenge.reject_reason
        notify(uow, "challenge.cancelled", ref(challenge))


def transition(
    challenge_id: int,
    action: str,
    *,
    actor: Actor,
    reason: str | None = None,
    window: dict[str, Any] | None = None,
) -> Challenge:
    """Move a 榜单 through review: submit, publish (with a window), reject (with reasons), cancel."""
    challenge = _load_for(action, challenge_id, actor)
    reason = (reason or "").strip() or None
    needs_reason = action in ("reject", "close") or (
        action == "cancel" and challenge.status not in PRE_PUBLICATION
    )
    if needs_reason and not reason:
        raise ValidationFailed(errors={"reason": ["请填写原因（reason is required）"]})
    if action in ("submit", "publish"):
        trust.require_verified(challenge.org, "提交或发布榜单")
        _intake_or_422(challenge)
    opens_closes = _window(challenge, window or {}) if action == "publish" else None
    before = challenge.status
    with unit_of_work() as uow:
        if lock(challenge).status != before:  # two decisions at once (or the closing job): one wins
            raise Conflict(
                f"榜单状态已变为“{STATUS_LABEL.get(challenge.status, challenge.status)}”，请刷新后重试"
            )
        challenge.status = TRANSITIONS[action][1]
        challenge.version += 1
        challenge.updated_at = now()
        _apply(uow, action, challenge, actor, reason=reason, window=opens_closes)
        audit.record(
            actor, action, "challenge", challenge.id, reason=reason, status=challenge.status, before=before
        )
        record_change(uow, challenge)
    return challenge


def close_windows(*, actor: Actor, moment: datetime | None = None) -> list[int]:
    """Move published challenges whose application deadline has passed to ``reviewing``; their ids."""
    moment = moment or now()
    stmt = (
        select(Challenge.id)
        .where(Challenge.status == "published", Challenge.apply_closes_at <= moment)
        .order_by(Challenge.id)
    )
    closed: list[int] = []
    for challenge_id in list(db.session.scalars(stmt)):
        with unit_of_work() as uow:
            challenge = db.session.get(Challenge, challenge_id)
            if challenge is None or lock(challenge).status != "published":
                continue  # closed by a concurrent run or by staff
            challenge.status, challenge.closed_at = "reviewing", moment
            challenge.version += 1
            challenge.updated_at = moment
            audit.record(
                actor, "close_window", "challenge", challenge.id, deadline=str(challenge.apply_closes_at)
            )
            record_change(uow, challenge)
            notify(uow, "challenge.window_closed", ref(challenge))
        closed.append(challenge_id)
    return closed


def _reviewable(challenge_id: int, actor: Actor) -> Challenge:
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not (
        actor.has_role("staff", "admin") or policy.can_see_challenge(actor, challenge)
    ):
        raise NotFound("未找到该榜单")
    if not policy.can_review_challenge(actor, challenge):
        _refuse_reviewer(actor)
    return challenge


def record_list_review(challenge_id: int, *, actor: Actor, data: dict[str, Any]) -> ChallengeListReview:
    """Staff in scope record an expert's scores (necessity, innovation, feasibility, benefit) of a list."""
    challenge = _reviewable(challenge_id, actor)
    if challenge.status in ("draft", "cancelled"):
        raise Conflict("草稿或已取消的榜单不能登记专家论证意见")
    expert_id = data.get("expert_user_id")
    if expert_id is not None and db.session.get(User, expert_id) is None:
        raise ValidationFailed(errors={"expert_user_id": ["平台上没有该用户"]})
    assert actor.user_id is not None
    with unit_of_work():
        review = ChallengeListReview(challenge_id=challenge.id, recorded_by=actor.user_id, **data)
        db.session.add(review)
        db.session.flush()
        scores = {d: data[d] for d in LIST_REVIEW_DIMENSIONS}
        audit.record(actor, "list_review", "challenge", challenge.id, review_id=review.id, **scores)
    return review


def list_reviews(challenge_id: int, *, actor: Actor) -> dict[str, Any]:
    """The recorded list reviews with the average of each dimension and overall (staff in scope)."""
    challenge = _reviewable(challenge_id, actor)
    stmt = select(ChallengeListReview).where(ChallengeListReview.challenge_id == challenge.id)
    items = list(db.session.scalars(stmt.order_by(ChallengeListReview.id)))
    averages: dict[str, float | None] = {}
    for dim in LIST_REVIEW_DIMENSIONS:
        values = [float(getattr(r, dim)) for r in items]
        averages[dim] = round(sum(values) / len(values), 2) if values else None
    known = [v for v in averages.values() if v is not None]
    averages["overall"] = round(sum(known) / len(known), 2) if known else None
    return {"items": items, "count": len(items), "averages": averages}
