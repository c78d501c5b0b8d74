"""Read-side helpers of matching: which kind answers which, and how responsive organisations are.

Candidates themselves come from the in-process catalogue (``queries.catalogue``), not the search
engine, so an empty or rebuilding engine never starves a match run.
"""

from __future__ import annotations

from sqlalchemy import case, func, select

from matchmaker.extensions import db
from matchmaker.models import Match

OTHER = {"need": "output", "output": "need", "challenge": "output"}  # a challenge ranks like a need


def responsiveness(org_ids: set[int]) -> dict[int, float]:
    """Share of each organisation's matches it has answered (viewed, interested or declined)."""
    result: dict[int, float] = {}
    for side in ("need", "output"):
        org_col, state_col = getattr(Match, f"{side}_org_id"), getattr(Match, f"{side}_side")
        answered = func.sum(case((state_col != "new", 1), else_=0))
        rows = db.session.execute(
            select(org_col, func.count(), answered).where(org_col.in_(org_ids)).group_by(org_col)
        )
        for org_id, total, done in rows:
            result[org_id] = (done or 0) / total if total else 0.5
    return {org_id: result.get(org_id, 0.5) for org_id in org_ids}
