"""Planning and sending deliveries: one row per (cause, object, channel, user), each sent at most once.

``plan`` turns an event into Delivery rows, queued or suppressed (with the rule that stopped them).
``send`` applies the time rules (SMS quiet hours, frequency caps), claims the row with a conditional
update so two workers can never both send it, calls the channel, and records the outcome: sent
(with the provider id), queued again for a retry (transient error), or failed (permanent error, or
attempts exhausted). ``send_due`` is the periodic sweep for deferred rows and retries;
``resolve_interrupted`` settles sends a dying worker left open (e-mail goes again under the same
Message-ID).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from matchmaker.extensions import db
from matchmaker.models import Delivery, InboxMessage, User
from matchmaker.models.common import utcnow
from matchmaker.notifications import causes, links, preferences, render, rules, sms_cap, tokens
from matchmaker.notifications.channels import DeliveryError, Outgoing, email_channel, sms_channel

log = logging.getLogger(__name__)
RETRY_WAITS = (60, 300, 1800, 7200)  # seconds before attempt 2, 3, 4, 5


def now() -> datetime:
    """The notification clock; tests inject NOTIFY_CLOCK (a callable returning an aware datetime)."""
    clock: Callable[[], datetime] | None = current_app.config.get("NOTIFY_CLOCK")
    return clock() if clock else utcnow()


def _address(user: User, channel: str) -> str | None:
    return {"email": user.email, "sms": user.phone, "inbox": str(user.id)}.get(channel)


def _region(user: User) -> str | None:
    return user.org.region if user.org else user.region_scope


def content_for(cause: causes.Cause, channel: str, context: dict[str, Any], user: User) -> dict[str, Any]:
    """The rendered message for one channel, stored on the delivery row."""
    if channel == "sms":
        params = {key: render.shorten(context[key]) for key in cause.sms_params}
        codes = current_app.config.get("SMS_TEMPLATES") or {}
        return {
            "template_code": codes.get(cause.name, cause.name),
            "params": params,
            "text": render.text(cause.sms or "", params),
        }
    subject = render.text(cause.subject, context)
    lines = [render.text(line, context) for line in cause.lines]
    if channel == "inbox":
        return {"title": subject, "body": "\n".join(lines), "link": context.get("link")}
    unsubscribe = None
    if not cause.transactional:
        token = tokens.unsubscribe_token(current_app.config["SECRET_KEY"], user.id, cause.kind)
        unsubscribe = links.link("unsubscribe", token=token)
    full = {
        **context,
        "subject": subject,
        "lines": lines,
        "user_name": user.name,
        "platform": "产学研对接平台",
        "unsubscribe_url": unsubscribe,
    }
    full.setdefault("link", None)
    plain, html = render.email(cause.email_template, full)
    return {"subject": subject, "text": plain, "html": html, "unsubscribe_url": unsubscribe}


def _insert(row: Delivery) -> bool:
    """Add the row unless its key exists (a concurrent planner may win the race)."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return True
    except IntegrityError:
        return False


def plan(cause_name: str, ref: str, **extra: Any) -> list[int]:
    """Create the deliveries of an event and commit; returns the ids of newly queued rows."""
    cause = causes.get(cause_name)
    event = cause.loader(ref, extra) if cause.loader else None
    if event is None:
        return []
    queued: list[int] = []
    for user in db.session.scalars(select(User).where(User.id.in_(event.recipients))).unique():
        context = dict(event.context)
        if event.per_user is not None:
            mine = event.per_user(user)
            if mine is None:
                continue
            context.update(mine)
        queued += plan_user(cause, ref, user, context)
    db.session.commit()
    return queued


def plan_user(cause: causes.Cause, ref: str, user: User, context: dict[str, Any]) -> list[int]:
    """Deliveries for one user on each of the cause's channels (existing keys are left alone)."""
    queued = []
    for channel in cause.channels:
        key = (Delivery.cause == cause.name, Delivery.object_ref == ref)
        mine = (Delivery.channel == channel, Delivery.user_id == user.id)
        if db.session.scalar(select(Delivery.id).where(*key, *mine)) is not None:
            continue
        address = _address(user, channel)
        rule = "no_address" if not address else None
        rule = rule or preferences.blocking_rule(
            user.id, cause.kind, channel, personalised=cause.personalised
        )
        rule = rule or _push_cap(cause, user.id, channel)
        row = Delivery(
            cause=cause.name,
            object_ref=ref,
            channel=channel,
            user_id=user.id,
            region=_region(user),
            address=address,
            status="suppressed" if rule else "queued",
            rule=rule,
            content={} if rule else content_for(cause, channel, context, user),
            created_at=now(),
        )
        if _insert(row) and not rule:
            queued.append(row.id)
    return queued


def _push_cap(cause: causes.Cause, user_id: int, channel: str) -> str | None:
    """Recommendations beyond the daily allowance stay in the inbox (and the weekly digest) only."""
    if not cause.personalised or channel == "inbox":
        return None
    since = now() - timedelta(days=1)
    stmt = select(func.count(Delivery.id)).where(
        Delivery.cause == cause.name,
        Delivery.user_id == user_id,
        Delivery.channel == channel,
        Delivery.status.in_(("queued", "sending", "sent", "deferred")),
        Delivery.created_at > since,
    )
    if (db.session.scalar(stmt) or 0) >= current_app.config["NOTIFY_MAX_PUSHES_PER_DAY"]:
        return "push_daily_cap"
    return None


def _sms_rule(row: Delivery, at: datetime) -> tuple[str, datetime] | None:
    """Quiet hours and caps for an SMS: (rule, when to try again), or None when it may go now."""
    cfg = current_app.config
    window = cfg["SMS_QUIET_HOURS"]
    until = rules.quiet_until(at, window)
    if until is not None:
        return "quiet_hours", until
    sent = select(func.count(Delivery.id)).where(Delivery.channel == "sms", Delivery.status == "sent")
    today = db.session.scalar(
        sent.where(Delivery.address == row.address, Delivery.sent_at >= rules.day_start(at))
    )
    if (today or 0) >= cfg["SMS_MAX_PER_NUMBER_PER_DAY"]:
        return "cap_number_daily", rules.next_day_morning(at, window)
    hour_ago = at - timedelta(hours=1)
    recent = select(Delivery.sent_at).where(
        Delivery.channel == "sms", Delivery.status == "sent", Delivery.user_id == row.user_id
    )
    times = sorted(t for t in db.session.scalars(recent.where(Delivery.sent_at > hour_ago)) if t is not None)
    if len(times) >= cfg["SMS_MAX_PER_USER_PER_HOUR"]:
        return "cap_user_hourly", times[0] + timedelta(hours=1)
    return None


def _channel(name: str) -> Any:
    return email_channel(current_app.config) if name == "email" else sms_channel(current_app.config)


def _deliver(row: Delivery) -> tuple[str | None, str]:
    """Hand the row to its channel; (provider, provider id)."""
    if row.channel == "inbox":
        content = row.content
        msg = InboxMessage(
            user_id=row.user_id,
            delivery_id=row.id,
            cause=row.cause,
            title=content["title"],
            body=content["body"],
            link=content.get("link"),
            created_at=now(),
        )
        db.session.add(msg)
        db.session.flush()
        return "inbox", str(msg.id)
    channel = _channel(row.channel)
    assert row.address is not None
    return channel.provider, channel.send(Outgoing(row.id, row.channel, row.address, row.content))


def send(delivery_id: int) -> str:
    """Send one delivery if it is due; returns its status afterwards. Transient errors re-raise for rq."""
    row = db.session.get(Delivery, delivery_id)
    at = now()
    if row is None or row.status not in ("queued", "deferred"):
        return row.status if row else "unknown"
    if row.not_before is not None and row.not_before > at:
        return row.status
    cause = causes.get(row.cause)
    if row.channel == "sms" and sms_cap.reached(at):
        return _hold_for_cap(row, cause, at)
    if row.channel == "sms" and not cause.transactional:
        held = _sms_rule(row, at)
        if held is not None:
            row.status, row.rule, row.not_before = "deferred", held[0], held[1]
            db.session.commit()
            return row.status
    claimed = db.session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status.in_(("queued", "deferred")))
        .values(status="sending", attempts=Delivery.attempts + 1, updated_at=at)
    )
    db.session.commit()
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return "taken"
    db.session.refresh(row)
    try:
        row.provider, row.provider_id = _deliver(row)
    except DeliveryError as exc:
        return _failed(row, exc, at)
    row.status, row.sent_at, row.error, row.rule = "sent", at, None, None
    db.session.commit()
    return row.status


def _hold_for_cap(row: Delivery, cause: causes.Cause, at: datetime) -> str:
    """Over the platform's daily SMS cap: pushes wait for tomorrow; codes fail (they would be stale)."""
    if cause.transactional:
        row.status, row.rule = "failed", "platform_daily_cap"
        row.error = "今日平台短信发送量已达上限（SMS_DAILY_CAP）"
    else:
        window = current_app.config["SMS_QUIET_HOURS"]
        row.status, row.rule, row.not_before = (
            "deferred",
            "platform_daily_cap",
            rules.next_day_morning(at, window),
        )
    db.session.commit()
    return row.status


def _failed(row: Delivery, exc: DeliveryError, at: datetime) -> str:
    db.session.rollback()
    row = db.session.get(Delivery, row.id)  # type: ignore[assignment]
    row.error = f"{type(exc).__name__}: {exc}"[:1000]
    if exc.permanent or row.attempts >= current_app.config["NOTIFY_MAX_ATTEMPTS"]:
        row.status = "failed"
        db.session.commit()
        log.warning("delivery %s failed for good: %s", row.id, row.error)
        return row.status
    waits = current_app.config.get("NOTIFY_RETRY_WAITS") or RETRY_WAITS
    wait = waits[min(row.attempts, len(waits)) - 1]
    row.status, row.not_before = "queued", at + timedelta(seconds=wait)
    db.session.commit()
    raise exc


def resolve_interrupted() -> dict[str, int]:
    """Settle rows left 'sending' by a worker that died mid-send, by what each channel knows."""
    # E-mail goes again with the same Message-ID (receivers de-duplicate on it) and the inbox row was
    # rolled back with the worker's transaction, so both are queued again; an SMS has no id the
    # provider de-duplicates on, so its outcome stays unknown and staff see it (at most once).
    older = now() - timedelta(seconds=current_app.config.get("NOTIFY_SENDING_TIMEOUT", 180))
    stuck = (Delivery.status == "sending", Delivery.updated_at < older)
    resend = db.session.execute(
        update(Delivery).where(*stuck, Delivery.channel.in_(("email", "inbox"))).values(status="queued")
    )
    unknown = db.session.execute(
        update(Delivery)
        .where(*stuck, Delivery.channel == "sms")
        .values(status="failed", error="发送中断，结果未知（worker interrupted mid-send; not resent）")
    )
    db.session.commit()
    counts = {"resent": resend.rowcount or 0, "unknown": unknown.rowcount or 0}  # type: ignore[attr-defined]
    return {key: int(value) for key, value in counts.items() if value}


def due(limit: int = 500) -> list[int]:
    """Queued or deferred deliveries whose time has come, oldest first."""
    stmt = (
        select(Delivery.id)
        .where(Delivery.status.in_(("queued", "deferred")))
        .where((Delivery.not_before.is_(None)) | (Delivery.not_before <= now()))
        .order_by(Delivery.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
