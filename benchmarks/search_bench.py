"""Search speed: indexing throughput and query latency of both engines beside naive baselines.

    PYTHONPATH=. .venv/bin/python benchmarks/search_bench.py --sizes 1000,10000 --engines local,es

Listings are synthetic Chinese texts from a fixed vocabulary plus, when present, the research
abstracts of ../shared/data/csl/dev.jsonl (read in place, never copied). Each engine is measured
beside baselines run in the same process on the same documents and queries: a pure-Python BM25 that
scores every document, and a SQL LIKE scan. Machines are shared and noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from search.documents import listing_document  # noqa: E402
from search.queries import SearchParams, query_tokens  # noqa: E402

CSL = ROOT.parent / "shared" / "data" / "csl" / "dev.jsonl"
# Vocabulary of the synthetic listings (space-separated words).
MATERIALS = "碳纤维 石墨烯 钛合金 高分子 纳米银 碳化硅 氮化镓 锂电池 钠离子电池 光伏".split()  # noqa: SIM905
MATERIALS += ["氢燃料电池", "陶瓷", "玻璃纤维", "聚氨酯", "生物基"]
OBJECTS = "传感器 复合材料 涂层 电机 控制器 减速器 隔膜 电解液 薄膜 芯片".split()  # noqa: SIM905
OBJECTS += ["机器人", "阀门", "水泵", "轴承", "分离膜", "变速箱"]
TECHNIQUES = "制备工艺 检测方法 热管理技术 寿命预测 故障诊断 表面改性".split()  # noqa: SIM905
TECHNIQUES += ["精密加工", "回收利用", "智能控制", "结构优化", "无损检测"]
SCENES = "高温环境 潮湿环境 新能源汽车 轨道交通 智能电网 医疗器械 纺织印染".split()  # noqa: SIM905
SCENES += ["食品加工", "化工园区", "风电场"]
PROBLEMS = "寿命短 成本高 精度低 能耗大 一致性差 稳定性不足 污染严重 效率低".split()  # noqa: SIM905
EFFECTS = "降低成本三成 提高良品率 延长使用寿命 实现国产替代 减少能耗 提升检测精度".split()  # noqa: SIM905
REGIONS = ["320831", "320803", "320830", "320102", "320506", "321302", "310115", "330106", "440305", "510107"]
FIELDS = [
    "instrument.sensor",
    "nev.battery",
    "materials.composite",
    "equipment.robot",
    "it.iot",
    "textile.dyeing",
]
MODES = ["transfer", "license", "joint_development", "commissioned_development"]
MATURITY = ["lab", "bench", "pilot", "industrial"]


def synthetic(n: int, rng: random.Random) -> list[dict]:
    """n synthetic needs and outputs in natural-looking Chinese."""
    out = []
    for i in range(n):
        mat, obj, tech = rng.choice(MATERIALS), rng.choice(OBJECTS), rng.choice(TECHNIQUES)
        summary = (
            f"针对{obj}在{rng.choice(SCENES)}中{rng.choice(PROBLEMS)}的问题，研究{mat}{obj}的{tech}，"
            f"拟{rng.choice(EFFECTS)}，并在{rng.choice(SCENES)}开展示范应用。"
        )
        out.append(_listing(i, f"{mat}{obj}{tech}", summary, [mat + obj, tech], rng))
    return out


def csl(rng: random.Random, start: int) -> list[dict]:
    """Research outputs from the CSL abstracts, or none when the file is absent."""
    if not CSL.exists():
        return []
    rows = [json.loads(line) for line in CSL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [
        _listing(start + i, r["title"], r["abstract"], r.get("keywords") or [], rng)
        for i, r in enumerate(rows)
    ]


def _listing(i: int, title: str, summary: str, keywords: list[str], rng: random.Random) -> dict:
    low = rng.choice([None, 5, 10, 20, 50, 100])
    return {
        "kind": "need" if i % 2 else "output", "id": i, "version": 1,
        "status": "published" if i % 10 else "draft", "org_id": i % 97, "org_name": "某单位",
        "region": rng.choice(REGIONS), "fields": [rng.choice(FIELDS)], "keywords": keywords,
        "modes": rng.sample(MODES, 2), "maturity": rng.choice(MATURITY), "trl": rng.randint(1, 9),
        "budget_min": low, "budget_max": None if low is None else low * 2, "title": title, "summary": summary,
        "created_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T08:00:00",
        "published_at": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T09:00:00", "deadline": None,
    }  # fmt: skip


def queries(rng: random.Random, n: int, listings: list[dict]) -> list[str]:
    """Query strings: vocabulary terms, combinations, and keywords of real listings."""
    pool = MATERIALS + OBJECTS + TECHNIQUES + [m + o for m in MATERIALS[:5] for o in OBJECTS[:5]]
    pool += [kw for item in rng.sample(listings, min(200, len(listings))) for kw in item["keywords"][:2]]
    return [
        rng.choice(pool) if rng.random() < 0.7 else f"{rng.choice(pool)} {rng.choice(pool)}" for _ in range(n)
    ]


def mix(rng: random.Random, qs: list[str]) -> list[SearchParams]:
    """A realistic mix over the query strings: a quarter by type, some by region, field or maturity, sorts."""
    out = []
    for q in qs:
        r, extra = rng.random(), {}
        if r < 0.25:
            extra["kinds"] = [rng.choice(["need", "output"])]
        elif r < 0.35:
            extra["region"] = rng.choice([*REGIONS[:3], "320800", "320000"])
        elif r < 0.45:
            extra["fields"] = [rng.choice(FIELDS)]
        elif r < 0.50:
            extra.update(kinds=["output"], maturity=[rng.choice(MATURITY)])
        elif r < 0.55:
            q = ""  # browsing a filtered list without text
            extra["kinds"] = [rng.choice(["need", "output"])]
        sort = rng.choices(["relevance", "newest", "deadline"], [8, 1, 1])[0]
        out.append(SearchParams(q=q, sort=sort, **extra))
    return out


class NaiveBM25:
    """Pure-Python BM25 that scores every document for every query (the baseline to beat)."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.tfs = [Counter(d) for d in docs]
        self.lens = [len(d) for d in docs]
        self.avg = sum(self.lens) / max(1, len(docs))
        df = Counter(t for tf in self.tfs for t in tf)
        n = len(docs)
        self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
        self.k1, self.b = k1, b

    def top(self, tokens: list[str], k: int = 20) -> list[int]:
        """Indices of the k best documents."""
        scores = []
        for i, tf in enumerate(self.tfs):
            norm = self.k1 * (1 - self.b + self.b * self.lens[i] / self.avg)
            s = sum(self.idf[t] * tf[t] * (self.k1 + 1) / (tf[t] + norm) for t in tokens if t in tf)
            if s:
                scores.append((s, i))
        return [i for _, i in sorted(scores, reverse=True)[:k]]


def like_table(docs: list[dict]) -> sqlite3.Connection:
    """An in-memory table of raw titles and summaries for the LIKE scan baseline."""
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (doc_id TEXT, title TEXT, summary TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?)", [(d["doc_id"], d["title"], d["summary"]) for d in docs]
    )
    return conn


def like_scan(conn: sqlite3.Connection, q: str) -> list:
    """Every listing whose title or summary contains any query token."""
    tokens = query_tokens(q)[0] or [q]
    cond = " OR ".join("title LIKE ? OR summary LIKE ?" for _ in tokens)
    return conn.execute(
        f"SELECT doc_id FROM t WHERE {cond}", [f"%{t}%" for t in tokens for _ in (0, 1)]
    ).fetchall()


def latencies(fn: Callable[[Any], object], qs: list[Any]) -> tuple[float, float]:
    """p50 and p95 in milliseconds."""
    times = []
    for q in qs:
        t0 = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def make_engine(name: str, workdir: Path):
    """A fresh backend, and a function stopping whatever it started."""
    if name == "local":
        from search.backends.local import LocalBackend

        local = LocalBackend(workdir / f"bench-{time.time_ns()}.sqlite3")
        return local, local.close
    from osmem_server import OsmemServer

    from search.backends.elasticsearch import ElasticsearchBackend

    server = OsmemServer.start(japanese=False)
    backend = ElasticsearchBackend(server.url, "bench-", compat_headers=False, timeout=120.0)
    backend.ensure_index()

    def stop() -> None:
        backend.close()
        server.close()
        if server.process.stdout:
            server.process.stdout.close()

    return backend, stop


def bench_size(size: int, all_docs: list[dict], engines: list[str], qs: list[str], workdir: Path) -> None:
    """Measure every engine and the baselines on the first size documents."""
    docs = all_docs[:size]
    seg = [f"{d['title_seg']} {d['keywords_seg']} {d['body_seg']}".split() for d in docs]
    t0 = time.perf_counter()
    naive = NaiveBM25(seg)
    naive_rate = size / (time.perf_counter() - t0)
    base_p50, base_p95 = latencies(lambda q: naive.top(query_tokens(q)[0]), qs)
    t0 = time.perf_counter()
    like = like_table(docs)
    like_rate = size / (time.perf_counter() - t0)
    like_p50, like_p95 = latencies(lambda q: like_scan(like, q), qs)
    cand_tokens = [d["title_seg"].split() + d["keywords_seg"].split() for d in docs[: len(qs)]]
    params = mix(random.Random(size), qs)
    print(f"\n## {size} listings, {len(qs)} queries ({sum(1 for p in params if p.kinds)} with type=)")
    print(f"baseline Python BM25: build {naive_rate:,.0f} docs/s; p50 {base_p50:.2f} ms, p95 {base_p95:.2f}")
    print(f"baseline SQL LIKE scan: load {like_rate:,.0f} docs/s; p50 {like_p50:.2f} ms, p95 {like_p95:.2f}")
    for name in engines:
        m = measure_engine(name, docs, qs, params, cand_tokens, naive, workdir)
        rate, (p50, p95) = m["rate"], m["search"]
        print(f"{name}: index {rate:,.0f} docs/s; engine/baseline: {rate / naive_rate:.3f} BM25 build, "
              f"{rate / like_rate:.3f} plain table load")  # fmt: skip
        print(
            f"{name}: search (filter mix, no cache) p50 {p50:.2f} ms, p95 {p95:.2f} (with total, facets, "
            f"highlights); baseline/engine p50: BM25 scan {base_p50 / p50:.2f}, LIKE {like_p50 / p50:.2f}"
        )
        if "cached" in m:
            c50, c95 = m["cached"]
            print(f"{name}: repeated anonymous searches (cache) p50 {c50:.3f} ms, p95 {c95:.3f}")
        if "legacy" in m:
            (l50, l95), slow = m["legacy"], m["legacy_timeouts"]
            print(
                f"{name}: before (previous SQL, same file) p50 {l50:.2f} ms, p95 {l95:.2f}, {slow} stopped "
                f"at "
                f"{LEGACY_LIMIT_S:.0f} s; before/after p50 {l50 / p50:.1f}x, p95 {l95 / p95:.1f}x"
            )
        (c50, c95), n50 = m["candidates"], m["naive50"]
        print(
            f"{name}: candidates top 50 p50 {c50:.2f} ms, p95 {c95:.2f}; "
            f"baseline/engine p50: BM25 scan {n50 / c50:.2f} ({n50:.2f} ms)"
        )


LEGACY_LIMIT_S = 5.0


def _legacy(path: str, params: list[SearchParams]) -> tuple[tuple[float, float], int]:
    from benchmarks._search_legacy import LegacySearch, Timeout

    legacy, timeouts = LegacySearch(path, LEGACY_LIMIT_S), 0

    def run(p: SearchParams) -> None:
        nonlocal timeouts
        try:
            legacy.search(p)
        except Timeout:
            timeouts += 1

    try:
        return latencies(run, params), timeouts
    finally:
        legacy.close()


def measure_engine(
    name: str, docs: list[dict], qs: list[str], params: list[SearchParams], cand, naive, workdir: Path
) -> dict[str, Any]:
    """Indexing rate, search and candidate latencies of one engine (and its previous SQL when local)."""
    from search.cache import ResultCache

    backend, stop = make_engine(name, workdir)
    out: dict[str, Any] = {}
    try:
        t0 = time.perf_counter()
        for start in range(0, len(docs), 500):
            result = backend.bulk_upsert(docs[start : start + 500])
            assert not result.failed, list(result.failed.items())[:3]
        out["rate"] = len(docs) / (time.perf_counter() - t0)
        if hasattr(backend, "cache"):
            backend.cache = ResultCache(size=0)
        out["search"] = latencies(backend.search, params)
        if hasattr(backend, "cache"):
            backend.cache = ResultCache()
            latencies(backend.search, params)  # fill the cache, then time the repeats
            out["cached"] = latencies(backend.search, params)
            out["legacy"], out["legacy_timeouts"] = _legacy(backend.path, params)
        tokens = dict(zip(qs, cand, strict=False))
        out["candidates"] = latencies(lambda q: backend.candidates("output", tokens.get(q, [q]), 50), qs)
        out["naive50"], _ = latencies(lambda q: naive.top(tokens.get(q, [q]), 50), qs)
    finally:
        stop()
    return out


def main(argv: list[str] | None = None) -> None:
    """Parse flags, build the documents once, and measure each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="comma-separated listing counts")
    parser.add_argument("--engines", default="local,es", help="local and/or es (osmem-server)")
    parser.add_argument("--queries", type=int, default=60, help="queries per measurement")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    rng = random.Random(20240601)
    real = csl(rng, 10_000_000)
    print(f"CSL abstracts: {len(real) if real else 'absent, skipped'} ({CSL})")
    listings = real[: max(sizes) // 5] + synthetic(max(sizes), rng)
    rng.shuffle(listings)
    listings = listings[: max(sizes)]
    t0 = time.perf_counter()
    all_docs = [listing_document(item) for item in listings]
    rate = len(all_docs) / (time.perf_counter() - t0)
    print(f"documents built (jieba segmentation, bigrams): {rate:,.0f} docs/s")
    qs = queries(rng, args.queries, listings)
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            bench_size(size, all_docs, engines, qs, Path(tmp))


if __name__ == "__main__":
    main()
