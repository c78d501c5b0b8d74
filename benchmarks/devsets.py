"""The two dev sets as candidate pools with feature values, for cross-validation and calibration.

Read from ../shared (never copied): the CSL evaluator prepares 1,000 keyword needs against 1,000
abstracts, the enterprise evaluator 100 enterprise-language needs against those abstracts plus
8,000 title-only papers. Each need's pool is built once by the production candidate stage
(``HybridIndex.candidates``) plus the best 20 of each BM25 channel alone (so the single-channel
anchors are exact at @10), with the features the re-ranker reads.
"""

from __future__ import annotations

import importlib.util
import math
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from matchmaker.matching import features as ft
from matchmaker.matching.batch import as_listing, read_jsonl
from matchmaker.matching.embedding import EMBEDDERS, EmbeddingCache, embed_cached, embed_text, role_of
from matchmaker.matching.engine import keyword_weigher
from matchmaker.matching.hybrid import HybridIndex, background
from matchmaker.matching.textindex import _top_positive, listing_tokens
from matchmaker.matching.weights import Weights

SHARED = Path(__file__).resolve().parents[2] / "shared"
POOL = 100
HUB_GRID = (0.0, 0.5, 0.75, 1.0)  # hubness penalties the fusion may choose (see hybrid)


def evaluator(name: str):
    """Load a shared evaluator module from its file."""
    path = SHARED / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class DevSet:
    """Needs with candidate pools (ids, features) and graded relevance."""

    name: str
    headline: str
    needs: list[str]
    relevant: list[dict[str, int]]
    pools: list[tuple[list[str], dict[str, np.ndarray]]] = field(default_factory=list)

    def ranking(self, scorer: Callable, i: int, top: int = 10) -> list[str]:
        """Best ``top`` pool ids of need ``i`` under a scorer of the feature arrays."""
        ids, feats = self.pools[i]
        score = scorer(feats)
        order = np.lexsort((-feats["lex"], -score))[:top]
        return [ids[j] for j in order]

    def metric(self, scorer: Callable, idx) -> dict[str, float]:
        """nDCG@10 (graded) and MRR@10 (the own paper, grade 2 or the only one) over needs ``idx``."""
        ndcg = mrr = 0.0
        for i in idx:
            rel, ranked = self.relevant[i], self.ranking(scorer, i)
            top_grade = max(rel.values())
            dcg = sum((2 ** rel.get(d, 0) - 1) / math.log2(k + 2) for k, d in enumerate(ranked))
            ideal = sorted(rel.values(), reverse=True)[:10]
            ndcg += dcg / sum((2**g - 1) / math.log2(k + 2) for k, g in enumerate(ideal))
            mrr += next((1 / (k + 1) for k, d in enumerate(ranked) if rel.get(d) == top_grade), 0.0)
        n = max(len(idx), 1)
        return {"ndcg10": round(ndcg / n, 4), "mrr10": round(mrr / n, 4)}


def build_index(outputs: list[dict], cache: EmbeddingCache, model) -> HybridIndex:
    """The catalogue with cached embeddings (computed once if missing)."""
    vectors = embed_cached(model, [embed_text(o) for o in outputs], role_of("output"), cache)
    index = HybridIndex()
    index.unrelated_cosine = model.unrelated_cosine
    for listing, vector in zip(outputs, vectors, strict=True):
        index.add(listing, vector)
    index.text.freeze()
    index.vectors.freeze()
    return index


def pool_of(index: HybridIndex, need: dict, vector: np.ndarray, weigh) -> tuple[list[str], dict]:
    """One need's pool: the production candidates (default hubness penalty) plus the best 20 of
    each BM25 channel and of the raw cosine, with the features the fusion reads. ``cos`` is the
    raw cosine and ``hub`` the hubness; ``background@a`` is the background of the cosine
    corrected with penalty ``a`` over the whole catalogue (see ``match_cv.fused``)."""
    found = index.candidates(need, vector, POOL, hub_weight=Weights().hub_penalty)
    lex, cos = index.channel_scores(need, vector)
    words, grams = listing_tokens(need)
    word = _channel(index, index.text.words, words)
    gram = _channel(index, index.text.grams, grams)
    extra = [_top_positive(x, 20)[0].tolist() for x in (word, gram, cos)]
    pos = list(dict.fromkeys([index._position[c["id"]] for c, _ in found] + [p for e in extra for p in e]))
    prepared = ft.prepare_keywords(need.get("keywords") or (), weigh)
    kw = [ft.overlap_prepared(prepared, index.text.texts[p])[0] for p in pos]
    hub = index.vectors.hub
    feats = {"lex": lex[pos], "cos": cos[pos], "word": word[pos], "gram": gram[pos], "kw": np.array(kw)}
    feats["hub"] = hub[pos]
    for a in HUB_GRID:
        level = background(cos - np.float32(a) * hub, index.unrelated_cosine)
        feats[f"background@{a}"] = np.full(len(pos), level, np.float32)
    return [index.listings[p]["id"] for p in pos], feats


def _channel(index: HybridIndex, channel, tokens) -> np.ndarray:
    ids, vals = channel.gather(tokens, 1.0)
    return np.bincount(ids, weights=vals, minlength=len(index)).astype(np.float32)


def build(name: str, headline: str, work: Path, cache, model) -> DevSet:
    """Index the prepared outputs and pool every need."""
    outputs = [as_listing(r, "output") for r in read_jsonl(work / "outputs.jsonl")]
    needs = [as_listing(r, "need") for r in read_jsonl(work / "needs.jsonl")]
    index = build_index(outputs, cache, model)
    weigh = keyword_weigher(index.text.idf_table())
    qvecs = embed_cached(model, [embed_text(n) for n in needs], role_of("need"), cache)
    dev = DevSet(name, headline, [n["id"] for n in needs], [])
    dev.pools = [pool_of(index, n, v, weigh) for n, v in zip(needs, qvecs, strict=True)]
    return dev


def load_devsets(cache_path: str, model_name: str = "e5-small-q4") -> list[DevSet]:
    """Both dev sets, or none when the shared data is absent."""
    csl_rows, ent_needs = SHARED / "data/csl/dev.jsonl", SHARED / "data/ent/dev-needs.jsonl"
    if not csl_rows.exists() or not ent_needs.exists():
        return []
    cache, model = EmbeddingCache(cache_path), EMBEDDERS[model_name]()
    csl, ent = evaluator("csl_match_eval"), evaluator("ent_match_eval")
    with tempfile.TemporaryDirectory(prefix="devsets-") as tmp:
        papers = csl.load(str(csl_rows))
        csl.prepare(papers, f"{tmp}/csl")
        graded = csl.graded_relevance(papers)
        csl_set = build("csl", "ndcg10", Path(tmp, "csl"), cache, model)
        csl_set.relevant = [graded[n] for n in csl_set.needs]
        ent.prepare(str(ent_needs), f"{tmp}/ent", f"{csl_rows},{SHARED / 'data/csl/titles.jsonl'}")
        ent_set = build("ent", "mrr10", Path(tmp, "ent"), cache, model)
        ent_set.relevant = [{n[len("ent-") :]: 1} for n in ent_set.needs]
    return [csl_set, ent_set]
