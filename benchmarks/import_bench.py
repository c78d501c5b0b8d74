"""Import speed: rows/s of a published needs import, this tree against a baseline revision, same run.

Usage: python benchmarks/import_bench.py [--rows 1000] [--outputs 300] [--baseline REV]

Each tree runs in a subprocess of its own (the baseline is exported with ``git archive`` into a
temporary folder) on a fresh SQLite database in the embedded default (no Redis): a 金湖 enterprise,
``--outputs`` published outputs to match against, then one upload of ``--rows`` valid rows with
publish=true through the API. "request" is the upload's own time, what a user (and gunicorn's
30 s timeout) waits for; "matched" adds the wait until every imported need has been ranked, in
the request (baseline) or by the background job that the import queued (this tree). The default
baseline is the last commit before imports queued their matching.
"""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "9314158"  # main before imports went all-or-nothing with matching off the request
TOPICS = ("压力传感器温漂补偿", "电磁流量计小流量测量", "锂电池隔膜涂覆", "盐化工尾气回收", "水产品冷链保鲜")


def _seed(outputs: int) -> tuple:
    from tests import factories as f

    ent = f.make_org("enterprise", "320831", "金湖仪表科技有限公司")
    uni = f.make_org("university", "320102", "东南理工大学")
    bureau = f.make_org("bureau", "320800", "淮安市科学技术局")
    staff = f.make_user(bureau, ["staff"], region_scope="320831", name="金湖县科技局 王科长")
    made = [
        f.make_output(uni, title=f"{TOPICS[i % len(TOPICS)]}技术成果第{i}号", keywords=[TOPICS[i % 5]])
        for i in range(outputs)
    ]
    f.index_listings(*made)
    return ent, f.auth(staff)


def measure(rows: int, outputs: int) -> dict:
    """Seed, upload, wait for matching; the timings of this tree."""
    from sqlalchemy import func, select

    from matchmaker import create_app
    from matchmaker.extensions import db
    from matchmaker.models import MatchRun
    from tests.imports.conftest import need_row, upload, xlsx_bytes

    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    paths = {"SEARCH_LOCAL_PATH": "search.sqlite3", "OUTBOX_DIR": "outbox", "IMPORTS_DIR": "imports"}
    config = {key: str(folder / name) for key, name in paths.items()}
    app = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'app.sqlite3'}", **config}
    )
    with app.app_context():
        db.create_all()
        ent, headers = _seed(outputs)
        content = xlsx_bytes(
            [need_row(ent.uscc, f"{TOPICS[i % len(TOPICS)]}需求第{i}项") for i in range(rows)]
        )
        start = time.perf_counter()
        report = upload(app.test_client(), headers, content).json
        request = time.perf_counter() - start
        # This tree ranks in a background job; the baseline has no such wait (it ranked in the request).
        wait = getattr(importlib.import_module("workers.enqueue"), "wait_background", None)
        if wait is not None:
            wait()
        matched = time.perf_counter() - start
        pending = db.session.scalar(
            select(func.count()).select_from(MatchRun).where(MatchRun.finished_at.is_(None))
        )
    assert report.get("created") == rows, report
    return {"rows": rows, "request_s": request, "matched_s": matched, "unfinished_runs": pending}


def _run(tree: Path, rows: int, outputs: int) -> dict:
    code = (
        f"import sys, json; sys.path.insert(0, {str(tree)!r}); "
        f"sys.path.insert(1, {str(ROOT / 'benchmarks')!r}); import import_bench; "
        f"print('RESULT', json.dumps(import_bench.measure({rows}, {outputs})))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tree, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        raise SystemExit(f"{tree}: failed\n{done.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def main() -> None:
    """Run the baseline and this tree, print rows/s and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--outputs", type=int, default=300)
    parser.add_argument("--baseline", default=BASELINE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-bench-base-") as base:
        archive = subprocess.run(["git", "archive", args.baseline], cwd=ROOT, capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", base], input=archive.stdout, check=True)
        results = {
            "baseline": _run(Path(base), args.rows, args.outputs),
            "this tree": _run(ROOT, args.rows, args.outputs),
        }
    print(f"{args.rows} published need rows, {args.outputs} outputs to match; baseline {args.baseline}")
    print(f"{'tree':<10} {'request s':>10} {'rows/s':>8} {'matched s':>10} {'rows/s':>8} {'unfinished':>10}")
    for name, r in results.items():
        print(
            f"{name:<10} {r['request_s']:>10.1f} {r['rows'] / r['request_s']:>8.1f} "
            f"{r['matched_s']:>10.1f} {r['rows'] / r['matched_s']:>8.1f} {r['unfinished_runs']:>10}"
        )
    base, new = results["baseline"], results["this tree"]
    print(f"request rows/s: {base['request_s'] / new['request_s']:.1f}x the baseline; "
          f"until matched: {base['matched_s'] / new['matched_s']:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
