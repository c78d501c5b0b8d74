"""Reading a user's choices: per-kind, per-channel preferences and the latest consent per purpose."""

from __future__ import annotations

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Consent, NotificationPreference


def consent(user_id: int, purpose: str) -> bool | None:
    """The user's latest answer for a purpose (email, sms, personalised); None when never asked."""
    stmt = (
        select(Consent.granted)
        .where(Consent.user_id == user_id, Consent.purpose == purpose)
        .order_by(Consent.id.desc())
        .limit(1)
    )
    return db.session.scalar(stmt)


def wants(user_id: int, kind: str, channel: str) -> bool:
    """True unless the user switched this kind of message off on this channel."""
    stmt = select(NotificationPreference.enabled).where(
        NotificationPreference.user_id == user_id,
        NotificationPreference.kind == kind,
        NotificationPreference.channel == channel,
    )
    enabled = db.session.scalar(stmt)
    return True if enabled is None else bool(enabled)


def personalised_ok(user_id: int) -> bool:
    """Personalised recommendations are on unless the user opted out (PIPL art. 24)."""
    return consent(user_id, "personalised") is not False


def blocking_rule(user_id: int, kind: str, channel: str, *, personalised: bool) -> str | None:
    """The rule that stops this message before it is queued, or None."""
    if personalised and not personalised_ok(user_id):
        return "personalisation_opt_out"
    if channel in ("email", "sms") and consent(user_id, channel) is not True:
        return "no_consent"
    if not wants(user_id, kind, channel):
        return "preference_off"
    return None
