"""Load at city scale: gunicorn on loopback, a realistic request mix driven by wrk, SQLite and PostgreSQL.

    nice .venv/bin/python benchmarks/load_bench.py                  # 50,000 listings, 8 s per run
    .venv/bin/python benchmarks/load_bench.py --quick               # 1,000 listings, 1 s per run

Seeds N published listings recombined from ../shared/data/csl (benchmarks/load_seed.py), builds the
search index with the parallel reindex (timed beside jieba segmentation alone) and keeps both
under --cache so reruns start at once. For each database it starts gunicorn (2 workers, the
production config) and runs wrk (installed with apt-get when missing) for each request category
and for the weighted mix, at each concurrency, printing p50/p95/p99, the slowest request,
requests/s and errors beside /healthz of the same run, then the RSS of each web worker.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import load_paths, load_server  # noqa: E402
from benchmarks.load_seed import seed  # noqa: E402

LUA = Path(__file__).with_name("load_mix.lua")
DEFAULT_CACHE = Path("/work/cache/matchmaker-load") if Path("/work/cache").is_dir() else None
SEED_VERSION = 1  # bump when load_seed changes what it writes


def ensure_wrk() -> str:
    """The wrk binary, installed from Debian when missing (the bench sets itself up)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise SystemExit("load_bench needs wrk: apt-get install wrk (as root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, capture_output=True).returncode:
        subprocess.run(["apt-get", "update", "-q"], env=env, check=True, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], env=env, check=True, capture_output=True)
    return shutil.which("wrk") or "wrk"


def app_config(database_url: str, search_path: Path, workdir: Path) -> dict[str, str]:
    """The environment of an app (and of gunicorn) on this database and search index."""
    return {
        "MATCHMAKER_ENV": "production",
        "SECRET_KEY": "load-bench-" + "k3y" * 12,
        "DATABASE_URL": database_url,
        "SEARCH_BACKEND": "local",
        "SEARCH_LOCAL_PATH": str(search_path),
        "SEARCH_SINGLE_HOST": "1",
        "OUTBOX_DIR": str(workdir / "outbox"),
        "IMPORTS_DIR": str(workdir / "imports"),
        "FILINGS_DIR": str(workdir / "filings"),
        "MATCHMAKER_INSTANCE": str(workdir),
        "LOG_LEVEL": "error",
    }


def _app(env: dict[str, str]):
    os.environ.update(env)
    from matchmaker import create_app

    return create_app()


def schema_mark() -> str:
    """A short hash of the models' tables and indexes: a cached database of another schema is not reused."""
    import hashlib

    from sqlalchemy.dialects import sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from matchmaker.extensions import db

    dialect = sqlite.dialect()
    ddl = [str(CreateTable(t).compile(dialect=dialect)) for t in db.metadata.sorted_tables]
    ddl += sorted(
        str(CreateIndex(i).compile(dialect=dialect)) for t in db.metadata.tables.values() for i in t.indexes
    )
    return hashlib.sha256("\n".join(ddl).encode()).hexdigest()[:8]


def build_cache(n: int, cache: Path) -> dict:
    """Seed n listings into SQLite, build the index in parallel, time segmentation alone; cached."""
    folder = cache / f"sqlite-{n}-v{SEED_VERSION}-{schema_mark()}"
    meta_path = folder / "meta.json"
    if meta_path.exists():
        return {**json.loads(meta_path.read_text()), "folder": str(folder), "cached": True}
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    from matchmaker.extensions import db, search_backend
    from search import indexer, parallel

    app = _app(app_config(f"sqlite:///{folder / 'app.sqlite3'}", folder / "search.sqlite3", folder))
    with app.app_context():
        db.create_all()
        seeded = seed(n)
        search_backend().ensure_index()
        started = time.perf_counter()
        indexed = indexer.rebuild(search_backend(), workers=parallel.default_workers())
        reindex_s = time.perf_counter() - started
        segment_rate = segmentation_rate(indexer.INDEXED_MODELS)
        search_backend().close()
        db.session.remove()
    meta = {**seeded, "indexed": indexed, "reindex_s": reindex_s, "reindex_docs_per_s": indexed / reindex_s}
    meta.update(segment_docs_per_s=segment_rate, workers=parallel.default_workers(), built=time.ctime())
    meta_path.write_text(json.dumps(meta))
    return {**meta, "folder": str(folder), "cached": False}


def segmentation_rate(models: dict, sample: int = 3000) -> float:
    """Documents per second that jieba segments in one process (the texts a document is built from)."""
    from sqlalchemy import select

    from matchmaker.extensions import db
    from search.analysis import segment

    rows = []
    for model in models.values():
        rows += [r.as_listing_dict() for r in db.session.scalars(select(model).limit(sample // 2)).unique()]
    started = time.perf_counter()
    for row in rows:
        for text in (row["title"], row["summary"] or "", *row["keywords"]):
            segment(text)
    return len(rows) / (time.perf_counter() - started)


def issue_admin_token(env: dict[str, str]) -> str:
    """A bearer token for the seeded admin (matches are not public)."""
    from matchmaker.auth.tokens import issue_token
    from matchmaker.extensions import db
    from matchmaker.models import User

    with _app(env).app_context():
        plain, _ = issue_token(db.session.get(User, 1), 24)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return plain


def run_wrk(wrk: str, url: str, paths: Path, concurrency: int, seconds: float, token: str) -> dict:
    """One bounded wrk run over a file of paths; its figures as a dict."""
    threads = min(concurrency, 2)
    cmd = [
        wrk,
        "-t",
        str(threads),
        "-c",
        str(concurrency),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
    ]
    cmd += ["-s", str(LUA), url, "--", str(paths), str(random.randrange(1 << 20))]
    done = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "LOAD_TOKEN": token})
    line = next((x for x in done.stdout.splitlines() if x.startswith("LOADJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no figures: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    raw = json.loads(line.removeprefix("LOADJSON "))
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "requests": raw["requests"], "rps": raw["requests"] / (raw["duration_us"] / 1e6),
        "p50": raw["p50_us"] / 1000, "p95": raw["p95_us"] / 1000, "p99": raw["p99_us"] / 1000,
        "max": raw["max_us"] / 1000, "errors": errors, "non2xx": raw["status"],
    }  # fmt: skip


def bench_database(name: str, url: str, search: Path, args, wrk: str, work: Path, seeded: dict) -> list[dict]:
    """Every category at every concurrency against gunicorn on this database."""
    env = app_config(url, search, work)
    token = issue_admin_token(env)
    cursors = load_paths.deep_cursors(_app(env), random.Random(11))
    files = load_paths.write(work / f"paths-{name}", seeded, random.Random(7), {"list_cursor": cursors})
    port = load_paths.free_port()
    proc = load_server.start_gunicorn(env, port, work / f"gunicorn-{name}.log")
    rows = []
    try:
        # warm up both workers (jieba's dictionary, SQLite page cache) before anything is measured
        run_wrk(wrk, f"http://127.0.0.1:{port}", files["mix"], 4, max(2.0, args.duration / 2), token)
        load_server.settle(port)
        for concurrency in args.concurrency:
            for category, path in files.items():
                stats = run_wrk(wrk, f"http://127.0.0.1:{port}", path, concurrency, args.duration, token)
                rows.append({"db": name, "c": concurrency, "category": category, **stats})
                print(_row(rows[-1]), flush=True)
                load_server.settle(port)
        rss = load_server.worker_rss_mb(proc.pid)
        print(
            f"{name}: web worker RSS after the runs: " + ", ".join(f"{mb:.0f} MB" for mb in rss), flush=True
        )
        rows.append({"db": name, "category": "rss", "rss_mb": rss})
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return rows


def _row(r: dict) -> str:
    return (
        f"{r['db']:<10} c={r['c']:<3} {r['category']:<16} p50 {r['p50']:7.1f} ms  p95 {r['p95']:7.1f} ms  "
        f"p99 {r['p99']:7.1f} ms  max {r['max']:7.1f} ms  {r['rps']:7.1f} req/s  errors {r['errors']}"
    )


def postgres_copy(seeded: dict, n: int, work: Path):
    """A throw-away PostgreSQL 15 server holding the same seeded rows (same ids, same index)."""
    from tests.servers import find_postgres, start_postgres

    bindir = find_postgres()
    if bindir is None:
        print("PostgreSQL not installed: skipping the PostgreSQL run")
        return None
    server = start_postgres(bindir, dbname="matchmaker_load")
    from matchmaker.extensions import db

    with _app(app_config(server.dsn, work / "unused-search.sqlite3", work)).app_context():
        db.create_all()
        seed(n)
        db.session.remove()
        db.engine.dispose()
    return server


def main() -> None:
    """Parse arguments, prepare the cache, run every database, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 listings, 1 s runs (smoke test)")
    parser.add_argument("--listings", type=int, default=50_000)
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per wrk run")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="where seeded databases are kept")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    args = parser.parse_args()
    if args.quick:
        args.listings, args.duration = min(args.listings, 1_000), min(args.duration, 1.0)
    args.concurrency = [int(c) for c in args.concurrency.split(",")]
    wrk = ensure_wrk()
    work = Path(tempfile.mkdtemp(prefix="matchmaker-load-"))
    cache = args.cache or work / "cache"
    try:
        seeded = build_cache(args.listings, cache)
        print(load_paths.seed_line(seeded), flush=True)
        rows = run_all(args, wrk, work, seeded)
        if args.json:
            args.json.write_text(json.dumps({"seed": seeded, "runs": rows}, ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run_all(args, wrk: str, work: Path, seeded: dict) -> list[dict]:
    """The SQLite run on a copy of the cache, and the PostgreSQL run on a fresh server."""
    folder, rows = Path(seeded["folder"]), []
    search = work / "search.sqlite3"
    shutil.copy(folder / "search.sqlite3", search)
    for name in args.databases.split(","):
        if name == "sqlite":
            shutil.copy(folder / "app.sqlite3", work / "app.sqlite3")
            rows += bench_database(name, f"sqlite:///{work / 'app.sqlite3'}", search, args, wrk, work, seeded)
        elif name == "postgresql" and (server := postgres_copy(seeded, args.listings, work)):
            try:
                rows += bench_database(name, server.dsn, search, args, wrk, work, seeded)
            finally:
                server.stop()
    return rows


if __name__ == "__main__":
    main()
