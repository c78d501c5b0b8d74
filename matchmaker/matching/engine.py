"""Re-ranking of text candidates with explainable features (匹配排序).

``rank`` takes a query listing (a need or an output, CONTRACTS listing dict) and candidates from
the text stage as ``(listing, text_score)`` pairs, scores every candidate as the weighted sum of
its features, and keeps at most ``per_org_cap`` matches per organisation in the top list.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from matchmaker.matching import features as ft
from matchmaker.matching import taxo
from matchmaker.matching.explain import explain
from matchmaker.matching.textindex import listing_text
from matchmaker.matching.weights import FEATURES, Weights
from search.analysis import IdfTable, segment


@dataclass(frozen=True)
class Scored:
    """One ranked candidate: total score, per-feature contributions and the reason in Chinese."""

    object_id: Hashable
    org_id: int | None
    total: float
    breakdown: dict[str, float]
    explanation: str
    keywords: tuple[str, ...] = ()


def keyword_weigher(idf: IdfTable) -> Callable[[str], float]:
    """Weight of a keyword phrase: the highest corpus IDF among its tokens (rare words weigh more)."""

    def weight(keyword: str) -> float:
        return max((idf.idf(t) for t in segment(keyword)), default=1.0)

    return weight


def _paths(listing: Mapping) -> list[list[str]]:
    given = listing.get("field_paths")
    if given:
        return [list(p) for p in given]
    return [taxo.field_path(code) for code in listing.get("fields") or ()]


def _trl(listing: Mapping, wanted: bool) -> int | None:
    if listing.get("trl"):
        return int(listing["trl"])
    span = taxo.stage_trl(listing.get("maturity"))
    return None if span is None else span[0 if wanted else 1]


def _price(listing: Mapping, budget: bool) -> float | None:
    low, high = listing.get("budget_min"), listing.get("budget_max")
    return (high if high is not None else low) if budget else (low if low is not None else high)


def _region(listing: Mapping) -> str | None:
    return listing.get("region") or listing.get("org_region")


def _features(
    query: Mapping, cand: Mapping, text: float, weights: Weights, now: datetime, kw: Callable[[str], float]
) -> dict[str, Any]:
    """Feature values of one candidate plus what the explanation needs."""
    need, output = (cand, query) if query.get("kind") == "output" else (query, cand)
    va, hits_a = ft.keyword_overlap(query.get("keywords") or (), listing_text(cand), kw)
    vb, hits_b = ft.keyword_overlap(cand.get("keywords") or (), listing_text(query), kw)
    field_value, field_code = ft.field_agreement(_paths(query), _paths(cand))
    region_value, region_level = ft.region_proximity(_region(query), _region(cand))
    modes_value, modes = ft.mode_compatibility(need.get("modes") or (), output.get("modes") or ())
    return {
        "text": text,
        "keywords_value": max(va, vb),
        "keywords": list(dict.fromkeys(hits_a + hits_b)),
        "field_value": field_value,
        "field": field_code,
        "region_value": region_value,
        "region_level": region_level,
        "region": _region(cand),
        "modes_value": modes_value,
        "modes": modes,
        "maturity": ft.maturity_fit(_trl(need, True), _trl(output, False)),
        "budget": ft.budget_fit(_price(need, True), _price(output, False)),
        "freshness": ft.freshness(
            cand.get("updated_at") or cand.get("published_at"), now, weights.freshness_half_life_days
        ),
        "responsiveness": ft.responsiveness(cand.get("responsiveness")),
    }


def _value(details: Mapping[str, Any], feature: str) -> float:
    return float(details.get(f"{feature}_value", details.get(feature, 0.0)) or 0.0)


def score_candidate(
    query: Mapping,
    cand: Mapping,
    text_score: float,
    *,
    weights: Weights,
    now: datetime,
    keyword_weight: Callable[[str], float] | None = None,
) -> Scored:
    """Score one candidate against the query: breakdown {feature: weight x value} and explanation."""
    details = _features(query, cand, text_score, weights, now, keyword_weight or (lambda _: 1.0))
    breakdown = {f: round(weights.feature_weight(f) * _value(details, f), 6) for f in FEATURES}
    return Scored(
        object_id=cand.get("id"),
        org_id=cand.get("org_id"),
        total=round(sum(breakdown.values()), 6),
        breakdown=breakdown,
        explanation=explain(details),
        keywords=tuple(details["keywords"]),
    )


def cap_per_org(scored: Iterable[Scored], top: int, per_org_cap: int) -> list[Scored]:
    """The first ``top`` items keeping at most ``per_org_cap`` from any one organisation."""
    taken: list[Scored] = []
    counts: dict[int, int] = {}
    for item in scored:
        if item.org_id is not None:
            if counts.get(item.org_id, 0) >= per_org_cap:
                continue
            counts[item.org_id] = counts.get(item.org_id, 0) + 1
        taken.append(item)
        if len(taken) >= top:
            break
    return taken


def rank(
    query_listing: Mapping,
    candidates: Iterable[tuple[Mapping, float]],
    *,
    weights: Weights | None = None,
    top: int = 10,
    per_org_cap: int | None = None,
    now: datetime | None = None,
    keyword_weight: Callable[[str], float] | None = None,
) -> list[Scored]:
    """Rank (listing, text score) candidates for a query listing, best first, org-capped."""
    weights = weights or Weights()
    now = now or datetime.now(UTC)
    own = (query_listing.get("kind"), query_listing.get("id"))
    pairs = [(c, s) for c, s in candidates if (c.get("kind"), c.get("id")) != own]
    best = max((s for _, s in pairs), default=1.0)
    kw = cache(keyword_weight) if keyword_weight else None
    scored = [
        score_candidate(
            query_listing,
            cand,
            ft.text_relevance(s, best),
            weights=weights,
            now=now,
            keyword_weight=kw,
        )
        for cand, s in pairs
    ]
    scored.sort(key=lambda x: (-x.total, -x.breakdown["text"], str(x.object_id)))
    cap = weights.per_org_cap if per_org_cap is None else per_org_cap
    return cap_per_org(scored, top, cap)
