"""科技副总 placements: a researcher placed part-time in an enterprise as its technology vice-president.

A placement joins three parties: the enterprise, the researcher, and the researcher's unit (高校院所),
each of which confirms the same terms. Then the enterprise's county reviews it and recommends it to
the province (省科技副总 application): ``consenting`` → ``agreed`` → ``recommended`` (推荐) →
``approved`` (立项) or ``not_approved`` (未立项); staff may also decline to recommend (``declined``).
An approved placement gets one work report per year of its term (the researcher writes, the
enterprise countersigns) and an assessment at the end (优秀/合格/不合格, status ``assessed``).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow
from matchmaker.models.organizations import Organization
from matchmaker.models.users import User

PLACEMENT_STATUSES = {
    "consenting": "三方确认中",
    "agreed": "三方已确认，待县区审核",
    "declined": "县区不予推荐",
    "recommended": "已推荐至省",
    "approved": "省级立项",
    "not_approved": "省级未立项",
    "assessed": "期满已考核",
}
# The 省科技副总 application status as the province words it.
PROVINCE_STATUS = {"recommended": "推荐", "approved": "立项", "assessed": "立项", "not_approved": "未立项"}
GRADES = {"excellent": "优秀", "qualified": "合格", "unqualified": "不合格"}
PARTIES = {"enterprise": "企业", "researcher": "科研人员", "unit": "派出单位"}
OPEN_STATUSES = ("consenting", "agreed", "recommended", "approved")


class Placement(db.Model):  # type: ignore[name-defined]
    """One 科技副总 placement: who, where, for how long, doing what, for how much (万元/年)."""

    __tablename__ = "placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)  # the enterprise
    region: Mapped[str] = mapped_column(String(6), index=True)  # the enterprise's county
    researcher_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    unit_org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    need_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    fields: Mapped[list] = mapped_column(JSON, default=list)
    duties: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    days_per_month: Mapped[int] = mapped_column(Integer)
    pay: Mapped[float] = mapped_column(Numeric(10, 2))  # 万元/年
    status: Mapped[str] = mapped_column(String(14), default="consenting", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    enterprise_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    enterprise_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    researcher_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unit_confirmed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    unit_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(String(1000), default="")
    recommended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recommended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    province_decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    province_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    province_note: Mapped[str] = mapped_column(String(500), default="")  # e.g. the 立项 document number
    grade: Mapped[str | None] = mapped_column(String(12))
    assessment_comment: Mapped[str] = mapped_column(String(2000), default="")
    assessed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    org: Mapped[Organization] = relationship(foreign_keys=[org_id], lazy="joined")
    unit: Mapped[Organization] = relationship(foreign_keys=[unit_org_id], lazy="joined")
    researcher: Mapped[User] = relationship(foreign_keys=[researcher_id], lazy="joined")
    reports: Mapped[list[PlacementReport]] = relationship(
        order_by="PlacementReport.year", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def province_status(self) -> str | None:
        """推荐, 立项 or 未立项 once recommended; None before."""
        return PROVINCE_STATUS.get(self.status)

    def term_years(self) -> int:
        """How many yearly work reports the term calls for (a started year counts)."""
        months = (self.ends_on.year - self.starts_on.year) * 12 + self.ends_on.month - self.starts_on.month
        return max(1, -(-months // 12))


class PlacementReport(db.Model):  # type: ignore[name-defined]
    """The researcher's work report for one year of the term, countersigned by the enterprise."""

    __tablename__ = "placement_reports"
    __table_args__ = (UniqueConstraint("placement_id", "year", name="uq_placement_reports_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    placement_id: Mapped[int] = mapped_column(ForeignKey("placements.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)  # 1 for the first year of the term
    summary: Mapped[str] = mapped_column(Text)
    days_on_site: Mapped[int] = mapped_column(Integer)
    results: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    countersigned_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    countersigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enterprise_comment: Mapped[str] = mapped_column(String(1000), default="")
