"""创新券 (innovation vouchers): a yearly batch with a budget, service providers, and the vouchers.

A voucher goes applied -> issued -> claimed -> redeemed (or rejected; an issued voucher not claimed
in time expires). Issuing reserves the amount in the batch (``committed``); expiry and a payout
below the face value give the rest back. ``committed`` can never exceed ``budget``: the issuing
UPDATE is conditional and a CHECK constraint stands behind it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
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

VOUCHER_STATUSES = ("applied", "rejected", "issued", "claimed", "redeemed", "expired")
PROVIDER_STATUSES = ("pending", "approved", "rejected")


class VoucherBatch(db.Model):  # type: ignore[name-defined]
    """A yearly voucher batch (创新券批次) of a bureau, with its budget in 万元."""

    __tablename__ = "voucher_batches"
    __table_args__ = (CheckConstraint("committed >= 0 AND committed <= budget", name="budget"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    region: Mapped[str] = mapped_column(String(6), index=True)
    budget: Mapped[float] = mapped_column(Numeric(14, 2))
    committed: Mapped[float] = mapped_column(Numeric(14, 2), default=0)  # issued and not given back
    paid_out: Mapped[float] = mapped_column(Numeric(14, 2), default=0)
    max_amount: Mapped[float] = mapped_column(Numeric(14, 2))  # per voucher
    # Who may apply: qualification codes (any of them, e.g. tech_sme 科技型中小企业); empty = every enterprise
    qualifications: Mapped[list] = mapped_column(JSON, default=list)
    valid_until: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VoucherProvider(db.Model):  # type: ignore[name-defined]
    """A registered service provider (服务机构): university, institute or testing lab, approved by staff."""

    __tablename__ = "voucher_providers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), unique=True)
    services: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org: Mapped[Organization] = relationship(lazy="joined")


class Voucher(db.Model):  # type: ignore[name-defined]
    """One enterprise's voucher in a batch: application, issue, the service bought, redemption (兑现)."""

    __tablename__ = "vouchers"
    __table_args__ = (UniqueConstraint("batch_id", "org_id", name="uq_vouchers_batch_org"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("voucher_batches.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)  # the enterprise's county
    status: Mapped[str] = mapped_column(String(10), default="applied", index=True)
    requested_amount: Mapped[float] = mapped_column(Numeric(14, 2))
    purpose: Mapped[str] = mapped_column(Text, default="")
    reject_reason: Mapped[str | None] = mapped_column(String(500))
    amount: Mapped[float | None] = mapped_column(Numeric(14, 2))  # face value once issued
    code: Mapped[str | None] = mapped_column(String(30), unique=True)  # 券号
    valid_until: Mapped[date | None] = mapped_column(Date, index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("voucher_providers.id"))
    service: Mapped[dict] = mapped_column(JSON, default=dict)  # contract, invoice, service report
    claim_amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    payout_amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    redeemed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    expired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    org: Mapped[Organization] = relationship(lazy="joined")
    batch: Mapped[VoucherBatch] = relationship(lazy="joined")
