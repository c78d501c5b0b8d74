"""Matches (匹配) between a need and an output, their lifecycle up to the registered technology contract."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.listings import ResearchOutput, TechnologyNeed

MATCH_STATUSES = (
    "proposed",
    "connected",
    "negotiating",
    "agreement_signed",
    "contract_registered",
    "declined",
    "expired",
    "withdrawn",  # a proposal the latest re-ranking no longer stands behind (nobody had answered it)
)
SIDE_STATES = ("new", "viewed", "interested", "declined")
DECLINE_REASONS = {
    "not_relevant": "技术方向不相关",
    "maturity": "成熟度不符合要求",
    "budget": "价格或预算不匹配",
    "region": "地域原因",
    "already_solved": "需求已解决或成果已转化",
    "other": "其他原因",
}


class Match(db.Model):  # type: ignore[name-defined]
    """A ranked pairing of a need and an output, with its score breakdown and both sides' responses."""

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("need_id", "output_id", name="uq_matches_pair"),
        Index("ix_matches_need_score", "need_id", "score"),
        Index("ix_matches_output_score", "output_id", "score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"))
    output_id: Mapped[int] = mapped_column(ForeignKey("outputs.id", ondelete="CASCADE"))
    need_org_id: Mapped[int] = mapped_column(Integer, index=True)
    output_org_id: Mapped[int] = mapped_column(Integer, index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    score: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[dict] = mapped_column(JSON, default=dict)
    explanation: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    need_side: Mapped[str] = mapped_column(String(12), default="new")
    output_side: Mapped[str] = mapped_column(String(12), default="new")
    decline_side: Mapped[str | None] = mapped_column(String(8))
    decline_reason: Mapped[str | None] = mapped_column(String(20))
    decline_note: Mapped[str | None] = mapped_column(String(500))
    agreement_date: Mapped[date | None] = mapped_column(Date)
    agreement_amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    agreement_parties: Mapped[list] = mapped_column(JSON, default=list)
    contract_number: Mapped[str | None] = mapped_column(String(40))
    contract_amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    contract_date: Mapped[date | None] = mapped_column(Date)
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    rescored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    need_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    output_viewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    need_interested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    output_interested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    connected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    negotiating_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agreement_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    contract_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    declined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    need: Mapped[TechnologyNeed] = relationship(lazy="joined")
    output: Mapped[ResearchOutput] = relationship(lazy="joined")


class MatchRun(db.Model):  # type: ignore[name-defined]
    """A durable request to (re)match a listing; the drain replays unfinished runs after an outage."""

    __tablename__ = "match_runs"
    __table_args__ = (Index("ix_match_runs_pending", "finished_at", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    object_id: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(20), default="publish")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the rq job id that claimed it
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict] = mapped_column(JSON, default=dict)
    last_error: Mapped[str | None] = mapped_column(String(2000))


class PendingPush(db.Model):  # type: ignore[name-defined]
    """A notification waiting for delivery (the notifications issue delivers these)."""

    __tablename__ = "pending_pushes"
    __table_args__ = (UniqueConstraint("cause", "object_id", "org_id", name="uq_pending_pushes_cause"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cause: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    org_id: Mapped[int] = mapped_column(Integer, index=True)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
