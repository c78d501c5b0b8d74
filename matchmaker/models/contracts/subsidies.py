"""奖补 (subsidies) for filed 产学研 projects: a yearly round, its computed items and 公示 objections.

Round status: draft -> computed -> publicity -> approved. Every item keeps the computed amount and
its breakdown beside the final amount; an adjustment needs a reason and is audit-logged.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.contracts.filings import CooperationFiling

ROUND_STATUSES = ("draft", "computed", "publicity", "approved")


class SubsidyRound(db.Model):  # type: ignore[name-defined]
    """A yearly subsidy round of a bureau: policy (rates, caps, period) and the 公示 window."""

    __tablename__ = "subsidy_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(6), index=True)
    period_start: Mapped[date] = mapped_column(Date)  # only payments inside the period count
    period_end: Mapped[date] = mapped_column(Date)
    base_rate: Mapped[float] = mapped_column(Numeric(5, 4))  # 0.10 = 10 %
    category_rates: Mapped[dict] = mapped_column(JSON, default=dict)  # {"challenge": 0.25, ...}
    project_cap: Mapped[float | None] = mapped_column(Numeric(14, 2))  # per project, over every round
    enterprise_cap: Mapped[float | None] = mapped_column(Numeric(14, 2))  # per enterprise in this round
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    publicity_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publicity_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    items: Mapped[list[SubsidyItem]] = relationship(
        order_by="SubsidyItem.id", cascade="all, delete-orphan", lazy="selectin"
    )


class SubsidyItem(db.Model):  # type: ignore[name-defined]
    """One filed project's subsidy in a round: what was paid, the rate, caps, and the final amount."""

    __tablename__ = "subsidy_items"
    __table_args__ = (UniqueConstraint("round_id", "filing_id", name="uq_subsidy_items_round_filing"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("subsidy_rounds.id", ondelete="CASCADE"), index=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("cooperation_filings.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    paid_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    rate: Mapped[Decimal] = mapped_column(Numeric(5, 4))
    computed_amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    breakdown: Mapped[list] = mapped_column(JSON, default=list)  # readable steps, in Chinese
    adjust_reason: Mapped[str | None] = mapped_column(String(500))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)  # the round's, for figures

    filing: Mapped[CooperationFiling] = relationship(lazy="joined")


class SubsidyObjection(db.Model):  # type: ignore[name-defined]
    """An objection (异议) to the 公示 list of a round, and how it was handled."""

    __tablename__ = "subsidy_objections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("subsidy_rounds.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("subsidy_items.id"))
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    content: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    handling_note: Mapped[str | None] = mapped_column(Text)
    handled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
