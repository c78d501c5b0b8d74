"""Events (对接会): matchmaking fairs, university sessions and roadshows, their registrations and meetings.

``region`` on a registration and a meeting repeats the event's region, and ``fields`` repeats the
industry fields of what the participant brought (a meeting: of the matched need), so the dashboard
counts them with the same region and field rules as listings and matches.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.organizations import Organization

EVENT_TYPES = {"matchmaking": "产学研对接会", "university": "高校专场", "roadshow": "成果路演"}
EVENT_STATUSES = ("draft", "published", "closed", "ongoing", "finished", "cancelled")
REGISTRATION_STATUSES = ("pending", "approved", "rejected")
MEETING_STATUSES = ("scheduled", "removed")
OUTCOMES = {"held": "已洽谈", "no_show": "一方缺席", "intent": "达成合作意向", "agreement": "签订合作协议"}


class Event(db.Model):  # type: ignore[name-defined]
    """An event run by a bureau: type, theme fields, dates, venue, capacity, window and slot plan."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[list] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(6), index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    online_url: Mapped[str | None] = mapped_column(String(300))
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)
    capacity: Mapped[int] = mapped_column(Integer)
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    slot_count: Mapped[int] = mapped_column(Integer, default=8)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    first_slot_at: Mapped[str] = mapped_column(String(5), default="09:00")
    tables_per_slot: Mapped[int] = mapped_column(Integer, default=10)
    max_meetings: Mapped[int] = mapped_column(Integer, default=4)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agenda_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    schedule_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    schedule_version: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_public(self) -> bool:
        """Anyone may see an event once it has been published (even if later cancelled)."""
        return self.published_at is not None


class EventRegistration(db.Model):  # type: ignore[name-defined]
    """An organisation's registration (报名) for an event, with the needs and outputs it brings."""

    __tablename__ = "event_registrations"
    __table_args__ = (UniqueConstraint("event_id", "org_id", name="uq_event_registrations_org"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    region: Mapped[str] = mapped_column(String(6), index=True)
    org_region: Mapped[str] = mapped_column(String(6))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    need_ids: Mapped[list] = mapped_column(JSON, default=list)
    output_ids: Mapped[list] = mapped_column(JSON, default=list)
    unavailable_slots: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    checkin_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(Integer)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    org: Mapped[Organization] = relationship(lazy="joined")


class EventMeeting(db.Model):  # type: ignore[name-defined]
    """A one-to-one meeting (洽谈) in a slot at a table: the need side's org meets the output side's."""

    __tablename__ = "event_meetings"
    __table_args__ = (
        UniqueConstraint("event_id", "need_reg_id", "output_reg_id", name="uq_event_meetings_pair"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    need_reg_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"))
    output_reg_id: Mapped[int] = mapped_column(ForeignKey("event_registrations.id", ondelete="CASCADE"))
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="SET NULL"))
    region: Mapped[str] = mapped_column(String(6), index=True)
    fields: Mapped[list] = mapped_column(JSON, default=list)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    slot: Mapped[int | None] = mapped_column(Integer)
    table_no: Mapped[int | None] = mapped_column(Integer)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    outcome: Mapped[str | None] = mapped_column(String(12))
    amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    note: Mapped[str] = mapped_column(String(500), default="")
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    outcome_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    need_reg: Mapped[EventRegistration] = relationship(foreign_keys=[need_reg_id], lazy="joined")
    output_reg: Mapped[EventRegistration] = relationship(foreign_keys=[output_reg_id], lazy="joined")
