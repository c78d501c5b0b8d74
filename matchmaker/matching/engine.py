"""Re-ranking of text candidates with explainable features (匹配排序).

``rank`` takes a query listing (a need or an output, CONTRACTS listing dict) and candidates from
the candidate stage as ``(listing, evidence)`` pairs (``Evidence``: lexical score and cosine, or a
bare lexical score), scores every candidate as the weighted sum of its features, and keeps at most
``per_org_cap`` matches per organisation in the top list. The text features (lexical, semantic,
keywords) add up to the raw relevance, which ``calibration`` maps to the 匹配度 people see.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache, lru_cache
from typing import Any, TypeVar

from matchmaker.matching import features as ft
from matchmaker.matching import taxo
from matchmaker.matching.calibration import probability, style_of
from matchmaker.matching.explain import explain
from matchmaker.matching.hybrid import Evidence
from matchmaker.matching.textindex import listing_text
from matchmaker.matching.weights import FEATURES, TEXT_FEATURES, Weights
from search.analysis import IdfTable, normalize, segment

T = TypeVar("T")


@dataclass(frozen=True)
class Scored:
    """One ranked candidate: calibrated probability, raw scores, contributions and the reason."""

    object_id: Hashable
    org_id: int | None
    total: float  # raw ranking score: text relevance plus the structured features
    breakdown: dict[str, float]
    explanation: str
    keywords: tuple[str, ...] = ()
    relevance: float = 0.0  # raw text relevance (lexical + semantic + keywords)
    probability: float = 0.0  # calibrated probability that the match is relevant (匹配度)


def keyword_weigher(idf: IdfTable) -> Callable[[str], float]:
    """Weight of a keyword phrase: the highest corpus IDF among its tokens (rare words weigh more).

    Cached for the weigher's life, so a batch that ranks many needs segments each keyword once.
    """

    @cache
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


@dataclass
class _Query:
    """What every candidate is compared with, prepared once per ranking."""

    listing: Mapping
    text: str
    keywords: dict[str, tuple[str, float]]
    paths: list[list[str]]
    weights: Weights
    now: datetime
    weigh: Callable[[str], float] | None
    feature_weights: tuple[tuple[str, float], ...] = ()
    style: str = ""

    @classmethod
    def of(
        cls, listing: Mapping, weights: Weights, now: datetime, weigh: Callable[[str], float] | None
    ) -> _Query:
        """Prepare the query listing."""
        keywords = ft.prepare_keywords(listing.get("keywords") or (), weigh)
        text = normalize(listing_text(listing))
        pairs = tuple((f, weights.feature_weight(f)) for f in FEATURES)
        return cls(listing, text, keywords, _paths(listing), weights, now, weigh, pairs, style_of(listing))


@lru_cache(maxsize=16384)
def _normalized(text: str) -> str:
    """Normalised candidate text; batch runs see the same outputs for every need."""
    return normalize(text)


def _features(q: _Query, cand: Mapping, ev: Evidence) -> tuple[dict[str, float], dict[str, Any]]:
    """Feature values of one candidate, and what the explanation needs."""
    query = q.listing
    need, output = (cand, query) if query.get("kind") == "output" else (query, cand)
    va, hits_a = ft.overlap_prepared(q.keywords, _normalized(listing_text(cand)))
    vb, hits_b = 0.0, list[str]()
    if cand.get("keywords"):
        vb, hits_b = ft.overlap_prepared(ft.prepare_keywords(cand["keywords"], q.weigh), q.text)
    field_value, field_code = ft.field_agreement(q.paths, _paths(cand))
    region_value, region_level = ft.region_proximity(_region(query), _region(cand))
    modes_value, modes = ft.mode_compatibility(need.get("modes") or (), output.get("modes") or ())
    updated = cand.get("updated_at") or cand.get("published_at")
    values = {
        "text": ev.text,
        "semantic": ft.semantic_similarity(ev.semantic, max(q.weights.dense_zero, ev.background)),
        "keywords": max(va, vb),
        "field": field_value,
        "region": region_value,
        "modes": modes_value,
        "maturity": ft.maturity_fit(_trl(need, True), _trl(output, False)),
        "budget": ft.budget_fit(_price(need, True), _price(output, False)),
        "freshness": ft.freshness(updated, q.now, q.weights.freshness_half_life_days),
        "responsiveness": ft.responsiveness(cand.get("responsiveness")),
    }
    found = {
        "keywords": list(dict.fromkeys(hits_a + hits_b)),
        "field": field_code,
        "region_level": region_level,
        "region": _region(cand),
        "modes": modes,
    }
    return values, found


@dataclass
class _Row:
    cand: Mapping
    values: dict[str, float]
    found: dict[str, Any]
    contributions: dict[str, float]
    total: float

    def scored(self, style: str) -> Scored:
        """The public result, explanation included (built only for rows that are kept)."""
        breakdown = {f: round(v, 6) for f, v in self.contributions.items()}
        relevance = _relevance(breakdown)
        return Scored(
            object_id=self.cand.get("id"),
            org_id=self.cand.get("org_id"),
            total=round(sum(breakdown.values()), 6),
            breakdown=breakdown,
            explanation=explain({**self.values, **self.found}),
            keywords=tuple(self.found["keywords"]),
            relevance=relevance,
            probability=round(probability(relevance, style), 4),
        )


def _relevance(contributions: Mapping[str, float]) -> float:
    """The raw text relevance: the rounded sum of the text features' contributions."""
    return round(sum(round(contributions[f], 6) for f in TEXT_FEATURES), 6)


def _row(q: _Query, cand: Mapping, text_score: float | Evidence) -> _Row:
    ev = text_score if isinstance(text_score, Evidence) else Evidence(text_score)
    values, found = _features(q, cand, ev)
    contributions = {f: w * values[f] for f, w in q.feature_weights}
    return _Row(cand, values, found, contributions, sum(contributions.values()))


def score_candidate(
    query: Mapping,
    cand: Mapping,
    text_score: float | Evidence,
    *,
    weights: Weights,
    now: datetime,
    keyword_weight: Callable[[str], float] | None = None,
) -> Scored:
    """Score one candidate against the query: breakdown {feature: weight x value} and explanation."""
    q = _Query.of(query, weights, now, keyword_weight)
    return _row(q, cand, text_score).scored(q.style)


def _org_of(item: Any) -> int | None:
    return item.org_id if isinstance(item, Scored) else item.cand.get("org_id")


def cap_per_org(scored: Iterable[T], top: int, per_org_cap: int) -> list[T]:
    """The first ``top`` items keeping at most ``per_org_cap`` from any one organisation."""
    taken: list[T] = []
    counts: dict[int, int] = {}
    for item in scored:
        org = _org_of(item)
        if org is not None:
            if counts.get(org, 0) >= per_org_cap:
                continue
            counts[org] = counts.get(org, 0) + 1
        taken.append(item)
        if len(taken) >= top:
            break
    return taken


def _evidence(score: float | Evidence) -> Evidence:
    return score if isinstance(score, Evidence) else Evidence(float(score))


def rank(
    query_listing: Mapping,
    candidates: Iterable[tuple[Mapping, float | Evidence]],
    *,
    weights: Weights | None = None,
    top: int = 10,
    per_org_cap: int | None = None,
    now: datetime | None = None,
    keyword_weight: Callable[[str], float] | None = None,
    floor: float = 0.0,
) -> list[Scored]:
    """Rank (listing, evidence) candidates for a query listing, best first, org-capped.

    A bare float is a lexical score; scores above 1 (raw BM25) are divided by the best one.
    Candidates whose calibrated probability is below ``floor`` are dropped before the cap, and
    so, when a floor is set (storing and pushing), are candidates sharing no word or character
    pair with the query: similarity of meaning alone never carries a stored match.
    """
    weights = weights or Weights()
    now = now or datetime.now(UTC)
    own = (query_listing.get("kind"), query_listing.get("id"))
    pairs = [(c, _evidence(s)) for c, s in candidates if (c.get("kind"), c.get("id")) != own]
    best = max((e.text for _, e in pairs), default=1.0)
    kw = cache(keyword_weight) if keyword_weight else None
    q = _Query.of(query_listing, weights, now, kw)
    rows = [
        _row(q, cand, Evidence(ft.text_relevance(e.text, best), e.semantic, e.background))
        for cand, e in pairs
    ]
    if floor > 0.0:
        rows = [r for r in rows if _lexical(r) and probability(_relevance(r.contributions), q.style) >= floor]
    rows.sort(key=lambda r: (-r.total, -r.values["text"], str(r.cand.get("id"))))
    cap = weights.per_org_cap if per_org_cap is None else per_org_cap
    return [r.scored(q.style) for r in cap_per_org(rows, top, cap)]


def _lexical(row: Any) -> bool:
    """Whether the candidate shares text with the query (a word, a character pair or a keyword)."""
    return row.values.get("text", 0.0) > 0.0 or row.contributions.get("keywords", 0.0) > 0.0
