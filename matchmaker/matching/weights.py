"""Matching weights (匹配权重): every tunable number of the ranking in one place.

The text weights (semantic, keywords, dense zero, hubness penalty) are chosen by 5-fold
cross-validation over the needs of both dev sets (``benchmarks/match_cv.py``; the fold figures are
in the README); the structured features carry smaller weights so they reorder texts of similar
relevance rather than lift unrelated listings. An app overrides them with a
plain dict from its config, e.g. ``Weights.from_mapping(app.config.get("MATCH_WEIGHTS"))``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

FEATURES = (
    "text",
    "semantic",
    "keywords",
    "field",
    "region",
    "modes",
    "maturity",
    "budget",
    "freshness",
    "responsiveness",
)
TEXT_FEATURES = ("text", "semantic", "keywords")  # their sum is the raw relevance that is calibrated


@dataclass(frozen=True)
class Weights:
    """Feature weights (each feature value lies in [0, 1]) and ranking knobs."""

    text: float = 1.0
    semantic: float = 1.0
    keywords: float = 0.75
    field: float = 0.3
    region: float = 0.15
    modes: float = 0.1
    maturity: float = 0.1
    budget: float = 0.1
    freshness: float = 0.05
    responsiveness: float = 0.05
    freshness_half_life_days: float = 90.0
    dense_zero: float = 0.5  # lowest cosine at which the semantic feature starts above 0
    hub_penalty: float = 0.75  # share of a listing's hubness taken off its cosine (see hybrid)
    candidate_pool: int = 100  # text candidates re-ranked per query
    per_org_cap: int = 3  # matches from one organisation in a top list

    @classmethod
    def from_mapping(cls, overrides: Mapping[str, float] | None = None) -> Weights:
        """Defaults with the given values replaced; unknown names raise ``ValueError``."""
        if not overrides:
            return cls()
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown matching weights: {', '.join(unknown)}")
        cast: dict[str, Any] = {
            k: int(v) if k in ("candidate_pool", "per_org_cap") else float(v) for k, v in overrides.items()
        }
        if any(v < 0 for v in cast.values()):
            raise ValueError("matching weights must not be negative")
        return replace(cls(), **cast)

    def feature_weight(self, feature: str) -> float:
        """The weight of one feature by name."""
        return float(getattr(self, feature))
