"""Which pairs a match run stands behind: every pair is scored as the need's own ranking scores it.

The 匹配度 maps were fitted on needs ranked against outputs (``matching.calibration``), and the
need's owner is the one asking; an output's ranking against needs is not calibrated (its scores
are normalised by a long abstract's own terms: a generic shared word such as 电池 can carry it).
So whichever side was published, a pair is stored with the need's probability, breakdown and
position: an output's run finds the needs it could answer with its own ranking, then keeps
those whose own ranking lists the output.

A push needs each side among the other's best ``MATCH_PUSH_TOP``: a firm hears of an output
only when it is among the best for its need, and a research team of a need only when it is
among the best needs for its output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matchmaker.extensions import db
from matchmaker.matching.engine import Scored
from matchmaker.matching.pipeline import Catalogue
from matchmaker.models import ResearchOutput, TechnologyNeed
from matchmaker.queries.catalogue import catalogue_of, rank_for


@dataclass(frozen=True)
class Pair:
    """A need and an output with the need's ranking of the output (``item``) and both positions."""

    need_id: int
    output_id: int
    item: Scored
    need_position: int  # where the need's ranking places the output
    output_position: int | None = None  # where the output's ranking places the need, if known


def _position(ranked: list[Scored], object_id: int) -> int | None:
    return next((i for i, s in enumerate(ranked) if s.object_id == object_id), None)


def pairs_for(listing: Any, top: int) -> list[Pair]:
    """The pairs a run of this listing stores, best first by the run's own ranking."""
    if listing.KIND == "need":
        ranked = rank_for(listing, top=top)
        return [Pair(listing.id, int(s.object_id), s, i) for i, s in enumerate(ranked)]  # type: ignore[call-overload]
    outputs = catalogue_of("output")
    pairs = []
    for position, found in enumerate(rank_for(listing, top=top, floor=0.0)):
        need = db.session.get(TechnologyNeed, found.object_id)
        ranked = rank_for(need, top=top, catalogue=outputs) if need is not None else []
        at = _position(ranked, listing.id)
        if need is not None and at is not None:
            pairs.append(Pair(need.id, listing.id, ranked[at], at, position))
    return pairs


def need_lists(need: TechnologyNeed, output_id: int, top: int, outputs: Catalogue | None = None) -> bool:
    """Whether the need's own ranking (store floor applied) lists the output."""
    if need.status != "published":
        return False
    return _position(rank_for(need, top=top, catalogue=outputs), output_id) is not None


def mutual_top(pair: Pair, push_top: int) -> bool:
    """Whether each side places the other among its best ``push_top`` (the push condition)."""
    if pair.need_position >= push_top:
        return False
    at = pair.output_position
    if at is None:
        output = db.session.get(ResearchOutput, pair.output_id)
        at = None if output is None else _position(rank_for(output, top=push_top, floor=0.0), pair.need_id)
    return at is not None and at < push_top
