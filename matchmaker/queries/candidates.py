"""Candidate generation for matching: text candidates from the search engine, as plain data.

Read-only: the write services (match runs) and the cause loaders (challenge pushes) both call it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select

from matchmaker.extensions import db, search_backend
from matchmaker.models import LISTING_MODELS, Match
from search.analysis import segment

OTHER = {"need": "output", "output": "need", "challenge": "output"}  # a challenge ranks like a need
MAX_QUERY_TOKENS = 48


def query_tokens(listing: dict[str, Any]) -> list[str]:
    """Distinct tokens of the listing's title, keywords and public text, for candidate generation."""
    text = " ".join([listing["title"], " ".join(listing.get("keywords") or []), listing.get("summary") or ""])
    return list(dict.fromkeys(segment(text)))[:MAX_QUERY_TOKENS]


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


def listing_candidates(listing: Any, pool: int) -> list[tuple[dict[str, Any], float]]:
    """Published listings of the other kind that the search engine finds for this one, as plain dicts."""
    other = OTHER[listing.KIND]
    query = listing.as_listing_dict()
    hits = search_backend().candidates(other, query_tokens(query), pool, exclude_org=listing.org_id)
    if not hits:
        return []
    model = LISTING_MODELS[other]
    rows = {r.id: r for r in db.session.scalars(select(model).where(model.id.in_([i for i, _ in hits])))}
    live = [(rows[i], s) for i, s in hits if i in rows and rows[i].status == "published"]
    answer = responsiveness({r.org_id for r, _ in live})
    pairs = []
    for row, score in live:
        data = row.as_listing_dict()
        data["org_region"] = row.org.region if row.org else None
        data["responsiveness"] = answer.get(row.org_id, 0.5)
        pairs.append((data, score))
    return pairs
