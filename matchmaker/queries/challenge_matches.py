"""Research outputs (and teams) that could take on a challenge, ranked by the matching engine (read-only).

A challenge is ranked like a need: text candidates from the search backend, re-ranked with the
explainable features. Nothing is stored; the ranking feeds ``GET /challenges/{id}/matches`` and
the push to the owners of the best outputs when a challenge is published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.engine import rank
from matchmaker.matching.weights import Weights
from matchmaker.models import Challenge, ResearchOutput
from matchmaker.queries.candidates import listing_candidates as output_candidates

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


def _candidates(challenge: Challenge, pool: int) -> list[tuple[dict[str, Any], float]]:
    """Text candidates as the matching service finds them for a need, minus the posting units."""
    excluded = _excluded_orgs(challenge)
    return [
        (data, score) for data, score in output_candidates(challenge, pool) if data["org_id"] not in excluded
    ]


def rank_outputs(challenge: Challenge, top: int = LIST_TOP) -> list[RankedOutput]:
    """Published outputs best suited to the challenge, best first, with score breakdown and reasons."""
    weights = Weights.from_mapping(current_app.config.get("MATCH_WEIGHTS"))
    query = challenge.as_listing_dict()
    scored = rank(query, _candidates(challenge, weights.candidate_pool), weights=weights, top=top)
    outputs = {o.id: o for o in db.session.scalars(select(ResearchOutput).where(
        ResearchOutput.id.in_([int(s.object_id) for s in scored])  # type: ignore[call-overload]
    ))}  # fmt: skip
    return [
        RankedOutput(outputs[int(s.object_id)], s.total, s.breakdown, s.explanation)  # type: ignore[call-overload]
        for s in scored
        if int(s.object_id) in outputs  # type: ignore[call-overload]
    ]


def push_targets(challenge: Challenge) -> list[RankedOutput]:
    """The strong matches whose owners hear about a newly published challenge."""
    cfg = current_app.config
    floor = cfg.get("MATCH_PUSH_MIN_SCORE", 0.9)
    return [r for r in rank_outputs(challenge, top=PUSH_TOP) if r.score >= floor]
