"""Hybrid candidate stage (混合召回): lexical BM25 channels and a dense channel over one catalogue.

The lexical channel is ``TextIndex`` (word + bigram BM25, normalised by the query's own upper bound,
so its score is comparable across queries); the dense channel is the cosine similarity of stored
sentence embeddings, searched exactly with one matrix product. A query's candidates are the union of
the best ``pool`` of each channel, each carrying both channel scores for the re-ranker.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.textindex import TextIndex, TextParams, _top_positive, listing_text, listing_tokens


@dataclass(frozen=True)
class Evidence:
    """What the candidate stage knows of one candidate: lexical score in [0, 1] and raw cosine."""

    text: float
    semantic: float = 0.0
    background: float = 0.0  # cosine this query reaches with most of the catalogue (see candidates)


class VectorIndex:
    """Exact kNN over unit vectors in one float32 matrix (rows in insertion order)."""

    def __init__(self) -> None:
        self._rows: list[np.ndarray | None] = []
        self.matrix = np.zeros((0, 0), np.float32)
        self.dim = 0
        self._dirty = False

    def add(self, vector: np.ndarray | None) -> None:
        """Append one vector (None: the listing has no embedding yet, it scores 0)."""
        if vector is not None:
            self.dim = self.dim or int(np.asarray(vector).size)
        self._rows.append(None if vector is None else np.asarray(vector, np.float32).ravel())
        self._dirty = True

    def freeze(self) -> None:
        """Stack the vectors; missing ones become zero rows."""
        out = np.zeros((len(self._rows), self.dim), np.float32)
        for i, row in enumerate(self._rows):
            if row is not None and row.size == self.dim:
                out[i] = row
        self.matrix, self._dirty = out, False

    def scores(self, query: np.ndarray | None) -> np.ndarray:
        """Cosine similarity of every row with the query (zeros without a query vector)."""
        if self._dirty:
            self.freeze()
        if query is None or not self.dim or self.matrix.shape[0] == 0:
            return np.zeros(self.matrix.shape[0], np.float32)
        return self.matrix @ np.asarray(query, np.float32).ravel()


BACKGROUND_QUANTILE = 0.9  # a true answer stands out from nine in ten listings of the catalogue
BACKGROUND_MIN_LISTINGS = 20  # below this the quantile says little


def background(cosines: np.ndarray) -> float:
    """The cosine most of the catalogue reaches for this query (texts written from one template
    all look alike to the model; only what rises above them counts), 0 for small catalogues."""
    if cosines.size < BACKGROUND_MIN_LISTINGS:
        return 0.0
    return float(np.quantile(cosines, BACKGROUND_QUANTILE))


class HybridIndex:
    """A catalogue of listings with both channels; ``candidates`` feeds ``engine.rank``."""

    def __init__(self, params: TextParams | None = None) -> None:
        self.text = TextIndex(params)
        self.vectors = VectorIndex()
        self.listings: list[Mapping] = []
        self._position: dict[Hashable, int] = {}

    def __len__(self) -> int:
        return len(self.listings)

    def add(
        self,
        listing: Mapping,
        vector: np.ndarray | None = None,
        tokens: tuple[list[str], list[str]] | None = None,
    ) -> None:
        """Index one listing dict and its embedding (``tokens``: its words and bigrams, if known)."""
        self._position[listing["id"]] = len(self.listings)
        self.listings.append(listing)
        if tokens is None:
            self.text.add(listing)
        else:
            text = listing_text(listing)
            self.text.add_tokens(listing["id"], tokens[0], tokens[1], org_id=listing.get("org_id"), text=text)
        self.vectors.add(vector)

    def channel_scores(self, listing: Mapping, vector: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Lexical score and cosine of every indexed listing for a query listing."""
        words, grams = listing_tokens(listing, self.text.params.title_repeat)
        return self.text.scores(words, grams), self.vectors.scores(vector)

    def candidates(
        self,
        listing: Mapping,
        vector: np.ndarray | None,
        pool: int,
        *,
        exclude_org: int | None = None,
    ) -> list[tuple[Mapping, Evidence]]:
        """The union of each channel's best ``pool`` listings, lexical order first, with evidence."""
        lex, cos = self.channel_scores(listing, vector)
        keep = np.ones(len(self), dtype=bool)
        if exclude_org is not None:
            keep &= self.text._org != exclude_org
        own = self._position.get(listing.get("id"))
        if own is not None and self.listings[own].get("kind") == listing.get("kind"):
            keep[own] = False
        lex_pos, _ = _top_positive(np.where(keep, lex, 0.0), pool)
        dense_pos, _ = _top_positive(np.where(keep, cos, 0.0), pool)
        chosen = dict.fromkeys(lex_pos.tolist() + dense_pos.tolist())
        level = background(cos[keep])
        return [(self.listings[p], Evidence(float(lex[p]), float(cos[p]), level)) for p in chosen]
