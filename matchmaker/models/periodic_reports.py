"""Periodic county reports (月报/季报): platform figures plus manual fields, submitted to the city.

A county's report for a period is ``draft`` → ``submitted`` → ``approved`` (locked) or
``returned`` (with the city's comment; edited and submitted again). A correction of an approved
report is a new version (``version`` + 1) that starts as a draft; once it is approved the earlier
version becomes ``superseded``.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from matchmaker.extensions import db
from matchmaker.models.common import UTCDateTime, utcnow

REPORT_STATUSES = ("draft", "submitted", "returned", "approved", "superseded")
PERIOD_KINDS = {"month": "月报", "quarter": "季报"}
_PERIOD = {"month": re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "quarter": re.compile(r"^(\d{4})-Q([1-4])$")}


def period_days(kind: str, period: str) -> tuple[date, date] | None:
    """First and last day of 2026-11 (month) or 2026-Q4 (quarter); None when malformed."""
    found = _PERIOD[kind].match(period)
    if found is None:
        return None
    year, n = int(found.group(1)), int(found.group(2))
    first_month, last_month = (n, n) if kind == "month" else (3 * n - 2, 3 * n)
    return date(year, first_month, 1), date(year, last_month, monthrange(year, last_month)[1])


class PeriodicReport(db.Model):  # type: ignore[name-defined]
    """One version of a county's report for a month (2026-11) or a quarter (2026-Q4)."""

    __tablename__ = "periodic_reports"
    __table_args__ = (UniqueConstraint("region", "period", "version", name="uq_periodic_reports_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str] = mapped_column(String(6), index=True)
    period_kind: Mapped[str] = mapped_column(String(8))
    period: Mapped[str] = mapped_column(String(8), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default="draft", index=True)
    # Platform figures, frozen at submission: {metric key: value}
    figures: Mapped[dict] = mapped_column(JSON, default=dict)
    # Indicators the platform cannot know: [{"name", "value", "unit", "source"}]
    manual: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(String(2000), default="")  # the city's reason for returning
    created_by: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
