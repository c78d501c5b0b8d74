"""Notifications as the API and other services see them: scheduling, settings, consents, inbox, log.

Other services call ``schedule`` inside their unit of work; the job it enqueues after commit plans
and sends the deliveries (``workers.jobs.notify``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from matchmaker.announce import announce
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import (
    AnnouncedEvent,
    Consent,
    Delivery,
    InboxMessage,
    NotificationPreference,
    PendingPush,
)
from matchmaker.models.common import utcnow
from matchmaker.models.notifications import CHANNELS, CONSENT_PURPOSES
from matchmaker.notifications import dispatch, preferences, tokens
from matchmaker.notifications.causes.registry import KINDS
from matchmaker.queries.scope import region_clause
from matchmaker.services.uow import unit_of_work

schedule = announce  # the name other code and the tests know; see matchmaker.announce


def drain_pushes(limit: int = 500) -> list[int]:
    """Plan deliveries for undelivered 'match.new' pending pushes; returns the queued delivery ids."""
    stmt = (
        select(PendingPush)
        .where(PendingPush.cause == "match.new", PendingPush.delivered_at.is_(None))
        .order_by(PendingPush.id)
        .limit(limit)
    )
    queued: list[int] = []
    for push in list(db.session.scalars(stmt)):
        queued += dispatch.plan(push.cause, f"{push.object_type}/{push.object_id}", org_id=push.org_id)
        push.delivered_at = dispatch.now()
        db.session.commit()
    return queued


def announced_pending(limit: int = 500, grace: int = 0) -> list[tuple[int, str, str]]:
    """(id, cause, ref) of announcements whose deliveries are not planned yet, older than ``grace``
    seconds (younger ones most likely still have their own notify job queued), oldest first."""
    stmt = select(AnnouncedEvent.id, AnnouncedEvent.cause, AnnouncedEvent.ref).where(
        AnnouncedEvent.handled_at.is_(None)
    )
    if grace > 0:
        stmt = stmt.where(AnnouncedEvent.created_at <= utcnow() - timedelta(seconds=grace))  # row's clock
    return [tuple(row) for row in db.session.execute(stmt.order_by(AnnouncedEvent.id).limit(limit))]  # type: ignore[misc]


def mark_announced(announced_id: int, error: BaseException | None = None) -> None:
    """Record that an announcement's deliveries are planned (or why planning failed) and commit."""
    values: dict[str, Any] = {"attempts": AnnouncedEvent.attempts + 1}
    if error is None:
        values["handled_at"] = dispatch.now()
    else:
        values["last_error"] = f"{type(error).__name__}: {error}"[:1000]
    db.session.execute(
        update(AnnouncedEvent)
        .where(AnnouncedEvent.id == announced_id, AnnouncedEvent.handled_at.is_(None))
        .values(**values)
    )
    db.session.commit()


def settings(*, actor: Actor) -> dict[str, Any]:
    """The actor's preferences (every kind x channel), consents and personalisation choice."""
    assert actor.user_id is not None
    uid = actor.user_id
    prefs = [
        {"kind": kind, "label": label, "channel": ch, "enabled": preferences.wants(uid, kind, ch)}
        for kind, label in KINDS.items()
        for ch in CHANNELS
    ]
    consents = {p: preferences.consent(uid, p) for p in CONSENT_PURPOSES}
    return {"preferences": prefs, "consents": consents, "personalised": preferences.personalised_ok(uid)}


def update_preferences(*, actor: Actor, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Switch kinds of message on or off per channel."""
    assert actor.user_id is not None
    with unit_of_work():
        for item in items:
            if item["kind"] not in KINDS:
                raise ValidationFailed(errors={"kind": [f"未知的消息类型：{item['kind']}"]})
            row = db.session.scalar(
                select(NotificationPreference).filter_by(
                    user_id=actor.user_id, kind=item["kind"], channel=item["channel"]
                )
            )
            if row is None:
                row = NotificationPreference(
                    user_id=actor.user_id, kind=item["kind"], channel=item["channel"]
                )
                db.session.add(row)
            row.enabled, row.source = item["enabled"], "settings"
    return settings(actor=actor)


def record_consent(
    *, user_id: int, purpose: str, granted: bool, source: str, ip: str | None = None
) -> Consent:
    """Append a consent given or withdrawn, with time and source, in the caller's transaction."""
    row = Consent(
        user_id=user_id, purpose=purpose, granted=granted, source=source, ip=ip, recorded_at=dispatch.now()
    )
    db.session.add(row)
    return row


def give_consent(*, actor: Actor, purpose: str, granted: bool, source: str) -> dict[str, Any]:
    """The actor records a consent (email, sms) or the personalisation choice."""
    assert actor.user_id is not None
    with unit_of_work():
        record_consent(user_id=actor.user_id, purpose=purpose, granted=granted, source=source, ip=actor.ip)
    return settings(actor=actor)


def unsubscribe(token: str) -> dict[str, str]:
    """One-click unsubscribe: switch the token's kind off on its channel (idempotent)."""
    found = tokens.read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    if found is None or found[1] not in KINDS:
        raise NotFound("退订链接无效或已损坏")
    user_id, kind, channel = found
    with unit_of_work():
        row = db.session.scalar(
            select(NotificationPreference).filter_by(user_id=user_id, kind=kind, channel=channel)
        )
        if row is None:
            row = NotificationPreference(user_id=user_id, kind=kind, channel=channel)
            db.session.add(row)
        row.enabled, row.source = False, "unsubscribe"
    return {"message": f"已退订“{KINDS[kind]}”邮件，可随时在通知设置中重新开启"}


def inbox(*, actor: Actor, unread_only: bool, page: int, per_page: int) -> dict[str, Any]:
    """The actor's inbox, newest first, with the unread count."""
    stmt = select(InboxMessage).where(InboxMessage.user_id == actor.user_id)
    if unread_only:
        stmt = stmt.where(InboxMessage.read_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(InboxMessage.id.desc()).limit(per_page).offset((page - 1) * per_page)
    )
    return {
        "items": list(rows),
        "total": total,
        "page": page,
        "per_page": per_page,
        "unread": unread(actor=actor),
    }


def unread(*, actor: Actor) -> int:
    """How many inbox messages the actor has not read."""
    stmt = select(func.count(InboxMessage.id)).where(
        InboxMessage.user_id == actor.user_id, InboxMessage.read_at.is_(None)
    )
    return db.session.scalar(stmt) or 0


def mark_read(message_id: int, *, actor: Actor) -> InboxMessage:
    """Mark one of the actor's messages read; another user's message is 404."""
    row = db.session.get(InboxMessage, message_id)
    if row is None or row.user_id != actor.user_id:
        raise NotFound("未找到该消息")
    if row.read_at is None:
        with unit_of_work():
            row.read_at = dispatch.now()
    return row


def mark_all_read(*, actor: Actor) -> int:
    """Mark all the actor's messages read; returns how many changed."""
    with unit_of_work():
        result = db.session.execute(
            update(InboxMessage)
            .where(InboxMessage.user_id == actor.user_id, InboxMessage.read_at.is_(None))
            .values(read_at=dispatch.now())
        )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


@dataclass
class DeliveryFilter:
    """Filters of the delivery log."""

    status: str | None = None
    cause: str | None = None
    channel: str | None = None
    user_id: int | None = None
    page: int = 1
    per_page: int = 20


def deliveries(*, actor: Actor, filters: DeliveryFilter) -> tuple[list[Delivery], int]:
    """The delivery log: admins see all, staff their region's users, others nothing (403)."""
    stmt = select(Delivery)
    if not policy.is_admin(actor):
        if not (actor.has_role("staff") and actor.user and actor.user.region_scope):
            raise Forbidden("只有科技局工作人员和管理员可以查看发送记录")
        stmt = stmt.where(region_clause(Delivery.region, actor.user.region_scope))
    for name in ("status", "cause", "channel", "user_id"):
        value = getattr(filters, name)
        if value is not None:
            stmt = stmt.where(getattr(Delivery, name) == value)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Delivery.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(rows), total
