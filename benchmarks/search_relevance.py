"""Search relevance on the demo catalogue: nDCG@10 of the engine beside plain BM25 over the same index.

    PYTHONPATH=. .venv/bin/python benchmarks/search_relevance.py [--database-url URL] [--engines local,es]

Seeds the demo data (``flask seed-demo``'s generator) into a throwaway SQLite database unless a
database is given, indexes every listing with the current analysis, and runs the judged queries of
``benchmarks/search_judgements.json`` (what a bureau officer would expect for each query, graded 2
for a direct answer and 1 for a related item). Three rankings over the same index in the same run:
the engine (anonymous search), plain BM25 (one OR of the query's segmented tokens) and the
previous query (segmented tokens OR character bigrams, one BM25).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from search.backends import local_sql as sql  # noqa: E402
from search.backends.local import LocalBackend  # noqa: E402
from search.queries import SearchParams, query_tokens  # noqa: E402

JUDGEMENTS = Path(__file__).with_name("search_judgements.json")
K = 10
Ranker = Callable[[str], list[str]]


def demo_documents(database_url: str | None, workdir: Path) -> list[dict]:
    """Every listing of the demo catalogue as a search document (seeding a scratch database if needed)."""
    from matchmaker import create_app
    from matchmaker.extensions import db
    from search.indexer import all_documents

    config = {
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": database_url or f"sqlite:///{workdir / 'demo.sqlite3'}",
        "SEARCH_LOCAL_PATH": str(workdir / "seed-search.sqlite3"),
        "OUTBOX_DIR": str(workdir / "outbox"),
        "IMPORTS_DIR": str(workdir / "imports"),
    }
    app = create_app(config)
    with app.app_context():
        if database_url is None:
            from tooling.demo import seed

            db.create_all()
            seed()
        docs = list(all_documents())
        db.session.remove()
        db.engine.dispose()
    return docs


def ndcg(ranked: list[str], grades: dict[str, int], k: int = K) -> float:
    """Normalised discounted cumulative gain of the first k ids against graded judgements."""
    gain = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return gain / best if best else 0.0


def bm25_ranker(backend: LocalBackend, bigrams: bool) -> Ranker:
    """Plain FTS5 BM25 over the same index: one OR of the segmented tokens (and bigrams if asked)."""
    docs, _, fts = sql.tables(1)
    conn = backend.db._conn()

    def rank(q: str) -> list[str]:
        seg, grams = query_tokens(q)
        if not (seg or grams):
            return []
        statement = f"""SELECT d.doc_id FROM
            (SELECT rowid AS rid, {sql.score_sql(fts)} AS score FROM {fts} WHERE {fts} MATCH ?) s
            CROSS JOIN {docs} d ON d.rid = s.rid WHERE d.status = 'published' AND d.deleted = 0
            ORDER BY s.score DESC, d.doc_id LIMIT ?"""
        match = sql.fts_match(seg, grams if bigrams else [])
        return [d for (d,) in conn.execute(statement, (match, K)).fetchall()]

    return rank


def engine_ranker(backend) -> Ranker:
    """The engine as an anonymous visitor uses it."""
    return lambda q: [h.doc_id for h in backend.search(SearchParams(q=q, per_page=K)).hits]


def es_backend(docs: list[dict], workdir: Path):
    """The Elasticsearch code path on a fresh osmem-server holding docs, and a function stopping it."""
    from benchmarks.search_bench import make_engine

    backend, stop = make_engine("es", workdir)
    backend.bulk_upsert(docs)
    backend.client.indices.refresh(index=backend.names.read)
    return backend, stop


def evaluate(rankers: dict[str, Ranker], judged: list[dict], titles: dict[str, str], verbose: bool) -> None:
    """Print per-query and mean nDCG@10 of every ranker."""
    scores: dict[str, list[float]] = {name: [] for name in rankers}
    for item in judged:
        grades = {r["id"]: int(r["grade"]) for r in item["relevant"]}
        missing = [d for d in grades if d not in titles]
        if missing:
            print(f"warning: {item['q']}: judged ids not in the catalogue: {missing}")
        row = []
        for name, rank in rankers.items():
            ranked = rank(item["q"])
            scores[name].append(ndcg(ranked, grades))
            row.append(f"{name} {scores[name][-1]:.3f}")
            if verbose:
                marks = " ".join(f"{d}({grades.get(d, 0)})" for d in ranked)
                print(f"    {name}: {marks}")
        print(f"{item['q']}: " + ", ".join(row))
    print(f"\nnDCG@{K} over {len(judged)} judged queries (mean):")
    for name, values in scores.items():
        print(f"  {name}: {sum(values) / len(values):.3f}")


def main(argv: list[str] | None = None) -> None:
    """Seed or read the demo catalogue, index it and compare the rankings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="read this database instead of seeding a scratch one")
    parser.add_argument("--engines", default="local", help="local and/or es (osmem-server)")
    parser.add_argument("--verbose", action="store_true", help="print every ranking with its grades")
    args = parser.parse_args(argv)
    judged = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["queries"]
    with tempfile.TemporaryDirectory() as tmp:
        docs = demo_documents(args.database_url, Path(tmp))
        public = [d for d in docs if d["status"] == "published"]
        titles = {d["doc_id"]: d["title"] for d in public}
        print(f"demo catalogue: {len(docs)} listings, {len(public)} published; {len(judged)} judged queries")
        local = LocalBackend(Path(tmp) / "index.sqlite3")
        local.bulk_upsert(docs)
        rankers: dict[str, Ranker] = {
            "engine": engine_ranker(local),
            "plain BM25": bm25_ranker(local, bigrams=False),
            "previous (BM25 words+bigrams)": bm25_ranker(local, bigrams=True),
        }
        stop = None
        if "es" in args.engines.split(","):
            es, stop = es_backend(docs, Path(tmp))
            rankers["engine on ES path (osmem)"] = engine_ranker(es)
        try:
            evaluate(rankers, judged, titles, args.verbose)
        finally:
            if stop:
                stop()
            local.close()


if __name__ == "__main__":
    main()
