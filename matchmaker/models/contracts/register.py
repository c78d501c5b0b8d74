"""The technology contract register (技术合同登记台账): every registered contract in the region.

A contract is attributed to counties both ways: 吸纳 (the buyer's region) and 输出 (the seller's).
Sources: a match's contract step, a 揭榜挂帅 award, manual entry by staff, or the import of the
provincial registration system's export. The contract number (合同登记号) is unique, so a re-import
or a second source for the same contract finds the row instead of counting it twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow

CONTRACT_TYPES = {
    "development": "技术开发",
    "transfer": "技术转让",
    "licensing": "技术许可",
    "consulting": "技术咨询",
    "service": "技术服务",
}
CONTRACT_SOURCES = {
    "match": "平台对接",
    "challenge": "揭榜挂帅",
    "manual": "人工登记",
    "import": "省登记系统导入",
}
PLATFORM_SOURCES = ("match", "challenge")


class TechContract(db.Model):  # type: ignore[name-defined]
    """One registered technology contract (技术合同), amounts in 万元."""

    __tablename__ = "tech_contracts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)  # 合同登记号
    name: Mapped[str] = mapped_column(String(200))
    contract_type: Mapped[str] = mapped_column(String(12), index=True)
    fields: Mapped[list] = mapped_column(JSON, default=list)
    buyer_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    buyer_name: Mapped[str] = mapped_column(String(120))
    buyer_region: Mapped[str] = mapped_column(String(6), index=True)  # 吸纳
    seller_org_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"), index=True)
    seller_name: Mapped[str] = mapped_column(String(120))
    seller_region: Mapped[str] = mapped_column(String(6), index=True)  # 输出
    amount: Mapped[float] = mapped_column(Numeric(14, 2))  # 合同成交额
    trade_amount: Mapped[float | None] = mapped_column(Numeric(14, 2))  # 技术交易额
    signed_on: Mapped[date | None] = mapped_column(Date)
    registered_on: Mapped[date] = mapped_column(Date)
    # Local midnight of registered_on as a UTC instant: the dashboard dates every figure by an instant.
    registered_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    office: Mapped[str] = mapped_column(String(100), default="")  # 登记机构
    source: Mapped[str] = mapped_column(String(10), index=True)
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id"), index=True)
    challenge_award_id: Mapped[int | None] = mapped_column(ForeignKey("challenge_awards.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def via_platform(self) -> bool:
        """Did the contract come through the platform (a match or a 揭榜挂帅 award)?"""
        return self.source in PLATFORM_SOURCES
