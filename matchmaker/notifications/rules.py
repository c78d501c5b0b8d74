"""Time rules for SMS, as pure functions: quiet hours in Asia/Shanghai and the frequency-cap windows."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from matchmaker.models.common import CHINA


def parse_window(window: str) -> tuple[time, time]:
    """'21:00-08:00' -> (21:00, 08:00)."""
    start, _, end = window.partition("-")
    return time.fromisoformat(start.strip()), time.fromisoformat(end.strip())


def quiet_until(now: datetime, window: str = "21:00-08:00") -> datetime | None:
    """When `now` (aware) falls in the quiet window, the instant it ends; else None."""
    start, end = parse_window(window)
    local = now.astimezone(CHINA)
    clock = local.time()
    # A window like 21:00-08:00 wraps past midnight.
    inside = start <= clock < end if start <= end else clock >= start or clock < end
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=CHINA)


def day_start(now: datetime) -> datetime:
    """Midnight of the Shanghai calendar day containing `now` (the per-number daily cap counts from it)."""
    local = now.astimezone(CHINA)
    return datetime.combine(local.date(), time(0), tzinfo=CHINA)


def next_day_morning(now: datetime, window: str = "21:00-08:00") -> datetime:
    """The end of the next quiet window after today's: where a message over the daily cap waits."""
    _, end = parse_window(window)
    local = now.astimezone(CHINA)
    return datetime.combine(local.date() + timedelta(days=1), end, tzinfo=CHINA)
