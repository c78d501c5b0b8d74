"""gunicorn for benchmarks/load_bench.py: start it on loopback, wait until it is idle, read its memory."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    """gunicorn with the project's config, 2 workers, on loopback; returns once /healthz answers."""
    env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "2"}
    env["PROMETHEUS_MULTIPROC_DIR"] = str(Path(env["MATCHMAKER_INSTANCE"]) / "metrics")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [str(gunicorn), "-c", "gunicorn.conf.py", "wsgi:app"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def settle(port: int) -> None:
    """Wait until the server has worked off what the last run left queued (/healthz fast again)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        started = time.perf_counter()
        with contextlib.suppress(OSError):
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read()
        if time.perf_counter() - started < 0.05:
            return
        time.sleep(0.5)


def worker_rss_mb(master: int) -> list[float]:
    """Resident memory of each gunicorn worker (children of the master), in MB."""
    found = subprocess.run(["ps", "--ppid", str(master), "-o", "rss="], capture_output=True, text=True)
    return [int(line) / 1024 for line in found.stdout.split() if line.strip()]
