"""benchmarks/load_bench.py --quick runs end to end: seeds, serves with gunicorn, drives wrk, reports.

No timing is asserted (the machine is shared); the smoke test checks that every category answered
without an error on both databases and that worker memory was read.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import servers

ROOT = Path(__file__).resolve().parent.parent.parent
CATEGORIES = {"healthz", "search", "search_filtered", "list_shallow", "list_deep", "list_cursor", "detail"}
CATEGORIES |= {"matches", "mix"}


def test_quick_load_bench_answers_every_category_without_errors(tmp_path):
    if not shutil.which("wrk") and os.geteuid() != 0:
        pytest.skip("wrk is not installed and the bench can only install it as root (apt-get install wrk)")
    databases = "sqlite,postgresql" if servers.find_postgres() else "sqlite"
    out = tmp_path / "figures.json"
    args = [
        "--quick",
        "--concurrency",
        "2",
        "--databases",
        databases,
        "--cache",
        str(tmp_path),
        "--json",
        str(out),
    ]
    done = subprocess.run(
        [sys.executable, "benchmarks/load_bench.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["seed"]["indexed"] == figures["seed"]["needs"] + figures["seed"]["outputs"] == 1000
    for name in databases.split(","):
        runs = [r for r in figures["runs"] if r["db"] == name]
        assert {r["category"] for r in runs} == CATEGORIES | {"rss"}
        for run in (r for r in runs if r["category"] != "rss"):
            assert run["requests"] > 0 and run["errors"] == 0, run
        assert all(mb > 0 for r in runs if r["category"] == "rss" for mb in r["rss_mb"])
    assert "p95" in done.stdout and "healthz" in done.stdout and "reindex" in done.stdout
