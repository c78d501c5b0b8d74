"""Calibration of 匹配度 and abstention, both on out-of-fold dev scores.

Usage: python benchmarks/match_calibrate.py [--folds 5] [--floors 0.3,0.5] [--write]

Each fold's needs are scored with the fusion parameters chosen on the other folds (as in
``match_cv.py``); the best ``TOP`` candidates of every need give (raw relevance, relevant?) pairs,
and an isotonic regression (pool-adjacent-violators) over them is the calibration map: one for
free-text requests (the enterprise set) and one for keyword-only requests (the CSL set).
``--write`` stores its breakpoints in matchmaker/matching/data/calibration.json.

Only candidates that pass the app's lexical gate (a shared word, character pair or keyword) are
scored, for the map as for abstention: the app never stores or shows any other.

Abstention: every need is ranked twice, against the catalogue with and without its answering
outputs (the own paper for enterprise needs; every graded-relevant paper for CSL needs). Printed:
the AUC of the top candidate's score between the two runs, and the share of needs whose top
candidate reaches each floor (0.5 stores, 0.9 pushes) in each run. The map that turns a need's
scores into probabilities there is fitted on the other folds' needs only (cross-fitted), so the
push rates are out of sample for the map too.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.devsets import load_devsets  # noqa: E402
from benchmarks.match_cv import GRID, cross_validate, fused  # noqa: E402
from matchmaker.matching.calibration import DATA, FREE_TEXT, KEYWORDS_ONLY  # noqa: E402

TOP = 20
STYLE = {"csl": KEYWORDS_ONLY, "ent": FREE_TEXT}  # CSL needs are keyword lists, ent needs free text


def isotonic(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> tuple[list[float], list[float]]:
    """Weighted pool-adjacent-violators fit; breakpoints (block ends) of the non-decreasing map.

    Each block's value is its weighted share of relevant pairs with one relevant and one
    irrelevant pseudo-pair added in proportion to the block's size (Laplace's rule over its
    ``count`` pairs), then made non-decreasing again: a block of 27 pairs that were all relevant
    says 97 %, not 100 %; the map never claims certainty on the evidence of a few dev pairs."""
    order = np.argsort(x, kind="stable")
    blocks: list[list[float]] = []  # [sum_wy, sum_w, x_lo, x_hi, count]
    for xi, yi, wi in zip(x[order].tolist(), y[order].tolist(), w[order].tolist(), strict=True):
        blocks.append([yi * wi, wi, xi, xi, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, n, _, hi, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += n
            blocks[-1][3] = hi
            blocks[-1][4] += c
    raw, prob = [], []
    level = 0.0
    for s, n, lo, hi, c in blocks:
        level = max(level, (s / n * c + 1.0) / (c + 2.0))
        raw += [lo, hi] if hi > lo else [lo]
        prob += [level] * (2 if hi > lo else 1)
    return [round(v, 4) for v in raw], [round(v, 4) for v in prob]


def gated(feats: dict[str, np.ndarray], score: np.ndarray) -> np.ndarray:
    """Scores of candidates sharing no text with the need set to -inf (the app's lexical gate)."""
    return np.where((feats["lex"] > 0) | (feats["kw"] > 0), score, -np.inf)


def out_of_fold(sets, folds):
    """Per set and need: gated fused scores under the parameters chosen without that need's fold,
    and the fold assignment."""
    cv = cross_validate(sets, folds)
    rng = np.random.default_rng(12)  # the same fold assignment as cross_validate
    assign = [rng.permutation(len(s.needs)) % folds for s in sets]
    scores = []
    for s, a in zip(sets, assign, strict=True):
        params = [cv["folds"][a[i]]["params"] for i in range(len(s.needs))]
        scores.append([gated(s.pools[i][1], fused(s.pools[i][1], **params[i])) for i in range(len(s.needs))])
    return cv, scores, assign


def pairs(sets, scores):
    """(raw, label, weight) of each need's best TOP candidates through the gate; each need weighs
    the same."""
    xs, ys, ws = [], [], []
    for s, per_need in zip(sets, scores, strict=True):
        for i, score in enumerate(per_need):
            ids = s.pools[i][0]
            for j in np.argsort(-score)[:TOP]:
                if not np.isfinite(score[j]):
                    break
                xs.append(float(score[j]))
                ys.append(1.0 if s.relevant[i].get(ids[j], 0) > 0 else 0.0)
                ws.append(1.0 / len(per_need))
    return np.array(xs), np.array(ys), np.array(ws)


def auc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random 'answer present' top score beats a random 'answer absent' one."""
    p, n = np.array(pos)[:, None], np.array(neg)[None, :]
    return float(((p > n).sum() + 0.5 * (p == n).sum()) / (p.size * n.size))


def _top(score: np.ndarray, keep: np.ndarray) -> float | None:
    """The best gated score among the kept candidates; None when none passes the gate."""
    best = float(score[keep].max()) if keep.any() else -np.inf
    return best if np.isfinite(best) else None


def abstention(sets, scores, maps, floors) -> dict:
    """Top scores with and without the answering outputs, their AUC and push rates at floors.

    ``maps[style][fold]``: the map fitted without that fold. A need with no candidate through the
    gate has no top score: it counts as below every floor and as the lowest score for the AUC."""
    out = {}
    for s, per_need, folds in zip(sets, scores, maps["assign"], strict=True):
        with_, without, p_with, p_without = [], [], [], []
        for i, score in enumerate(per_need):
            raw, prob = maps[STYLE[s.name]][folds[i]]
            ids, rel = s.pools[i][0], s.relevant[i]
            answer = np.array([rel.get(d, 0) > 0 for d in ids])
            for keep, tops, probs in ((np.ones_like(answer), with_, p_with), (~answer, without, p_without)):
                top = _top(score, keep)
                tops.append(-1.0 if top is None else top)
                probs.append(0.0 if top is None else float(np.interp(top, raw, prob)))
        row = {
            "needs": len(per_need),
            "auc_top_score": round(auc(with_, without), 4),
            "no_candidate": {
                "with_answer": round(float(np.mean([t < 0 for t in with_])), 3),
                "without_answer": round(float(np.mean([t < 0 for t in without])), 3),
            },
        }
        for f in floors:
            row[f"push_rate@{f}"] = {
                "with_answer": round(float(np.mean([p >= f for p in p_with])), 3),
                "without_answer": round(float(np.mean([p >= f for p in p_without])), 3),
            }
        out[s.name] = row
    return out


def fit_maps(sets, scores, assign, folds: int) -> dict:
    """The written map per style (all out-of-fold pairs) and one per fold without that fold."""
    maps: dict = {"assign": assign, "written": {}}
    for s, per_need, a in zip(sets, scores, assign, strict=True):
        maps["written"][STYLE[s.name]] = isotonic(*pairs([s], [per_need]))
        maps[STYLE[s.name]] = {}
        for fold in range(folds):
            rest = [sc for sc, f in zip(per_need, a, strict=True) if f != fold]
            sub = _subset(s, [i for i, f in enumerate(a) if f != fold])
            maps[STYLE[s.name]][fold] = isotonic(*pairs([sub], [rest]))
    return maps


def _subset(s, idx: list[int]):
    """The dev set restricted to some needs (pools and relevance in the same order)."""
    from dataclasses import replace

    return replace(s, needs=[s.needs[i] for i in idx], relevant=[s.relevant[i] for i in idx],
                   pools=[s.pools[i] for i in idx])  # fmt: skip


def main() -> int:
    """Fit, report, and optionally store the calibration map."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--cache", default=str(ROOT.parent / "cache/emb/vectors.sqlite3"))
    parser.add_argument("--floors", default="0.5,0.9", help="store floor, push floor")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    sets = load_devsets(args.cache)
    if not sets:
        print("skipped: shared dev data not found", file=sys.stderr)
        return 0
    cv, scores, assign = out_of_fold(sets, args.folds)
    print(json.dumps({"chosen": [r["params"] for r in cv["folds"]], "grid": GRID}))
    maps = fit_maps(sets, scores, assign, args.folds)
    for s in sets:
        raw, _ = maps["written"][STYLE[s.name]]
        print(json.dumps({"set": s.name, "map": STYLE[s.name], "points": len(raw)}))
    floors = [float(f) for f in args.floors.split(",")]
    print(json.dumps({"abstention": abstention(sets, scores, maps, floors)}))
    if args.write:
        table = {k: {"raw": r, "probability": p} for k, (r, p) in maps["written"].items()}
        DATA.write_text(json.dumps(table) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
