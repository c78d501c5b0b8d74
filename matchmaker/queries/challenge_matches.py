"""Research outputs (and teams) that could take on a challenge, ranked by the matching engine (read-only).

A challenge is ranked like a need, through the one ranking path (``queries.catalogue.rank_for``):
hybrid candidates, explainable re-ranking, calibrated 匹配度 and its floor. Nothing is stored;
the ranking feeds ``GET /challenges/{id}/matches`` and the push to the owners of the best outputs
when a challenge is published.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Challenge, ResearchOutput
from matchmaker.queries.catalogue import rank_for

PUSH_TOP = 5  # owners of this many best outputs hear about a newly published challenge
LIST_TOP = 20


@dataclass
class RankedOutput:
    """One output ranked for a challenge."""

    output: ResearchOutput
    score: float
    breakdown: dict[str, float]
    explanation: str


def _excluded_orgs(challenge: Challenge) -> set[int]:
    """The posting unit and its co-posters never take on their own challenge."""
    return {challenge.org_id} | {int(c["org_id"]) for c in challenge.co_posters or [] if c.get("org_id")}


def rank_outputs(challenge: Challenge, top: int = LIST_TOP) -> list[RankedOutput]:
    """Published outputs best suited to the challenge, best first, with score breakdown and reasons."""
    scored = rank_for(challenge, top=top, exclude_orgs=_excluded_orgs(challenge))
    outputs = {o.id: o for o in db.session.scalars(select(ResearchOutput).where(
        ResearchOutput.id.in_([int(s.object_id) for s in scored])  # type: ignore[call-overload]
    ))}  # fmt: skip
    return [
        RankedOutput(outputs[int(s.object_id)], s.probability, s.breakdown, s.explanation)  # type: ignore[call-overload]
        for s in scored
        if int(s.object_id) in outputs  # type: ignore[call-overload]
    ]


def push_targets(challenge: Challenge) -> list[RankedOutput]:
    """The strong matches whose owners hear about a newly published challenge."""
    cfg = current_app.config
    floor = cfg.get("MATCH_PUSH_MIN_SCORE", 0.9)
    return [r for r in rank_outputs(challenge, top=PUSH_TOP) if r.score >= floor]
