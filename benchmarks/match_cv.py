"""Fusion weights learned by cross-validation on the two dev sets, beside the single channels.

Usage: python benchmarks/match_cv.py [--folds 5] [--cache /work/cache/emb/vectors.sqlite3] [--json OUT]

Both dev sets (CSL keyword needs against 1,000 abstracts; enterprise-language needs against the
abstracts plus 8,000 title-only papers) are prepared by the shared evaluators (read beside the
repository, never copied). Every need gets its candidate pool once (lexical top 100 and dense
top 100) with its feature values; then each fold picks the fusion parameters that score best on
the other folds (both sets together: mean of ent MRR@10 and CSL nDCG@10) and is scored with them.
Printed: per-fold and mean figures for the anchors (word BM25, bigram BM25, the former engine,
dense alone, RRF) and the cross-validated fusion, and the parameters each fold chose.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.devsets import HUB_GRID, DevSet, load_devsets  # noqa: E402
from matchmaker.matching.weights import Weights  # noqa: E402

GRID = {
    "semantic": (0.0, 0.25, 0.5, 0.75, 1.0, 1.5),
    "keywords": (0.25, 0.5, 0.75, 1.0),
    "dense_zero": (0.5, 0.8),
    "hub_penalty": HUB_GRID,
}


def fused(
    feats: dict[str, np.ndarray],
    semantic: float,
    keywords: float,
    dense_zero: float,
    hub_penalty: float = 0.0,
) -> np.ndarray:
    """The weighted score fusion of the matching engine (engine._features): lexical score, keyword
    overlap and the semantic feature of the hubness-corrected cosine above its background."""
    cos = feats["cos"] - np.float32(hub_penalty) * feats["hub"]
    zero = np.maximum(dense_zero, feats[f"background@{hub_penalty}"])
    dense = np.clip((cos - zero) / (1.0 - zero), 0.0, 1.0)
    return feats["lex"] + keywords * feats["kw"] + semantic * dense


def rrf(feats: dict[str, np.ndarray], k: float = 60.0) -> np.ndarray:
    """Reciprocal rank fusion of the lexical and dense rankings inside the pool."""
    out = np.zeros_like(feats["lex"])
    for name in ("lex", "cos"):
        order = np.argsort(-feats[name], kind="stable")
        ranks = np.empty_like(order)
        ranks[order] = np.arange(order.size)
        out += 1.0 / (k + 1.0 + ranks)
    return out


def objective(sets: list[DevSet], idx: list[np.ndarray], scorer) -> float:
    """Mean over the sets of each set's headline metric on the given needs."""
    return float(np.mean([s.metric(scorer, i)[s.headline] for s, i in zip(sets, idx, strict=True)]))


def cross_validate(sets: list[DevSet], folds: int, seed: int = 12) -> dict:
    """Per fold: parameters chosen on the other folds, and the fold's metrics with them."""
    rng = np.random.default_rng(seed)
    assign = [rng.permutation(len(s.needs)) % folds for s in sets]
    combos = [dict(zip(GRID, values, strict=True)) for values in itertools.product(*GRID.values())]
    rows = []
    for fold in range(folds):
        train = [np.flatnonzero(a != fold) for a in assign]
        test = [np.flatnonzero(a == fold) for a in assign]
        best = max(combos, key=lambda c: objective(sets, train, lambda f, c=c: fused(f, **c)))
        row = {"fold": fold, "params": best}
        for s, t in zip(sets, test, strict=True):
            row[s.name] = s.metric(lambda f, best=best: fused(f, **best), t)
        rows.append(row)
    return {"folds": rows}


W = Weights()


def anchors(sets: list[DevSet]) -> dict:
    """Whole-set figures of the single channels and simple fusions, for the same needs."""
    scorers = {
        "bm25_words": lambda f: f["word"],
        "bm25_bigrams": lambda f: f["gram"],
        "former_engine": lambda f: f["lex"] + 0.5 * f["kw"],
        "dense": lambda f: f["cos"],
        "dense_hub_corrected": lambda f: f["cos"] - np.float32(W.hub_penalty) * f["hub"],
        "session4_engine": lambda f: fused(f, 0.25, 0.25, 0.5, 0.0),
        "defaults": lambda f: fused(f, W.semantic, W.keywords, W.dense_zero, W.hub_penalty),
        "rrf_lex_dense": rrf,
    }
    out: dict[str, dict] = {}
    for name, fn in scorers.items():
        out[name] = {s.name: s.metric(fn, np.arange(len(s.needs))) for s in sets}
    return out


def main() -> int:
    """Prepare both sets, print anchors and the cross-validated fusion as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", default=str(ROOT.parent / "cache/emb/vectors.sqlite3"))
    parser.add_argument("--model", default="e5-small-q4", help="embedder name (matching.embedding.EMBEDDERS)")
    parser.add_argument("--json", help="write everything to this file too")
    args = parser.parse_args()
    sets = load_devsets(args.cache, args.model)
    if not sets:
        print("skipped: shared dev data not found", file=sys.stderr)
        return 0
    result = {"anchors": anchors(sets), **cross_validate(sets, args.folds)}
    for name, row in result["anchors"].items():
        print(json.dumps({"ranker": name, **row}))
    for row in result["folds"]:
        print(json.dumps(row))
    for s in sets:
        values = [r[s.name] for r in result["folds"]]
        mean = {k: round(float(np.mean([v[k] for v in values])), 4) for k in values[0]}
        print(json.dumps({"cv_mean": s.name, **mean}))
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
