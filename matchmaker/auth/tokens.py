"""Opaque bearer tokens: random, shown once, stored as SHA-256, revocable, expiring."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ApiToken, User
from matchmaker.models.common import utcnow

TOKEN_PREFIX = "mm_"


def digest(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User, ttl_hours: int) -> tuple[str, ApiToken]:
    """Create a token for the user; the caller commits. Returns the plain token and its row."""
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(
        user_id=user.id, token_hash=digest(plain), expires_at=utcnow() + timedelta(hours=ttl_hours)
    )
    db.session.add(row)
    return plain, row


def resolve_token(plain: str) -> ApiToken | None:
    """The live token row for a presented token, or None when unknown, revoked or expired."""
    if not plain.startswith(TOKEN_PREFIX):
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(plain)))
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    if not row.user.is_active:
        return None
    return row
