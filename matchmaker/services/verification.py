"""One-time codes: for adding or changing a user's phone or e-mail, and for resetting a password.

Limits, all checked before anything is sent: one code a minute and VERIFY_MAX_PER_TARGET_PER_HOUR /
_PER_DAY per address, VERIFY_MAX_PER_USER_PER_DAY per account, and the platform-wide daily cap on
paid SMS (SMS_DAILY_CAP, see sms_cap). Answers never say whether an address belongs to someone else:
a taken address gets the same 202 as a free one, and no code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, DomainError, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Delivery, User, VerificationCode
from matchmaker.notifications import causes, dispatch, sms_cap
from matchmaker.services import audit
from matchmaker.taxonomy import validators

MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
FIELD = {"phone": "phone", "email": "email"}
TARGET_LABEL = {"phone": "手机号", "email": "邮箱"}
# The code's purpose is part of its channel, so a contact-change code never resets a password.
RESET_CHANNEL = {"phone": "reset_sms", "email": "reset_mail"}
EXPIRED = "验证码已失效，请重新获取（code expired）"


class TooManyRequests(DomainError):
    """Too many codes for one address or account (the per-client limit is Flask-Limiter's)."""

    status, code, message = 429, "too_many_requests", "验证码发送过于频繁，请稍后再试"


def _hash(code: str) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), code.encode(), hashlib.sha256).hexdigest()


def normalise(channel: str, target: str) -> str:
    """The stored form of a mobile number or e-mail address; ValidationFailed when malformed."""
    if channel == "phone":
        value = validators.normalize_mobile(target)
        if not value or not validators.valid_mobile(value):
            raise ValidationFailed(errors={"target": ["手机号格式不正确（invalid mainland mobile number）"]})
        return value
    if not validators.valid_email(target):
        raise ValidationFailed(errors={"target": ["邮箱格式不正确（invalid e-mail address）"]})
    return target.strip().lower()


def _count_since(*where: Any) -> list[datetime]:
    return sorted(db.session.scalars(select(VerificationCode.created_at).where(*where)))


def check_limits(*, user_id: int | None, channels: tuple[str, ...], target: str, sms: bool) -> None:
    """Refuse with 429 when a limit is reached; the SMS cap also alerts staff (once a day)."""
    at, cfg = dispatch.now(), current_app.config
    day = at - timedelta(days=1)
    same_target = (VerificationCode.channel.in_(channels), VerificationCode.target == target)
    times = _count_since(*same_target, VerificationCode.created_at > day)
    if times and times[-1] > at - RESEND_AFTER:
        raise TooManyRequests("验证码已发送，请 60 秒后再试")
    if len([t for t in times if t > at - timedelta(hours=1)]) >= cfg["VERIFY_MAX_PER_TARGET_PER_HOUR"]:
        raise TooManyRequests()
    if len(times) >= cfg["VERIFY_MAX_PER_TARGET_PER_DAY"]:
        raise TooManyRequests("该号码今日获取验证码次数已达上限，请明天再试")
    if user_id is not None:
        mine = _count_since(VerificationCode.user_id == user_id, VerificationCode.created_at > day)
        if len(mine) >= cfg["VERIFY_MAX_PER_USER_PER_DAY"]:
            raise TooManyRequests("您今日获取验证码次数已达上限，请明天再试")
    if sms and sms_cap.reached(at):
        raise TooManyRequests("今日短信发送量已达平台上限，请改用邮箱或明天再试")


def issue(
    *,
    actor: Actor,
    user: User,
    channel: str,
    stored_channel: str,
    target: str,
    cause_name: str,
    send: bool = True,
) -> VerificationCode:
    """Create a code for user and send it to target now (commits); returns the code row.

    With send=False the row is kept (so the limits count it exactly like a sent one) but no
    message goes out: that is the answer for an address that must not learn it was asked about.
    """
    code, at = f"{secrets.randbelow(10**6):06d}", dispatch.now()
    ttl = int(current_app.config["VERIFY_CODE_TTL_MINUTES"])
    row = VerificationCode(
        user_id=user.id,
        channel=stored_channel,
        target=target,
        code_hash=_hash(code),
        created_at=at,
        expires_at=at + timedelta(minutes=ttl),
    )
    db.session.add(row)
    db.session.flush()
    if not send:
        audit.record(actor, "verify_send_withheld", "user", user.id, channel=stored_channel)
        db.session.commit()
        return row
    cause = causes.get(cause_name)
    via = "sms" if channel == "phone" else "email"
    context = {"code": code, "ttl": ttl, "target_label": TARGET_LABEL[channel]}
    delivery = Delivery(
        cause=cause.name,
        object_ref=f"code/{row.id}",
        channel=via,
        user_id=user.id,
        region=dispatch._region(user),
        address=target,
        status="queued",
        created_at=at,
        content=dispatch.content_for(cause, via, context, user),
    )
    db.session.add(delivery)
    audit.record(actor, "verify_send", "user", user.id, channel=stored_channel)
    db.session.commit()
    dispatch.send(delivery.id)
    return row


def send_code(*, actor: Actor, channel: str, target: str) -> datetime:
    """Send a 6-digit code to a new phone or e-mail of the actor; returns when a code would expire.

    An address already used by another account gets the same answer and no code, so the endpoint
    cannot be used to find out who is registered.
    """
    assert actor.user is not None
    target = normalise(channel, target)
    check_limits(user_id=actor.user_id, channels=(channel,), target=target, sms=channel == "phone")
    taken = db.session.scalar(
        select(User.id).where(getattr(User, FIELD[channel]) == target, User.id != actor.user_id)
    )
    row = issue(
        actor=actor,
        user=actor.user,
        channel=channel,
        stored_channel=channel,
        target=target,
        cause_name="verify.code",
        send=taken is None,
    )
    return row.expires_at


def consume(*, user_id: int, channel: str, target: str, code: str) -> VerificationCode:
    """Check the latest live code of user for target; a wrong one counts a try (committed)."""
    row = db.session.scalar(
        select(VerificationCode)
        .where(VerificationCode.user_id == user_id, VerificationCode.channel == channel)
        .where(VerificationCode.target == target, VerificationCode.consumed_at.is_(None))
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
    at = dispatch.now()
    if row is None or row.expires_at <= at or row.attempts >= MAX_TRIES:
        raise ValidationFailed(errors={"code": [EXPIRED]})
    row.attempts += 1
    if not hmac.compare_digest(row.code_hash, _hash(code.strip())):
        db.session.commit()
        raise ValidationFailed(errors={"code": ["验证码不正确（wrong code）"]})
    row.consumed_at = at
    return row


def confirm_code(*, actor: Actor, channel: str, target: str, code: str) -> User:
    """Check the latest code for this address; on success the user's phone or e-mail becomes it."""
    assert actor.user is not None and actor.user_id is not None
    target = normalise(channel, target)
    consume(user_id=actor.user_id, channel=channel, target=target, code=code)
    taken = db.session.scalar(
        select(func.count(User.id)).where(getattr(User, FIELD[channel]) == target, User.id != actor.user_id)
    )
    if taken:
        db.session.rollback()
        raise Conflict(f"该{TARGET_LABEL[channel]}已被其他账号使用")
    setattr(actor.user, FIELD[channel], target)
    audit.record(actor, "verify_confirm", "user", actor.user_id, channel=channel)
    db.session.commit()
    return actor.user
