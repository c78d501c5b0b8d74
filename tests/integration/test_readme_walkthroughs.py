"""Every README walk-through runs as written against a fresh demo server, and runs again after re-seeding.

A walk-through is a ```bash block right after a ``<!-- walkthrough:NAME -->`` line. Each is run by
``bash -euo pipefail`` (so a failed login, a missing key in a response or a failing command stops it)
with ``PORT`` pointing at the server; then ``seed-demo`` runs again and every block runs a second
time, which is how a newcomer would repeat them. The server's access log must show no 5xx.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
FLASK = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
BLOCK = re.compile(r"<!-- walkthrough:([\w-]+) -->\n```bash\n(.*?)\n```", re.S)

pytestmark = pytest.mark.slow


def walkthroughs() -> dict[str, str]:
    """The README's marked walk-through blocks by name."""
    return dict(BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8")))


def _wait_healthy(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            raise RuntimeError(f"demo server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("demo server did not become healthy")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not Path(FLASK[0]).exists():
        pytest.skip("the project's .venv is missing (run make venv)")
    instance = tmp_path_factory.mktemp("demo-instance")
    env = {**os.environ, "MATCHMAKER_INSTANCE": str(instance), "MATCHMAKER_ENV": "development"}
    for name in ("DATABASE_URL", "REDIS_URL", "SEARCH_BACKEND", "ELASTICSEARCH_URL", "SMTP_HOST"):
        env.pop(name, None)
    for step in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([*FLASK, *step], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    port = free_port()
    log = (instance / "server.log").open("w")
    server = subprocess.Popen(
        [*FLASK, "run", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        _wait_healthy(port, server)
        yield {"env": {**env, "PORT": str(port), "WINDOW": "5"}, "log": instance / "server.log"}
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def _run(name: str, script: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"walk-through {name} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def test_the_readme_has_the_walkthroughs():
    assert {"first", "challenges", "events", "bureau", "transfer-lists", "placements"} <= set(walkthroughs())


def test_every_walkthrough_runs_and_runs_again_after_reseeding(demo):
    blocks = walkthroughs()
    first = {name: _run(name, script, demo["env"]) for name, script in blocks.items()}
    subprocess.run(
        [*FLASK, "seed-demo"], cwd=ROOT, env=demo["env"], check=True, capture_output=True, timeout=300
    )
    again = {name: _run(name, script, demo["env"]) for name, script in blocks.items()}
    assert "published" in first["first"] and "403" in first["first"]
    assert first["challenges"].rstrip().endswith("finished") and again["challenges"].rstrip().endswith(
        "finished"
    )
    assert "('agreement', 80.0)" in first["events"] and "('agreement', 80.0)" in again["events"]
    for run in (first, again):  # the county report approved and locked; the push reached the county's firms
        assert "('approved', True)" in run["bureau"] and "('pushed', " in run["bureau"]
        assert (
            "金湖县产学研合作清单" in run["transfer-lists"]
            and "已取消共性关键技术需求标记" in run["transfer-lists"]
        )
        assert "('立项', '省级立项')" in run["placements"]  # the officer followed the placement to 立项
    errors = [line for line in demo["log"].read_text().splitlines() if re.search(r'" 5\d\d ', line)]
    assert errors == [], "\n".join(errors[:20])
