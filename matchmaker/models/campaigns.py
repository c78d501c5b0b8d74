"""Need collection campaigns (需求征集): a period, a target, the industries and counties it covers.

Needs collected in a campaign carry its id (``needs.campaign_id``); a need entered by staff during
a visit to a firm (走访) also carries the officer (``needs.collected_by``) and belongs to the firm.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.organizations import Organization

CAMPAIGN_STATUSES = ("open", "closed")


class Campaign(db.Model):  # type: ignore[name-defined]
    """A 需求征集 run by a bureau: what it collects, where, until when and how many it aims for."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    region: Mapped[str] = mapped_column(String(6), index=True)  # the running bureau's scope
    counties: Mapped[list] = mapped_column(JSON, default=list)  # empty: the whole region
    industries: Mapped[list] = mapped_column(JSON, default=list)  # field codes; empty: every field
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    target_count: Mapped[int] = mapped_column(Integer)
    # Extra questions asked with each need: [{"key": str, "label": str, "required": bool}]
    questions: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CampaignInvitation(db.Model):  # type: ignore[name-defined]
    """An enterprise invited to a campaign (it is told once; inviting again changes nothing)."""

    __tablename__ = "campaign_invitations"
    __table_args__ = (UniqueConstraint("campaign_id", "org_id", name="uq_campaign_invitations_org"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    invited_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org: Mapped[Organization] = relationship(lazy="joined")
