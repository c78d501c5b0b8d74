"""Matching speed: needs ranked per second by the whole path, beside rank_bm25 on the same corpus.

Usage: python benchmarks/match_bench.py [--sizes 1000 10000 50000] [--needs 200] [--seconds 8]

The whole path is ``pipeline.rank_query``, as the app and match-file run it: both BM25 channels,
exact kNN over 384-dimensional unit vectors (random ones: the cost of a matrix product does not
depend on what the vectors say; embedding 50,000 synthetic texts would take hours), the union of
candidates re-ranked with every feature, calibration and the floor. Also printed: embedding
throughput of the real model (passages/s on CSL abstracts, one thread) and the memory the
catalogue takes per 10,000 outputs (tracemalloc over the build).

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
from matchmaker.matching.pipeline import Catalogue, rank_query  # noqa: E402
from matchmaker.matching.textindex import TextIndex, listing_tokens  # noqa: E402
from matchmaker.matching.weights import Weights  # noqa: E402
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


def unit_rows(rng, n: int, dim: int = 384) -> np.ndarray:
    """Random unit vectors standing in for embeddings."""
    rows = rng.standard_normal((n, dim)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def hybrid_catalogue(docs) -> tuple[Catalogue, int]:
    """The whole path's catalogue over the synthetic outputs, and the bytes its build kept."""
    import tracemalloc

    vectors = unit_rows(np.random.default_rng(5), len(docs))
    listings = [{"kind": "output", "id": i, "title": "", "summary": d[2]} for i, d in enumerate(docs)]
    tokens = {i: (d[0], d[1]) for i, d in enumerate(docs)}
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    catalogue = Catalogue(zip(listings, vectors, strict=True), tokens=lambda x: tokens[x["id"]])
    kept = tracemalloc.get_traced_memory()[0] - before + vectors.nbytes
    tracemalloc.stop()
    return catalogue, kept


def embedding_rate(papers: int = 16) -> float:
    """Passages per second of the real embedder on CSL abstracts (one thread), 0 when absent."""
    try:
        from matchmaker.matching.embedding import PASSAGE, E5Embedder, embed_text

        model = E5Embedder(threads=1)
        rows = [json.loads(line) for line in CSL.read_text("utf-8").splitlines()[:papers]]
        texts = [embed_text({"title": "", "summary": r["abstract"]}) for r in rows]
        model.embed(texts[:1], PASSAGE)
        start = time.perf_counter()
        model.embed(texts, PASSAGE)
        return len(texts) / (time.perf_counter() - start)
    except ImportError:
        return 0.0


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
        need, (w, g) = item[0], item[1]
        pos, score = index.top(w, g, 100)
        pairs = [(listings[p], s) for p, s in zip(pos.tolist(), score.tolist(), strict=True)]
        rank(need, pairs, top=10, keyword_weight=weigh)

    def baseline(item):
        scores = bm25.get_scores(item[1][0])
        top = np.argpartition(-scores, 10)[:10]
        return top[np.argsort(-scores[top])]

    catalogue, memory = hybrid_catalogue(docs)
    rng = np.random.default_rng(3)
    qvecs = unit_rows(rng, n_needs)
    weights = Weights()

    def whole(item):
        need, _, qvec = item
        rank_query(catalogue, need, qvec, weights=weights, top=10)

    items = list(zip(needs[:n_needs], queries, qvecs, strict=True))
    engines = {"index": lambda item: index.top(item[1][0], item[1][1], 10), "rerank": full, "whole": whole}
    t = interleaved(engines, {"bm25": baseline}, items, seconds)
    same = len(t["bm25"])  # the needs rank_bm25 also ranked, for a like-for-like ratio
    ours, ours_full, base = per_second(t["index"]), per_second(t["rerank"]), per_second(t["bm25"])
    ratio = per_second(t["index"][:same]) / base
    ratio_full = per_second(t["rerank"][:same]) / base
    return {
        "whole_path_needs_s": round(per_second(t["whole"]), 1),
        "ratio_whole_path": round(per_second(t["whole"][:same]) / base, 1),
        "catalogue_mb_per_10k": round(memory / 1e6 * 10000 / size, 1),
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
    print(json.dumps({"embedding_passages_per_s": round(embedding_rate(), 2)}), flush=True)
    rows = []
    for size in args.sizes:
        row = bench_size(sources, needs, size, args.needs, args.seconds)
        print(json.dumps(row), flush=True)
        rows.append(row)
    print(f"{'outputs':>8} {'whole/s':>9} {'bm25/s':>8} {'ratio':>7} {'MB/10k':>7}")
    for r in rows:
        print(
            f"{r['size']:>8} {r['whole_path_needs_s']:>9} {r['bm25_needs_s']:>8} "
            f"{r['ratio_whole_path']:>6}x {r['catalogue_mb_per_10k']:>7}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
