"""Award (挂帅) and delivery of a challenge: milestones, progress reports, tranches, extension, acceptance.

One ``ChallengeAward`` per winning application (several in 赛马 mode). Its ``status``:
  delivering -> accepted | failed | terminated
``failed`` carries a failure-tolerance note (容错说明): a team that did its honest best is not
blacklisted. At most one ``ExtensionRequest`` per award.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.challenges.lists import Challenge, ChallengeApplication
from matchmaker.models.common import UTCDateTime, utcnow

AWARD_STATUSES = ("delivering", "accepted", "failed", "terminated")
MILESTONE_STATUSES = ("pending", "submitted", "accepted", "rejected")
TRANCHE_STATUSES = ("planned", "due", "paid")
REPORT_KINDS = {"progress": "进展报告", "midterm": "中期检查"}
MIDTERM_VERDICTS = {"pass": "通过", "rectify": "限期整改", "fail": "不通过"}
EXTENSION_STATUSES = ("pending", "approved", "rejected")


class ChallengeAward(db.Model):  # type: ignore[name-defined]
    """A confirmed winner (挂帅) of a challenge, with its agreement and delivery outcome."""

    __tablename__ = "challenge_awards"
    __table_args__ = (UniqueConstraint("application_id", name="uq_challenge_awards_application"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("challenge_applications.id"))
    lead_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)  # the challenge's region, for scoping
    amount: Mapped[float | None] = mapped_column(Numeric(14, 2))  # agreed funding, 万元
    agreement_date: Mapped[date | None] = mapped_column(Date)
    agreement_number: Mapped[str | None] = mapped_column(String(40))
    due_date: Mapped[date | None] = mapped_column(Date, index=True)  # delivery deadline
    status: Mapped[str] = mapped_column(String(12), default="delivering", index=True)
    outcome_note: Mapped[str | None] = mapped_column(Text)  # acceptance summary or 容错说明
    confirmed_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    challenge: Mapped[Challenge] = relationship(lazy="joined")
    application: Mapped[ChallengeApplication] = relationship(lazy="joined")
    milestones: Mapped[list[DeliveryMilestone]] = relationship(
        order_by="DeliveryMilestone.position", cascade="all, delete-orphan", lazy="selectin"
    )
    tranches: Mapped[list[PaymentTranche]] = relationship(
        order_by="PaymentTranche.position", cascade="all, delete-orphan", lazy="selectin"
    )


class DeliveryMilestone(db.Model):  # type: ignore[name-defined]
    """A milestone (节点) with due date and deliverables; reminders go out before the due date."""

    __tablename__ = "challenge_milestones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("challenge_awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    deliverables: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ProgressReport(db.Model):  # type: ignore[name-defined]
    """A progress report (进展报告) from the team, or the mid-term check (中期检查) with staff's verdict."""

    __tablename__ = "challenge_progress_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("challenge_awards.id", ondelete="CASCADE"), index=True)
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_milestones.id"))
    kind: Mapped[str] = mapped_column(String(10), default="progress")
    content: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    verdict: Mapped[str | None] = mapped_column(String(10))  # midterm: pass / rectify / fail
    verdict_note: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PaymentTranche(db.Model):  # type: ignore[name-defined]
    """A staged payment (拨付): amount, condition, and when it was paid."""

    __tablename__ = "challenge_tranches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("challenge_awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    amount: Mapped[float] = mapped_column(Numeric(14, 2))  # 万元
    condition: Mapped[str] = mapped_column(String(20))  # signing / milestone / midterm / acceptance
    milestone_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_milestones.id"))
    status: Mapped[str] = mapped_column(String(8), default="planned", index=True)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    paid_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(500), default="")


class ExtensionRequest(db.Model):  # type: ignore[name-defined]
    """The one extension (延期) an award may ask for."""

    __tablename__ = "challenge_extensions"
    __table_args__ = (UniqueConstraint("award_id", name="uq_challenge_extensions_award"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("challenge_awards.id", ondelete="CASCADE"))
    requested_until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(10), default="pending")
    decision_note: Mapped[str | None] = mapped_column(String(1000))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Acceptance(db.Model):  # type: ignore[name-defined]
    """Acceptance (验收) by a panel against the core indicators; one per award."""

    __tablename__ = "challenge_acceptances"
    __table_args__ = (UniqueConstraint("award_id", name="uq_challenge_acceptances_award"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("challenge_awards.id", ondelete="CASCADE"))
    panel: Mapped[list] = mapped_column(JSON, default=list)  # [{"name", "title", "org", "user_id"}]
    # Per indicator: [{"indicator_id", "achieved", "met"}]; ``met`` computed from the comparator.
    results: Mapped[list] = mapped_column(JSON, default=list)
    verdict: Mapped[str] = mapped_column(String(12))  # accepted / failed / terminated
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    held_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
