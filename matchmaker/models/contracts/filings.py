"""产学研合作项目备案: an enterprise files a cooperation project with a university or institute.

Status: draft -> submitted -> approved (with a 备案编号), or returned (with reasons) and submitted
again. Payments made so far are kept one by one (date and amount), since a subsidy round counts
only what was paid inside its period.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.organizations import Organization

FILING_STATUSES = ("draft", "submitted", "returned", "approved")
FILING_CATEGORIES = {"general": "一般产学研合作", "challenge": "揭榜挂帅项目", "key_chain": "重点产业链项目"}
ATTACHMENT_KINDS = {"contract": "合同扫描件", "invoice": "发票", "payment": "付款凭证", "other": "其他材料"}
CHECKLIST = {
    "partner_verified": "合作方真实存在且名称准确",
    "contract_registered": "合同已在技术合同登记台账中登记",
    "amounts_consistent": "合同金额、发票与付款凭证金额一致",
}


class CooperationFiling(db.Model):  # type: ignore[name-defined]
    """One filed 产学研 cooperation project, amounts in 万元."""

    __tablename__ = "cooperation_filings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    title: Mapped[str] = mapped_column(String(200))
    content: Mapped[str] = mapped_column(Text, default="")
    partner_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    partner_name: Mapped[str] = mapped_column(String(120))
    contract_id: Mapped[int | None] = mapped_column(ForeignKey("tech_contracts.id"), index=True)
    contract_number: Mapped[str | None] = mapped_column(String(40))
    amount: Mapped[float] = mapped_column(Numeric(14, 2))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(12), default="general")
    payments: Mapped[list] = mapped_column(JSON, default=list)  # [{"paid_on": "YYYY-MM-DD", "amount": 30.0}]
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id"))
    challenge_award_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_awards.id"))
    status: Mapped[str] = mapped_column(String(10), default="draft", index=True)
    checklist: Mapped[dict] = mapped_column(JSON, default=dict)
    return_reasons: Mapped[list] = mapped_column(JSON, default=list)
    filing_number: Mapped[str | None] = mapped_column(String(30), unique=True)  # 备案编号
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)

    org: Mapped[Organization] = relationship(foreign_keys=[org_id], lazy="joined")
    attachments: Mapped[list[FilingAttachment]] = relationship(
        order_by="FilingAttachment.id", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def paid_amount(self) -> float:
        """What was paid so far (万元)."""
        return round(sum(float(p["amount"]) for p in self.payments or []), 2)


class FilingAttachment(db.Model):  # type: ignore[name-defined]
    """A file behind a filing (contract scan, invoice, payment voucher): PDF or image, stored by key."""

    __tablename__ = "cooperation_filing_attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filing_id: Mapped[int] = mapped_column(
        ForeignKey("cooperation_filings.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size: Mapped[int] = mapped_column(Integer)
    storage_key: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
