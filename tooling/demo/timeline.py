"""Workflow states and believable timestamps for demo listings over the last twelve months."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

# Share of listings in each workflow state; most are published, every state is present.
STATUS_SHARES = {
    "published": 0.68,
    "submitted": 0.08,
    "draft": 0.07,
    "rejected": 0.06,
    "closed": 0.06,
    "expired": 0.05,
}
# The states a featured demo account walks through first, so every screen has something to show.
FEATURED_STATUSES = ("published", "published", "submitted", "draft", "rejected", "closed")
# How long ago (days) a listing in each state was created.
_AGE = {
    "draft": (0, 45),
    "submitted": (1, 20),
    "published": (6, 360),
    "rejected": (4, 200),
    "closed": (90, 360),
    "expired": (150, 365),
}
# Version after the transitions each state implies (create, submit, publish or reject, close/expire).
_VERSION = {"draft": 1, "submitted": 2, "published": 3, "rejected": 3, "closed": 4, "expired": 4}


def status_pool(rng: random.Random, total: int) -> list[str]:
    """Exactly `total` states in the STATUS_SHARES proportions, shuffled."""
    pool = [s for s, share in STATUS_SHARES.items() if s != "published" for _ in range(round(total * share))]
    pool += ["published"] * (total - len(pool))
    rng.shuffle(pool)
    return pool


def _moment(rng: random.Random, start: datetime, low_hours: float, high_hours: float) -> datetime:
    return start + timedelta(hours=rng.uniform(low_hours, high_hours))


def timeline(rng: random.Random, status: str, now: datetime, valid_days: tuple[int, int]) -> dict[str, Any]:
    """Timestamps, version and deadline for a listing in this state (deadline days if still open)."""
    age = timedelta(days=rng.randint(*_AGE[status]), minutes=rng.randint(0, 600))
    created = now - age
    out: dict[str, Any] = {"created_at": created, "updated_at": created, "version": _VERSION[status]}
    out.update(submitted_at=None, published_at=None, closed_at=None)
    if status == "draft":
        out["deadline"] = _future(rng, now, valid_days)
        return out
    out["submitted_at"] = submitted = min(_moment(rng, created, 0.2, 30), now - timedelta(minutes=5))
    out["updated_at"] = submitted
    if status == "submitted":
        out["deadline"] = _future(rng, now, valid_days)
        return out
    decided = min(_moment(rng, submitted, 2, 96), now - timedelta(minutes=1))
    out["updated_at"] = decided
    if status == "rejected":
        out["deadline"] = _future(rng, now, valid_days)
        return out
    out["published_at"] = decided
    if status == "closed":
        out["closed_at"] = out["updated_at"] = _moment(rng, decided, 24 * 20, 24 * 80)
        out["deadline"] = _future(rng, now, (10, 120))
    elif status == "expired":
        out["deadline"] = now.date() - timedelta(days=rng.randint(2, 100))
        out["updated_at"] = datetime.combine(out["deadline"], decided.timetz()) + timedelta(days=1)
    else:
        out["deadline"] = _future(rng, now, valid_days)
    return out


def _future(rng: random.Random, now: datetime, days: tuple[int, int]) -> date:
    return now.date() + timedelta(days=rng.randint(*days))
