"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# China time (UTC+8, no daylight saving): the calendar days, deadlines and office hours users mean.
# PostgreSQL `integer`, the type of every id, count and position column.
INT_MIN, INT_MAX = -(2**31), 2**31 - 1
CHINA = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    """Timezone-aware now in UTC; every stored time is UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        """Normalise to UTC before writing."""
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        """Attach UTC to naive values coming back from SQLite."""
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value
