"""Sign-in security: lockout after repeated failures, changing a password, resetting it by code.

Every failed login is an audit row (``login_failed``) keyed by a digest of the login name, known or
not, so an unknown e-mail locks exactly like a real one and the lockout tells nobody who exists.
LOGIN_LOCKOUT_FAILURES failures within LOGIN_LOCKOUT_MINUTES lock the login name for that window;
a password reset lifts the lock. Resets answer the same whether or not the account exists.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from flask import current_app
from sqlalchemy import func, select, update

from matchmaker.auth.actor import Actor
from matchmaker.auth.passwords import hash_password, password_problems, verify_password
from matchmaker.errors import DomainError, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import ApiToken, AuditLog, User
from matchmaker.models.common import utcnow
from matchmaker.services import audit, verification
from matchmaker.taxonomy.validators import normalize_mobile


class AccountLocked(DomainError):
    """Too many failed logins for one login name."""

    status, code, message = 429, "account_locked", "登录失败次数过多，账号已临时锁定，请稍后再试或找回密码"


def normalise_login(login: str) -> tuple[str, str]:
    """(channel, stored form) of an e-mail address or a mainland mobile number typed at login."""
    ident = login.strip()
    if "@" in ident:
        return "email", ident.lower()
    return "phone", normalize_mobile(ident) or ident


def find_user(login: str) -> User | None:
    """The account a login name points at, or None."""
    channel, value = normalise_login(login)
    column = func.lower(User.email) if channel == "email" else User.phone
    return db.session.scalar(select(User).where(column == value))


def login_key(login: str) -> str:
    """What failures are counted by: a digest of the normalised login name (never the name itself)."""
    return hashlib.sha256("|".join(normalise_login(login)).encode()).hexdigest()[:32]


def _failures_since(key: str, user_id: int | None) -> int:
    window = timedelta(minutes=int(current_app.config["LOGIN_LOCKOUT_MINUTES"]))
    since = utcnow() - window
    if user_id is not None:
        reset_at = db.session.scalar(
            select(func.max(AuditLog.at)).where(
                AuditLog.action == "password_reset", AuditLog.object_id == user_id
            )
        )
        since = max(since, reset_at) if reset_at is not None else since
    stmt = select(func.count(AuditLog.id)).where(
        AuditLog.action == "login_failed",
        AuditLog.at > since,
        AuditLog.detail["login_key"].as_string() == key,
    )
    return int(db.session.scalar(stmt) or 0)


def check_lockout(actor: Actor, login: str, user: User | None) -> None:
    """Raise AccountLocked (and audit the attempt) while the login name is locked."""
    key = login_key(login)
    if _failures_since(key, user.id if user else None) < int(current_app.config["LOGIN_LOCKOUT_FAILURES"]):
        return
    audit.record(actor, "login_locked", "user", user.id if user else None, login_key=key)
    db.session.commit()
    raise AccountLocked()


def record_failure(actor: Actor, login: str, user: User | None, reason: str) -> None:
    """One audit row for a failed login (committed at once: the caller raises next)."""
    audit.record(
        actor, "login_failed", "user", user.id if user else None, login_key=login_key(login), reason=reason
    )
    db.session.commit()


def _revoke_tokens(user_id: int, *, keep: int | None = None) -> int:
    stmt = update(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
    if keep is not None:
        stmt = stmt.where(ApiToken.id != keep)
    return int(db.session.execute(stmt.values(revoked_at=utcnow())).rowcount or 0)  # type: ignore[attr-defined]


def _check_new(user: User, password: str) -> None:
    problems = password_problems(password, personal=(user.email, user.phone, user.name))
    if problems:
        raise ValidationFailed(errors={"new_password": problems})


def change_password(*, actor: Actor, old_password: str, new_password: str) -> int:
    """Change the actor's password (the old one is required); revokes every other token, returns how many."""
    user = actor.user
    assert user is not None
    if not verify_password(user.password_hash, old_password):
        record_failure(actor, user.email, user, "wrong_old_password")
        raise ValidationFailed(errors={"old_password": ["原密码不正确（wrong password）"]})
    if new_password == old_password:
        raise ValidationFailed(errors={"new_password": ["新密码不能与原密码相同（same as the old one）"]})
    _check_new(user, new_password)
    user.password_hash = hash_password(new_password)
    revoked = _revoke_tokens(user.id, keep=actor.token_id)
    audit.record(actor, "password_change", "user", user.id, revoked_tokens=revoked)
    db.session.commit()
    return revoked


def request_reset(*, actor: Actor, login: str) -> None:
    """Send a reset code to the account's e-mail or mobile; silent when there is no such account."""
    channel, target = normalise_login(login)
    user = find_user(login)
    if user is None or not user.is_active or getattr(user, channel) is None:
        audit.record(actor, "password_reset_request", "user", None, login_key=login_key(login), found=False)
        db.session.commit()
        return
    stored = verification.RESET_CHANNEL[channel]
    try:
        verification.check_limits(user_id=user.id, channels=(stored,), target=target, sms=channel == "phone")
    except verification.TooManyRequests:
        # The same answer as for a sent code: a 429 here would tell that the account exists.
        audit.record(actor, "password_reset_limited", "user", user.id)
        db.session.commit()
        return
    verification.issue(
        actor=actor,
        user=user,
        channel=channel,
        stored_channel=stored,
        target=target,
        cause_name="password.reset",
    )


def reset_password(*, actor: Actor, login: str, code: str, new_password: str) -> None:
    """Set a new password with a reset code; every session of the account is signed out."""
    channel, target = normalise_login(login)
    user = find_user(login)
    if user is None or not user.is_active:
        raise ValidationFailed(errors={"code": [verification.EXPIRED]})
    verification.consume(
        user_id=user.id, channel=verification.RESET_CHANNEL[channel], target=target, code=code
    )
    try:  # only after the code: before it, a personal-data refusal would confirm the account exists
        _check_new(user, new_password)
    except ValidationFailed:
        db.session.rollback()  # the code stays usable with a better password
        raise
    user.password_hash = hash_password(new_password)
    revoked = _revoke_tokens(user.id)
    owner = Actor(user=user, request_id=actor.request_id, ip=actor.ip)
    audit.record(owner, "password_reset", "user", user.id, revoked_tokens=revoked)
    db.session.commit()
