"""揭榜挂帅 challenges: the list (榜单), its quantified indicators, list reviews and applications (揭榜).

Lifecycle of a challenge (``status``):
  draft -> submitted -> published (application window open) -> reviewing (window closed, expert
  review) -> publicity (公示 of the proposed winners) -> awarded (挂帅, delivery under way) -> finished
with ``rejected`` (sent back with reasons; the poster edits and resubmits) and ``cancelled``.
Delivery of each winner lives in ``models/challenge_delivery.py``; expert review and objections in
``models/challenge_review.py``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.organizations import Organization

CHALLENGE_STATUSES = (
    "draft",
    "submitted",
    "rejected",
    "published",
    "reviewing",
    "publicity",
    "awarded",
    "finished",
    "cancelled",
)
# Statuses the public sees (the list once published; the result once announced).
CHALLENGE_PUBLIC_STATUSES = ("published", "reviewing", "publicity", "awarded", "finished")
CHALLENGE_MODES = {"single": "揭榜挂帅（择优选定一个团队）", "race": "赛马制（多个团队并行攻关）"}
IP_OWNERSHIP = {
    "poster": "归发榜单位所有",
    "team": "归揭榜团队所有，发榜单位享有优先使用权",
    "shared": "双方共有",
    "negotiated": "双方另行约定",
}
APPLICATION_STATUSES = (
    "draft",
    "submitted",
    "withdrawn",
    "shortlisted",
    "proposed",
    "awarded",
    "not_selected",
)
# Applications that were submitted (not drafts, not withdrawn): they take part in the review.
SUBMITTED_APPLICATION_STATUSES = ("submitted", "shortlisted", "proposed", "awarded", "not_selected")
MAX_CONSORTIUM_MEMBERS = 4
# The four dimensions staff record when experts assess a list before publication.
LIST_REVIEW_DIMENSIONS = {
    "necessity": "必要性",
    "innovation": "创新性",
    "feasibility": "可行性",
    "benefit": "效益性",
}


class Challenge(db.Model):  # type: ignore[name-defined]
    """A 榜单: a hard technical problem with quantified indicators, a bounty and an application window."""

    __tablename__ = "challenges"
    __table_args__ = {"sqlite_autoincrement": True}  # ids never reused: search versions are per id
    KIND = "challenge"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Co-posting units: [{"org_id": int | None, "name": str}]
    co_posters: Mapped[list] = mapped_column(JSON, default=list)
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    industry_chain: Mapped[str] = mapped_column(String(100), default="")
    region: Mapped[str] = mapped_column(String(6), index=True)
    background: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    time_limit_months: Mapped[int | None] = mapped_column(Integer)
    ip_ownership: Mapped[str | None] = mapped_column(String(20))
    ip_note: Mapped[str] = mapped_column(String(500), default="")
    bounty_enterprise: Mapped[float | None] = mapped_column(Numeric(14, 2))  # 万元
    bounty_subsidy: Mapped[float | None] = mapped_column(Numeric(14, 2))  # 万元, government subsidy
    payment_terms: Mapped[str] = mapped_column(Text, default="")
    conditions: Mapped[str] = mapped_column(Text, default="")  # what a team must meet
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    mode: Mapped[str] = mapped_column(String(10), default="single")
    max_winners: Mapped[int] = mapped_column(Integer, default=1)
    # Weighted review criteria for applications: [{"code": str, "name": str, "weight": float}]
    criteria: Mapped[list] = mapped_column(JSON, default=list)
    blind_review: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    reject_reason: Mapped[str | None] = mapped_column(String(1000))
    version: Mapped[int] = mapped_column(Integer, default=1)
    apply_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    apply_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    publicity_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    publicity_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(Integer)

    org: Mapped[Organization] = relationship(lazy="joined")
    indicators: Mapped[list[ChallengeIndicator]] = relationship(
        order_by="ChallengeIndicator.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_public(self) -> bool:
        """Visible to anyone (published or later, not cancelled)."""
        return self.status in CHALLENGE_PUBLIC_STATUSES

    @property
    def bounty_total(self) -> float | None:
        """Enterprise money plus government subsidy, 万元 (None when neither is set)."""
        parts = [float(v) for v in (self.bounty_enterprise, self.bounty_subsidy) if v is not None]
        return sum(parts) if parts else None

    def as_listing_dict(self) -> dict[str, Any]:
        """A CONTRACTS.md-style listing dict (kind ``challenge``) for search and matching."""
        return {
            "kind": self.KIND,
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "org_id": self.org_id,
            "org_name": self.org.name if self.org is not None else "",
            "region": self.region,
            "fields": list(self.fields or []),
            "keywords": list(self.keywords or []),
            "modes": [],
            "maturity": None,
            "trl": None,
            "budget_min": self.bounty_total,
            "budget_max": self.bounty_total,
            "title": self.title,
            "summary": f"{self.problem}\n{self.background}".strip(),
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "deadline": self.apply_closes_at.date().isoformat() if self.apply_closes_at else None,
        }


class ChallengeIndicator(db.Model):  # type: ignore[name-defined]
    """A quantified core indicator (核心指标): name, comparator, target value and unit."""

    __tablename__ = "challenge_indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    comparator: Mapped[str] = mapped_column(String(2), default=">=")  # >=, <=, =
    target: Mapped[float] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(20), default="")


class ChallengeListReview(db.Model):  # type: ignore[name-defined]
    """An expert's assessment of a 榜单 before publication, recorded by staff (scores 0–100)."""

    __tablename__ = "challenge_list_reviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    expert_name: Mapped[str] = mapped_column(String(50))
    expert_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    necessity: Mapped[float] = mapped_column(Numeric(5, 2))
    innovation: Mapped[float] = mapped_column(Numeric(5, 2))
    feasibility: Mapped[float] = mapped_column(Numeric(5, 2))
    benefit: Mapped[float] = mapped_column(Numeric(5, 2))
    comment: Mapped[str] = mapped_column(String(2000), default="")
    recorded_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ChallengeApplication(db.Model):  # type: ignore[name-defined]
    """An application (揭榜申请): a lead unit with up to four consortium members and a plan."""

    __tablename__ = "challenge_applications"
    __table_args__ = (
        UniqueConstraint("challenge_id", "lead_org_id", name="uq_challenge_applications_lead"),
        Index("ix_challenge_applications_challenge_status", "challenge_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    lead_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    submitted_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    pi_name: Mapped[str] = mapped_column(String(50))
    pi_title: Mapped[str] = mapped_column(String(50), default="")
    pi_phone: Mapped[str] = mapped_column(String(20), default="")
    pi_email: Mapped[str] = mapped_column(String(254), default="")
    plan: Mapped[str] = mapped_column(Text, default="")  # technical plan (技术方案)
    basis: Mapped[str] = mapped_column(Text, default="")  # research basis (研究基础)
    # Milestones proposed by the team: [{"title", "months", "deliverable", "budget"}] (budget 万元)
    milestones: Mapped[list] = mapped_column(JSON, default=list)
    budget_total: Mapped[float | None] = mapped_column(Numeric(14, 2))
    commitment: Mapped[str] = mapped_column(Text, default="")  # 军令状 text the team signs
    commitment_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(14), default="draft", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    score: Mapped[float | None] = mapped_column(Numeric(7, 3))  # weighted average of expert reviews
    rank: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    challenge: Mapped[Challenge] = relationship(lazy="joined")
    lead_org: Mapped[Organization] = relationship(lazy="joined")
    members: Mapped[list[ApplicationMember]] = relationship(
        order_by="ApplicationMember.position", cascade="all, delete-orphan", lazy="selectin"
    )

    def org_ids(self) -> set[int]:
        """The lead unit and every consortium member registered on the platform."""
        return {self.lead_org_id} | {m.org_id for m in self.members if m.org_id is not None}


class ApplicationMember(db.Model):  # type: ignore[name-defined]
    """A consortium member (联合体成员) of an application; ``org_id`` when the unit is on the platform."""

    __tablename__ = "challenge_application_members"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("challenge_applications.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    org_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(200), default="")  # the member's share of the work
