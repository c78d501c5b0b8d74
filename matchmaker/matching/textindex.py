"""In-memory inverted index over published listings: the text-relevance feature and batch candidates.

Two channels of BM25 are kept side by side, jieba word tokens and character bigrams, each as
compressed postings (per term: document ids and precomputed BM25 term weights in numpy arrays), so a
query only touches the postings of its own terms. The channel scores are divided by the query's own
upper bound (the score of a document holding every query term at saturation) and fused by a
weighted sum, which keeps the result in [0, 1] and comparable across queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from search.analysis import IdfTable, bigrams, normalize, segment


@dataclass(frozen=True)
class TextParams:
    """BM25 and fusion parameters of the text index."""

    k1: float = 1.2
    b: float = 0.75
    word_weight: float = 0.5  # share of the word channel in the fused score; bigrams get the rest
    title_repeat: int = 0  # extra times the title counts; 0 scored best on the CSL dev sample


def listing_text(listing: Mapping) -> str:
    """The public text of a listing that matching reads: title, summary and keywords."""
    keywords = " ".join(listing.get("keywords") or ())
    return " ".join(str(p) for p in (listing.get("title"), listing.get("summary"), keywords) if p)


def listing_tokens(listing: Mapping, title_repeat: int = 0) -> tuple[list[str], list[str]]:
    """Word tokens and bigrams of a listing, the title counted ``1 + title_repeat`` times."""
    body = listing_text(listing)
    words, grams = segment(body), bigrams(body)
    if title_repeat:
        title = str(listing.get("title") or "")
        words += segment(title) * title_repeat
        grams += bigrams(title) * title_repeat
    return words, grams


class _Channel:
    """BM25 postings of one tokenisation."""

    def __init__(self, k1: float, b: float, count_unseen: bool = False) -> None:
        self.k1, self.b, self.count_unseen = k1, b, count_unseen
        self.vocab: dict[str, int] = {}
        self._docs: list[tuple[np.ndarray, np.ndarray]] = []
        self.indptr = np.zeros(1, dtype=np.int64)
        self.ids = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float32)
        self.idf = np.zeros(0, dtype=np.float32)
        self.unseen_idf = 0.0

    def add(self, tokens: Iterable[str]) -> None:
        """Record one document's term counts."""
        counts = Counter(self.vocab.setdefault(t, len(self.vocab)) for t in tokens)
        terms = np.fromiter(counts.keys(), dtype=np.int32, count=len(counts))
        tfs = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        self._docs.append((terms, tfs))

    def freeze(self) -> None:
        """Build the postings arrays from the recorded documents."""
        n = len(self._docs)
        lengths = np.array([tf.sum() for _, tf in self._docs], dtype=np.float32)
        sizes = np.array([len(t) for t, _ in self._docs], dtype=np.int64)
        terms = np.concatenate([t for t, _ in self._docs]) if n else np.zeros(0, np.int32)
        tfs = np.concatenate([tf for _, tf in self._docs]) if n else np.zeros(0, np.float32)
        docs = np.repeat(np.arange(n, dtype=np.int32), sizes)
        order = np.argsort(terms, kind="stable")  # stable: postings stay in document order
        df = np.bincount(terms, minlength=len(self.vocab))
        self.indptr = np.concatenate(([0], np.cumsum(df))).astype(np.int64)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        self.unseen_idf = float(np.log1p((n + 0.5) / 0.5))
        avg = float(lengths.mean()) if n else 1.0
        norm = self.k1 * (1.0 - self.b + self.b * lengths / max(avg, 1e-9))
        tf = tfs[order]
        self.ids = docs[order]
        self.weights = (self.idf[terms[order]] * tf * (self.k1 + 1.0) / (tf + norm[self.ids])).astype(
            np.float32
        )

    def gather(self, tokens: Iterable[str], scale: float) -> tuple[np.ndarray, np.ndarray]:
        """Document ids and ``scale``-weighted normalised BM25 contributions of the query's postings."""
        tokens = list(tokens)
        query = Counter(self.vocab[t] for t in tokens if t in self.vocab)
        if not query:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        terms = np.fromiter(query.keys(), dtype=np.int64, count=len(query))
        qtf = np.fromiter(query.values(), dtype=np.float32, count=len(query))
        # A query word no listing holds is the most specific word of all: it stays in the bound
        # (at the IDF of a word in no document), or a query whose own subject matches nothing in
        # a small catalogue is measured against its generic words alone and scores high on them.
        unseen = len(tokens) - int(qtf.sum()) if self.count_unseen else 0
        bound = (float((self.idf[terms] * qtf).sum()) + unseen * self.unseen_idf) * (self.k1 + 1.0)
        if bound <= 0.0:
            return np.zeros(0, np.int32), np.zeros(0, np.float32)
        lo, lengths = self.indptr[terms], self.indptr[terms + 1] - self.indptr[terms]
        # One vectorised gather over all the query's posting ranges instead of a loop per term.
        starts = np.repeat(lo - (np.cumsum(lengths) - lengths), lengths)
        idx = starts + np.arange(int(lengths.sum()), dtype=np.int64)
        factor = np.repeat((qtf * (scale / bound)).astype(np.float32), lengths)
        return self.ids[idx], self.weights[idx] * factor

    def df_table(self) -> IdfTable:
        """Document frequencies of this channel's tokens as an ``IdfTable``."""
        counts = np.diff(self.indptr)
        return IdfTable(docs=len(self._docs), df=Counter(dict(zip(self.vocab, counts.tolist(), strict=True))))


def _top_positive(scores: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top ``limit`` positive scores, best first (ties by position).

    A full argpartition over a large catalogue costs more than the scoring itself, so candidates
    are first cut by a threshold (a falling share of the best score) until at least ``limit`` pass.
    """
    best = float(scores.max()) if scores.size else 0.0
    if limit <= 0 or best <= 0.0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    for share in (0.5, 0.25, 0.1):
        pool = np.flatnonzero(scores >= best * share)
        if pool.size >= limit:
            break
    else:
        pool = np.flatnonzero(scores > 0.0)
    if pool.size > limit:
        pool = pool[np.argpartition(scores[pool], pool.size - limit)[pool.size - limit :]]
    pool = pool[np.lexsort((pool, -scores[pool]))]
    return pool, scores[pool]


class TextIndex:
    """Fused word + bigram BM25 over listings, with top-k candidates by argpartition."""

    def __init__(self, params: TextParams | None = None) -> None:
        self.params = params or TextParams()
        # Unseen words are specific terms; unseen bigrams are mostly pairs across word boundaries.
        self.words = _Channel(self.params.k1, self.params.b, count_unseen=True)
        self.grams = _Channel(self.params.k1, self.params.b)
        self.object_ids: list[Hashable] = []
        self.texts: list[str] = []
        self._org = np.zeros(0, dtype=np.int64)
        self._orgs: list[int] = []
        self._dirty = False

    def __len__(self) -> int:
        return len(self.object_ids)

    def add(self, listing: Mapping) -> None:
        """Index one listing dict (CONTRACTS shape: id, org_id, title, summary, keywords)."""
        words, grams = listing_tokens(listing, self.params.title_repeat)
        self.add_tokens(listing["id"], words, grams, org_id=listing.get("org_id"), text=listing_text(listing))

    def add_tokens(
        self,
        object_id: Hashable,
        words: Iterable[str],
        grams: Iterable[str],
        *,
        org_id: int | None = None,
        text: str = "",
    ) -> None:
        """Index pre-tokenised text (as the search documents carry it)."""
        self.object_ids.append(object_id)
        self.texts.append(normalize(text))
        self._orgs.append(-1 if org_id is None else int(org_id))
        self.words.add(words)
        self.grams.add(grams)
        self._dirty = True

    def freeze(self) -> None:
        """Build the postings; called automatically before the first query after additions."""
        self.words.freeze()
        self.grams.freeze()
        self._org = np.array(self._orgs, dtype=np.int64)
        self._dirty = False

    def scores(self, words: Iterable[str], grams: Iterable[str]) -> np.ndarray:
        """Fused text relevance in [0, 1] of every indexed listing for a tokenised query."""
        if self._dirty:
            self.freeze()
        share = self.params.word_weight
        wid, wval = self.words.gather(words, share)
        gid, gval = self.grams.gather(grams, 1.0 - share)
        ids, vals = np.concatenate((wid, gid)), np.concatenate((wval, gval))
        return np.bincount(ids, weights=vals, minlength=len(self)).astype(np.float32)

    def top(
        self, words: Iterable[str], grams: Iterable[str], limit: int, exclude_org: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Positions and scores of the best ``limit`` listings with a positive score, best first."""
        scores = self.scores(words, grams)
        if exclude_org is not None:
            scores[self._org == exclude_org] = 0.0
        return _top_positive(scores, limit)

    def candidates(
        self, listing: Mapping, limit: int, exclude_org: int | None = None
    ) -> list[tuple[Hashable, float]]:
        """(object id, text score) of the best matches for a query listing, like the search backends."""
        words, grams = listing_tokens(listing, self.params.title_repeat)
        pos, score = self.top(words, grams, limit, exclude_org)
        return [(self.object_ids[p], float(s)) for p, s in zip(pos.tolist(), score.tolist(), strict=True)]

    def idf_table(self) -> IdfTable:
        """Word document frequencies over the indexed listings, for keyword extraction."""
        if self._dirty:
            self.freeze()
        return self.words.df_table()
