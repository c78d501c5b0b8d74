"""The one ranking path (统一排序路径): catalogue -> hybrid candidates -> re-ranking -> floor.

The app's match runs, the challenge push and ``flask match-file`` all build a ``Catalogue`` of
the listings to rank (with their stored embeddings) and call ``rank_query``; nothing else ranks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

import numpy as np

from matchmaker.matching.engine import Scored, keyword_weigher, rank
from matchmaker.matching.hybrid import HybridIndex
from matchmaker.matching.weights import Weights


class Catalogue:
    """Listings of one kind with both candidate channels and the keyword weigher built over them."""

    def __init__(
        self,
        items: Iterable[tuple[Mapping, np.ndarray | None]],
        tokens: Callable[[Mapping], tuple[list[str], list[str]]] | None = None,
        *,
        unrelated_cosine: float = 0.0,
    ) -> None:
        """``unrelated_cosine``: the embedder's (``Embedder.unrelated_cosine``), the semantic
        background of a catalogue too small to measure its own."""
        self.index = HybridIndex()
        self.index.unrelated_cosine = unrelated_cosine
        for listing, vector in items:
            self.index.add(listing, vector, tokens(listing) if tokens else None)
        self.index.text.freeze()
        self.index.vectors.freeze()
        self.weigh: Callable[[str], float] = keyword_weigher(self.index.text.idf_table())

    def __len__(self) -> int:
        return len(self.index)


def rank_query(
    catalogue: Catalogue,
    query: Mapping,
    vector: np.ndarray | None,
    *,
    weights: Weights,
    top: int,
    floor: float = 0.0,
    exclude_orgs: Iterable[int] = (),
    now: datetime | None = None,
) -> list[Scored]:
    """The best ``top`` matches for a query listing whose 匹配度 reaches ``floor``, best first."""
    excluded = {int(o) for o in exclude_orgs}
    found = catalogue.index.candidates(
        query, vector, max(weights.candidate_pool, top), hub_weight=weights.hub_penalty
    )
    found = [(c, e) for c, e in found if c.get("org_id") is None or int(c["org_id"]) not in excluded]
    return rank(query, found, weights=weights, top=top, now=now, keyword_weight=catalogue.weigh, floor=floor)
