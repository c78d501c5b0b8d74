"""Hybrid candidate stage (混合召回): lexical BM25 channels and a dense channel over one catalogue.

The lexical channel is ``TextIndex`` (word + bigram BM25, normalised by the query's own upper bound,
so its score is comparable across queries); the dense channel is the cosine similarity of stored
sentence embeddings, searched exactly with one matrix product. A query's candidates are the union of
the best ``pool`` of each channel, each carrying both channel scores for the re-ranker.

Hubness (枢纽度): some listings sit close to nearly everything in embedding space (short, generic
texts such as a bare title), so they turn up in the dense top of unrelated queries. Each listing's
hubness is the mean cosine it reaches with its ``HUB_NEIGHBOURS`` nearest listings of a fixed
reference sample of the catalogue, centred on the catalogue's mean; the dense channel scores
``cosine - hub_weight * hubness`` (the listing-side half of CSLS, Conneau et al. 2018). The sample
is chosen by a hash of the listing ids, so the same catalogue gives the same values in any order.
"""

from __future__ import annotations

import zlib
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from matchmaker.matching.textindex import TextIndex, TextParams, _top_positive, listing_text, listing_tokens


@dataclass(frozen=True)
class Evidence:
    """What the candidate stage knows of one candidate: lexical score in [0, 1] and raw cosine."""

    text: float
    semantic: float = 0.0
    background: float = 0.0  # cosine this query reaches with most of the catalogue (see candidates)


HUB_REFERENCES = 2000  # listings of the catalogue that hubness is measured against
HUB_NEIGHBOURS = 50  # nearest references averaged into a listing's hubness
HUB_MIN_LISTINGS = 20  # below this every hubness is 0 (too few neighbours to say anything)
_HUB_CHUNK = 2048  # rows per matrix product while measuring hubness


def hub_references(keys: Sequence[Hashable], rows: np.ndarray, limit: int = HUB_REFERENCES) -> np.ndarray:
    """Positions of the reference sample: the ``limit`` of ``rows`` whose key hashes lowest."""
    if rows.size <= limit:
        return rows
    hashes = np.array([zlib.crc32(str(keys[r]).encode("utf-8")) for r in rows.tolist()], np.int64)
    order = np.lexsort((rows, hashes))[:limit]
    return np.sort(rows[order])


def hubness(matrix: np.ndarray, keys: Sequence[Hashable]) -> np.ndarray:
    """Centred hubness of every row (0 for rows without a vector and for small catalogues)."""
    out = np.zeros(matrix.shape[0], np.float32)
    rows = np.flatnonzero(np.abs(matrix).sum(axis=1) > 0) if matrix.size else np.zeros(0, np.int64)
    if rows.size < HUB_MIN_LISTINGS:
        return out
    refs = hub_references(keys, rows)
    k = min(HUB_NEIGHBOURS, refs.size - 1)
    reference = matrix[refs]
    where = {int(r): i for i, r in enumerate(refs.tolist())}
    for start in range(0, rows.size, _HUB_CHUNK):
        part = rows[start : start + _HUB_CHUNK]
        sims = matrix[part] @ reference.T
        for i, r in enumerate(part.tolist()):  # a listing is not its own neighbour
            if r in where:
                sims[i, where[r]] = -np.inf
        nearest = np.partition(sims, sims.shape[1] - k, axis=1)[:, -k:]
        out[part] = nearest.mean(axis=1)
    out[rows] -= float(out[rows].mean())
    return out


class VectorIndex:
    """Exact kNN over unit vectors in one float32 matrix (rows in insertion order)."""

    def __init__(self) -> None:
        self._rows: list[np.ndarray | None] = []
        self._keys: list[Hashable] = []
        self.matrix = np.zeros((0, 0), np.float32)
        self.hub = np.zeros(0, np.float32)
        self.dim = 0
        self._dirty = False

    def add(self, vector: np.ndarray | None, key: Hashable | None = None) -> None:
        """Append one vector (None: the listing has no embedding yet, it scores 0) under its key."""
        if vector is not None:
            self.dim = self.dim or int(np.asarray(vector).size)
        self._rows.append(None if vector is None else np.asarray(vector, np.float32).ravel())
        self._keys.append(len(self._keys) if key is None else key)
        self._dirty = True

    def freeze(self) -> None:
        """Stack the vectors (missing ones become zero rows) and measure every row's hubness."""
        out = np.zeros((len(self._rows), self.dim), np.float32)
        for i, row in enumerate(self._rows):
            if row is not None and row.size == self.dim:
                out[i] = row
        self.matrix, self._dirty = out, False
        self.hub = hubness(out, self._keys)

    def scores(self, query: np.ndarray | None, hub_weight: float = 0.0) -> np.ndarray:
        """Cosine of every row with the query less ``hub_weight`` times the row's hubness (zeros
        without a query vector)."""
        if self._dirty:
            self.freeze()
        if query is None or not self.dim or self.matrix.shape[0] == 0:
            return np.zeros(self.matrix.shape[0], np.float32)
        cos = self.matrix @ np.asarray(query, np.float32).ravel()
        return cos - np.float32(hub_weight) * self.hub if hub_weight else cos


BACKGROUND_QUANTILE = 0.9  # a true answer stands out from nine in ten listings of the catalogue
BACKGROUND_MIN_LISTINGS = 20  # below this the quantile says little


def background(cosines: np.ndarray, unrelated: float = 0.0) -> float:
    """The cosine most of the catalogue reaches for this query (texts written from one template
    all look alike to the model; only what rises above them counts); ``unrelated`` (the embedder's
    unrelated cosine) stands in for it in a catalogue too small to measure it."""
    if cosines.size < BACKGROUND_MIN_LISTINGS:
        return unrelated
    return float(np.quantile(cosines, BACKGROUND_QUANTILE))


class HybridIndex:
    """A catalogue of listings with both channels; ``candidates`` feeds ``engine.rank``."""

    def __init__(self, params: TextParams | None = None) -> None:
        self.text = TextIndex(params)
        self.vectors = VectorIndex()
        self.listings: list[Mapping] = []
        self._position: dict[Hashable, int] = {}
        # The semantic background of a catalogue under BACKGROUND_MIN_LISTINGS, which cannot
        # measure its own: the embedder's unrelated cosine.
        self.unrelated_cosine = 0.0

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
        self.vectors.add(vector, listing["id"])

    def channel_scores(
        self, listing: Mapping, vector: np.ndarray | None, hub_weight: float = 0.0
    ) -> tuple[np.ndarray, np.ndarray]:
        """Lexical score and (hubness-corrected) cosine of every indexed listing for a query."""
        words, grams = listing_tokens(listing, self.text.params.title_repeat)
        return self.text.scores(words, grams), self.vectors.scores(vector, hub_weight)

    def candidates(
        self,
        listing: Mapping,
        vector: np.ndarray | None,
        pool: int,
        *,
        exclude_org: int | None = None,
        hub_weight: float = 0.0,
    ) -> list[tuple[Mapping, Evidence]]:
        """The union of each channel's best ``pool`` listings, lexical order first, with evidence
        (the semantic evidence is the hubness-corrected cosine)."""
        lex, cos = self.channel_scores(listing, vector, hub_weight)
        keep = np.ones(len(self), dtype=bool)
        if exclude_org is not None:
            keep &= self.text._org != exclude_org
        own = self._position.get(listing.get("id"))
        if own is not None and self.listings[own].get("kind") == listing.get("kind"):
            keep[own] = False
        lex_pos, _ = _top_positive(np.where(keep, lex, 0.0), pool)
        dense_pos, _ = _top_positive(np.where(keep, cos, 0.0), pool)
        chosen = dict.fromkeys(lex_pos.tolist() + dense_pos.tolist())
        level = background(cos[keep], self.unrelated_cosine)
        return [(self.listings[p], Evidence(float(lex[p]), float(cos[p]), level)) for p in chosen]
