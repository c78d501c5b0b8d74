"""Matching speed: needs ranked per second by the text index, beside rank_bm25 on the same corpus.

Usage: python benchmarks/match_bench.py [--sizes 1000 10000 50000] [--needs 200] [--seconds 8]

The catalogue is synthetic but made of real text: CSL abstracts (read from ../shared/data/csl,
never copied) are cut into sentences, tokenised once, and every synthetic output joins the
sentences of one source abstract with one sentence swapped in from another abstract and a model
number of its own (so the vocabulary grows with the catalogue). Needs are built from CSL keywords
the way the quality benchmark builds them. Both engines get the same word tokens; ours also scores
character bigrams. rank_bm25 is BM25Okapi.get_scores plus an argpartition top-k, run in the same
process on the same corpus, and its rate is measured on as many needs as fit in ``--seconds``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matchmaker.matching.engine import keyword_weigher, rank  # noqa: E402
from matchmaker.matching.textindex import TextIndex, listing_tokens  # noqa: E402
from search.analysis import bigrams, segment  # noqa: E402

CSL = ROOT.parent / "shared" / "data" / "csl" / "dev.jsonl"
SENTENCE = re.compile(r"[^。；;！？!?]+[。；;！？!?]?")


def load_sources(path: Path) -> tuple[list[list[tuple[list[str], list[str], str]]], list[dict]]:
    """Per CSL abstract, its sentences as (word tokens, bigrams, text); and the needs."""
    papers = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    sources = [
        [(segment(s), bigrams(s), s) for s in SENTENCE.findall(p["abstract"]) if s.strip()] for p in papers
    ]
    needs = [
        {"kind": "need", "id": f"need-{p['id']}", "keywords": p["keywords"], "summary": ""}
        | {"title": "寻求" + "、".join(p["keywords"]) + "相关技术"}
        for p in papers
    ]
    return [s for s in sources if s], needs


def synthesise(sources, size: int, seed: int = 7):
    """``size`` synthetic outputs as (word tokens, bigrams, text), deterministic for a seed."""
    rng = random.Random(seed)
    for i in range(size):
        sents = list(sources[i % len(sources)])
        donor = sources[rng.randrange(len(sources))]
        sents[rng.randrange(len(sents))] = donor[rng.randrange(len(donor))]
        model = f"mx{rng.randrange(size)}"
        words = [t for s in sents for t in s[0]] + [model]
        grams = [g for s in sents for g in s[1]] + bigrams(model)
        yield words, grams, "".join(s[2] for s in sents) + model


def interleaved(ours, others, items, seconds: float) -> dict[str, list[float]]:
    """Per-item seconds of each engine, run alternately item by item so machine load hits all alike.

    ``ours`` (a dict name -> fn) run on every item; ``others`` stop once they have used ``seconds``
    (after at least 3 items).
    """
    times: dict[str, list[float]] = {name: [] for name in (*ours, *others)}
    for fn in (*ours.values(), *others.values()):
        fn(items[-1])  # warm-up: first touches of freshly built arrays are not ranking work
    for item in items:
        for name, fn in (*ours.items(), *others.items()):
            if name in others and len(times[name]) >= 3 and sum(times[name]) > seconds:
                continue
            start = time.perf_counter()
            fn(item)
            times[name].append(time.perf_counter() - start)
    return times


def per_second(times: list[float]) -> float:
    """Items per second over a list of per-item seconds."""
    return len(times) / sum(times) if times else 0.0


def bench_size(sources, needs, size: int, n_needs: int, seconds: float) -> dict:
    """Build both engines over ``size`` outputs and measure ranking rates."""
    from rank_bm25 import BM25Okapi

    docs = list(synthesise(sources, size))
    t0 = time.perf_counter()
    index = TextIndex()
    for i, (words, grams, text) in enumerate(docs):
        index.add_tokens(i, words, grams, text=text)
    index.freeze()
    ours_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    bm25 = BM25Okapi([d[0] for d in docs])
    bm25_build = time.perf_counter() - t0
    queries = [listing_tokens(n) for n in needs[:n_needs]]
    listings = {i: {"id": i, "title": "", "summary": d[2]} for i, d in enumerate(docs)}
    weigh = keyword_weigher(index.idf_table())

    def full(item):
        need, (w, g) = item
        pos, score = index.top(w, g, 100)
        pairs = [(listings[p], s) for p, s in zip(pos.tolist(), score.tolist(), strict=True)]
        rank(need, pairs, top=10, keyword_weight=weigh)

    def baseline(item):
        scores = bm25.get_scores(item[1][0])
        top = np.argpartition(-scores, 10)[:10]
        return top[np.argsort(-scores[top])]

    items = list(zip(needs[:n_needs], queries, strict=True))
    engines = {"index": lambda item: index.top(item[1][0], item[1][1], 10), "rerank": full}
    t = interleaved(engines, {"bm25": baseline}, items, seconds)
    same = len(t["bm25"])  # the needs rank_bm25 also ranked, for a like-for-like ratio
    ours, ours_full, base = per_second(t["index"]), per_second(t["rerank"]), per_second(t["bm25"])
    ratio = per_second(t["index"][:same]) / base
    ratio_full = per_second(t["rerank"][:same]) / base
    return {
        "size": size,
        "ours_build_s": round(ours_build, 2),
        "bm25_build_s": round(bm25_build, 2),
        "ours_needs_s": round(ours, 1),
        "ours_rerank_needs_s": round(ours_full, 1),
        "bm25_needs_s": round(base, 2),
        "bm25_needs_measured": same,
        "ratio": round(ratio, 1),
        "ratio_with_rerank": round(ratio_full, 1),
        "postings_words": int(index.words.ids.size),
        "postings_bigrams": int(index.grams.ids.size),
    }


def main() -> int:
    """Run the sizes and print one JSON line per size and a summary table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--needs", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=8.0)
    args = parser.parse_args()
    if not CSL.exists():
        print(f"skipped: {CSL} not found", file=sys.stderr)
        return 0
    sources, needs = load_sources(CSL)
    rows = []
    for size in args.sizes:
        row = bench_size(sources, needs, size, args.needs, args.seconds)
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(f"{'outputs':>8} {'ours/s':>9} {'+rerank/s':>10} {'bm25/s':>8} {'ratio':>7} {'ours ms':>8}")
    for r in rows:
        ms = 1000.0 / r["ours_needs_s"]
        print(
            f"{r['size']:>8} {r['ours_needs_s']:>9} {r['ours_rerank_needs_s']:>10} {r['bm25_needs_s']:>8} "
            f"{r['ratio']:>6}x {ms:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
