"""One-time codes for adding or changing a user's phone or e-mail: sent, rate-limited, confirmed once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select

from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, DomainError, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Delivery, User, VerificationCode
from matchmaker.notifications import causes, dispatch
from matchmaker.services import audit
from matchmaker.taxonomy import validators

MAX_TRIES = 5
RESEND_AFTER = timedelta(seconds=60)
FIELD = {"phone": "phone", "email": "email"}
TARGET_LABEL = {"phone": "手机号", "email": "邮箱"}


class TooManyRequests(DomainError):
    """Too many codes for one address (the per-client limit is Flask-Limiter's)."""

    status, code, message = 429, "too_many_requests", "验证码发送过于频繁，请稍后再试"


def _hash(code: str) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), code.encode(), hashlib.sha256).hexdigest()


def _normalise(channel: str, target: str) -> str:
    if channel == "phone":
        value = validators.normalize_mobile(target)
        if not value or not validators.valid_mobile(value):
            raise ValidationFailed(errors={"target": ["手机号格式不正确（invalid mainland mobile number）"]})
        return value
    if not validators.valid_email(target):
        raise ValidationFailed(errors={"target": ["邮箱格式不正确（invalid e-mail address）"]})
    return target.strip().lower()


def _check_limits(channel: str, target: str) -> None:
    at = dispatch.now()
    recent = select(VerificationCode.created_at).where(
        VerificationCode.channel == channel,
        VerificationCode.target == target,
        VerificationCode.created_at > at - timedelta(hours=1),
    )
    times = sorted(db.session.scalars(recent))
    if times and times[-1] > at - RESEND_AFTER:
        raise TooManyRequests("验证码已发送，请 60 秒后再试")
    if len(times) >= current_app.config["VERIFY_MAX_PER_TARGET_PER_HOUR"]:
        raise TooManyRequests()


def send_code(*, actor: Actor, channel: str, target: str) -> VerificationCode:
    """Send a 6-digit code to a new phone or e-mail of the actor; returns the code row."""
    assert actor.user is not None
    target = _normalise(channel, target)
    taken = db.session.scalar(
        select(User.id).where(getattr(User, FIELD[channel]) == target, User.id != actor.user_id)
    )
    if taken is not None:
        raise Conflict(f"该{TARGET_LABEL[channel]}已被其他账号使用")
    _check_limits(channel, target)
    code, at = f"{secrets.randbelow(10**6):06d}", dispatch.now()
    ttl = int(current_app.config["VERIFY_CODE_TTL_MINUTES"])
    row = VerificationCode(
        user_id=actor.user_id,
        channel=channel,
        target=target,
        code_hash=_hash(code),
        created_at=at,
        expires_at=at + timedelta(minutes=ttl),
    )
    db.session.add(row)
    db.session.flush()
    cause = causes.get("verify.code")
    via = "sms" if channel == "phone" else "email"
    context = {"code": code, "ttl": ttl, "target_label": TARGET_LABEL[channel]}
    delivery = Delivery(
        cause=cause.name,
        object_ref=f"code/{row.id}",
        channel=via,
        user_id=actor.user_id,
        region=dispatch._region(actor.user),
        address=target,
        status="queued",
        created_at=at,
        content=dispatch.content_for(cause, via, context, actor.user),
    )
    db.session.add(delivery)
    audit.record(actor, "verify_send", "user", actor.user_id, channel=channel)
    db.session.commit()
    dispatch.send(delivery.id)
    return row


def confirm_code(*, actor: Actor, channel: str, target: str, code: str) -> User:
    """Check the latest code for this address; on success the user's phone or e-mail becomes it."""
    assert actor.user is not None
    target = _normalise(channel, target)
    row = db.session.scalar(
        select(VerificationCode)
        .where(VerificationCode.user_id == actor.user_id, VerificationCode.channel == channel)
        .where(VerificationCode.target == target, VerificationCode.consumed_at.is_(None))
        .order_by(VerificationCode.id.desc())
        .limit(1)
    )
    at = dispatch.now()
    if row is None or row.expires_at <= at or row.attempts >= MAX_TRIES:
        raise ValidationFailed(errors={"code": ["验证码已失效，请重新获取（code expired）"]})
    row.attempts += 1
    if not hmac.compare_digest(row.code_hash, _hash(code.strip())):
        db.session.commit()
        raise ValidationFailed(errors={"code": ["验证码不正确（wrong code）"]})
    taken = db.session.scalar(
        select(func.count(User.id)).where(getattr(User, FIELD[channel]) == target, User.id != actor.user_id)
    )
    if taken:
        db.session.rollback()
        raise Conflict(f"该{TARGET_LABEL[channel]}已被其他账号使用")
    row.consumed_at = at
    setattr(actor.user, FIELD[channel], target)
    audit.record(actor, "verify_confirm", "user", actor.user_id, channel=channel)
    db.session.commit()
    return actor.user
