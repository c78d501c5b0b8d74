"""Listings: technology needs (技术需求) and research outputs (科技成果), sharing one review workflow."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.organizations import Organization

STATUSES = ("draft", "submitted", "published", "rejected", "closed", "expired")
PUBLIC_STATUSES = ("published", "closed", "expired")


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _num(value: Any) -> float | None:
    return float(value) if value is not None else None


class ListingMixin:
    """Columns and workflow fields shared by needs and outputs."""

    KIND = ""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    modes: Mapped[list] = mapped_column(JSON, default=list)
    region: Mapped[str] = mapped_column(String(6), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(20), default="web")
    external_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(Integer)

    @declared_attr
    def org_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organizations.id"), index=True)

    @declared_attr
    def owner_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("users.id"))

    @declared_attr
    def org(cls) -> Mapped[Organization]:
        return relationship(Organization, lazy="joined")

    @property
    def is_public(self) -> bool:
        """Visible in the public catalogue (published, or a closed/expired record of it)."""
        return self.status in PUBLIC_STATUSES

    @property
    def public_text(self) -> str:
        """The text anyone may read: the summary for needs, the abstract for outputs."""
        raise NotImplementedError

    def as_listing_dict(self) -> dict[str, Any]:
        """The CONTRACTS.md listing dict for search and matching."""
        raise NotImplementedError

    def base_dict(self) -> dict[str, Any]:
        """Plain listing dict shared by search documents and matching (no confidential detail)."""
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
            "modes": list(self.modes or []),
            "title": self.title,
            "summary": self.public_text,
            "created_at": _iso(self.created_at),
            "updated_at": _iso(self.updated_at),
            "published_at": _iso(self.published_at),
        }


class TechnologyNeed(ListingMixin, db.Model):  # type: ignore[name-defined]
    """技术需求: an enterprise's technology problem, with a public summary and a confidential detail."""

    __tablename__ = "needs"
    __table_args__ = (
        UniqueConstraint("org_id", "external_ref", name="uq_needs_org_external_ref"),
        {"sqlite_autoincrement": True},  # ids never reused: search versions are per id
    )
    KIND = "need"

    summary: Mapped[str] = mapped_column(Text, default="")
    need_type: Mapped[str] = mapped_column(String(30))
    budget_min: Mapped[float | None] = mapped_column(Numeric(12, 2))
    budget_max: Mapped[float | None] = mapped_column(Numeric(12, 2))
    deadline: Mapped[date | None] = mapped_column(Date, index=True)
    wanted_maturity: Mapped[str | None] = mapped_column(String(20))
    # 需求征集: the campaign it was collected in, the officer who entered it on a visit, the answers
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id"), index=True)
    collected_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answers: Mapped[dict | None] = mapped_column(JSON)
    indicators: Mapped[list[NeedIndicator]] = relationship(
        order_by="NeedIndicator.position", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def public_text(self) -> str:
        """The need's public summary."""
        return self.summary

    def as_listing_dict(self) -> dict[str, Any]:
        """The CONTRACTS.md listing dict for search and matching."""
        data = self.base_dict()
        data.update(
            need_type=self.need_type,
            maturity=self.wanted_maturity,
            trl=None,
            budget_min=_num(self.budget_min),
            budget_max=_num(self.budget_max),
            deadline=_iso(self.deadline),
        )
        return data


class NeedIndicator(db.Model):  # type: ignore[name-defined]
    """A technical indicator (技术指标) of a need: name, comparator, target value and unit, as on 榜单."""

    __tablename__ = "need_indicators"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(100))
    comparator: Mapped[str] = mapped_column(String(2), default=">=")  # >=, <=, =
    target: Mapped[float] = mapped_column(Numeric(18, 4))
    unit: Mapped[str] = mapped_column(String(20), default="")


class ResearchOutput(ListingMixin, db.Model):  # type: ignore[name-defined]
    """科技成果: a research result offered for transfer, licensing or cooperation."""

    __tablename__ = "outputs"
    __table_args__ = (
        UniqueConstraint("org_id", "external_ref", name="uq_outputs_org_external_ref"),
        {"sqlite_autoincrement": True},  # ids never reused: search versions are per id
    )
    KIND = "output"

    abstract: Mapped[str] = mapped_column(Text, default="")
    maturity: Mapped[str] = mapped_column(String(20))
    trl: Mapped[int | None] = mapped_column(Integer)
    ip: Mapped[list] = mapped_column(JSON, default=list)
    price: Mapped[float | None] = mapped_column(Numeric(12, 2))
    negotiable: Mapped[bool] = mapped_column(Boolean, default=True)
    team_lead: Mapped[str] = mapped_column(String(50), default="")
    valid_until: Mapped[date | None] = mapped_column(Date)

    @property
    def public_text(self) -> str:
        """The output's public abstract."""
        return self.abstract

    @property
    def deadline(self) -> date | None:
        """Outputs expire at valid_until, like needs at their deadline."""
        return self.valid_until

    def as_listing_dict(self) -> dict[str, Any]:
        """The CONTRACTS.md listing dict for search and matching."""
        data = self.base_dict()
        price = _num(self.price)
        data.update(
            maturity=self.maturity,
            trl=self.trl,
            budget_min=price,
            budget_max=price,
            negotiable=self.negotiable,
            deadline=_iso(self.valid_until),
        )
        return data


# The catalogue's default order (newest shown first) walked through an index instead of sorting
# every public row for each page; status rides along so the public filter needs no row lookup.
for _model in (TechnologyNeed, ResearchOutput):
    Index(
        f"ix_{_model.__tablename__}_shown",
        func.coalesce(_model.published_at, _model.created_at),
        _model.id,
        _model.status,
    )

LISTING_MODELS: dict[str, type[TechnologyNeed] | type[ResearchOutput]] = {
    "need": TechnologyNeed,
    "output": ResearchOutput,
}
