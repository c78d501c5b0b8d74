"""Notifications (通知): preferences and consents per user, the delivery log, the inbox, one-time codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow

CHANNELS = ("email", "sms", "inbox")
DELIVERY_STATUSES = ("queued", "sending", "sent", "deferred", "suppressed", "failed")
CONSENT_PURPOSES = ("email", "sms", "personalised")


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    """Whether a user wants one kind of message on one channel; no row means yes."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", "channel", name="uq_notification_preferences_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    source: Mapped[str] = mapped_column(String(20), default="settings")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class Consent(db.Model):  # type: ignore[name-defined]
    """An append-only record of a consent given or withdrawn; the latest row per purpose counts."""

    __tablename__ = "notification_consents"
    __table_args__ = (Index("ix_notification_consents_user_purpose", "user_id", "purpose", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(20))
    granted: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(40))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ip: Mapped[str | None] = mapped_column(String(45))


class Delivery(db.Model):  # type: ignore[name-defined]
    """One message to one user on one channel for one cause; the unique key makes it happen once."""

    __tablename__ = "notification_deliveries"
    __table_args__ = (
        UniqueConstraint("cause", "object_ref", "channel", "user_id", name="uq_notification_deliveries_key"),
        Index("ix_notification_deliveries_due", "status", "not_before"),
        Index("ix_notification_deliveries_address", "channel", "address", "sent_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cause: Mapped[str] = mapped_column(String(40), index=True)
    object_ref: Mapped[str] = mapped_column(String(60))
    channel: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    region: Mapped[str | None] = mapped_column(String(6), index=True)
    address: Mapped[str | None] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(12), default="queued")
    rule: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(String(1000))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    provider: Mapped[str | None] = mapped_column(String(20))
    provider_id: Mapped[str | None] = mapped_column(String(100))
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    not_before: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class InboxMessage(db.Model):  # type: ignore[name-defined]
    """A message in a user's in-app inbox (站内信)."""

    __tablename__ = "inbox_messages"
    __table_args__ = (Index("ix_inbox_messages_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    delivery_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    cause: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(String(2000))
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VerificationCode(db.Model):  # type: ignore[name-defined]
    """A one-time code sent to a phone or e-mail address a user wants to add; only its hash is kept."""

    __tablename__ = "verification_codes"
    __table_args__ = (Index("ix_verification_codes_target", "channel", "target", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    target: Mapped[str] = mapped_column(String(254))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    consumed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
