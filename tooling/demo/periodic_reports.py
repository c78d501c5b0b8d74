"""Demo 月报: last month 金湖县's report approved by the city and 盱眙县's submitted; the other
counties are late. Figures come from the demo data as submission would freeze them. Idempotent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import PeriodicReport, User
from matchmaker.models.common import CHINA
from matchmaker.reports.periodic import platform_figures

COUNTIES = {"320831": ("staff.jinhu", "approved"), "320830": ("staff.xuyi", "submitted")}
MANUAL = [
    {"name": "走访企业", "value": 26, "unit": "家", "source": "县科技局走访台账"},
    {"name": "高校院所专家来县服务", "value": 8, "unit": "人次", "source": "县科技局工作记录"},
]


def _user(local: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == f"{local}@demo.matchmaker.cn"))


def seed_reports(now: datetime) -> str:
    """Last month's reports of 金湖 (approved) and 盱眙 (submitted) unless they exist."""
    first = now.astimezone(CHINA).date().replace(day=1)
    period = (first - timedelta(days=1)).strftime("%Y-%m")
    if db.session.scalar(select(PeriodicReport.id).where(PeriodicReport.period == period)) is not None:
        return "月报：演示报表已存在。"
    city = _user("staff.city")
    for region, (local, status) in COUNTIES.items():
        author = _user(local)
        if author is None or city is None:
            return "月报：未找到演示账号，跳过。"
        report = PeriodicReport(
            region=region, period_kind="month", period=period, version=1, status=status,
            figures=platform_figures(region, "month", period), manual=MANUAL,
            summary="本月围绕重点产业链开展需求征集和成果推送，组织企业走进高校院所。",
            created_by=author.id, submitted_by=author.id, submitted_at=now - timedelta(days=3),
        )  # fmt: skip
        if status == "approved":
            report.reviewed_by, report.reviewed_at = city.id, now - timedelta(days=1)
        db.session.add(report)
    db.session.commit()
    return f"月报：{period} 金湖县已审定、盱眙县待审核，其余县区未报。"
