"""The 公示 rules every public announcement follows (揭榜挂帅 winners, 奖补 lists).

The window defaults to five working days from today (or ends on a chosen later Beijing date, at
23:59:59); objections are accepted only inside it; the final decision needs the window to be over
and every objection handled.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from matchmaker.errors import Conflict, ValidationFailed
from matchmaker.models.common import CHINA

PUBLICITY_WORKING_DAYS = 5


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Beijing time of the day, as an aware UTC datetime."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=CHINA).astimezone(UTC)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days (Monday to Friday) after ``start``."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def window_end(ends_on: date | None, *, today: date) -> date:
    """The last day of 公示: five working days unless a later date is given (422 for today or earlier)."""
    if ends_on is None:
        return add_working_days(today, PUBLICITY_WORKING_DAYS)
    if ends_on <= today:
        raise ValidationFailed(errors={"ends_on": ["公示截止日期应晚于今天"]})
    return ends_on


def in_window(ends_at: datetime | None, *, now: datetime) -> bool:
    """Is the 公示 window still open at ``now``?"""
    return ends_at is not None and now <= ends_at


def require_closable(ends_at: datetime | None, open_objections: int, *, now: datetime, what: str) -> None:
    """409 unless the window is over and every objection has been handled."""
    if in_window(ends_at, now=now):
        raise Conflict(f"公示期尚未结束，不能{what}")
    if open_objections:
        raise Conflict("尚有未处理的异议，请先处理异议")
