"""Throughput of the production set-up: a burst of published needs through two real workers.

Usage: python benchmarks/throughput_bench.py [--listings 200] [--json out.json]

Starts PostgreSQL, redis-server, osmem-server (the Elasticsearch engine) and an SMTP server on
loopback (tests/servers.py), serves the app over HTTP in a thread and runs two ``workers.run``
processes (no recurring jobs: only what each publish enqueued does the work). The county publishes
``--listings`` submitted needs, four requests at a time; each owes its owner a notice (inbox and
e-mail), is indexed, and is matched against a sensor output, whose owner hears of the new matches.

Two configurations, on fresh databases in the same run:
- baseline: ``JOB_COALESCE=0`` (a drain job per write) and ``NOTIFY_SEND_BATCH=1`` (a work horse
  per delivery), as before issue 13;
- current: the defaults (one waiting drain at a time, ten deliveries per send job).

Reported per configuration: deliveries sent per second (from the first publish to the last send),
and publish-to-searchable (the outbox row acknowledged by the engine) and publish-to-matched (the
match run finished) latencies, p50 and p95, from the moment the publish answered 200. Ratios are
current over baseline (above 1 = faster for deliveries/s, below 1 = quicker for latencies).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402
from redis import Redis  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from matchmaker import create_app  # noqa: E402
from matchmaker.extensions import db, search_backend  # noqa: E402
from matchmaker.models import Delivery, MatchRun, OutboxEvent  # noqa: E402
from tests import factories as f  # noqa: E402
from tests import servers  # noqa: E402
from tests.integration import outage_rig as rig  # noqa: E402
from tests.workers.conftest import Workers  # noqa: E402

MODES = {"baseline": {"JOB_COALESCE": "0", "NOTIFY_SEND_BATCH": "1"}, "current": {}}


def fresh_database(pg: servers.PostgresServer, name: str) -> str:
    """An empty database of its own on the server; its SQLAlchemy URL."""
    with psycopg.connect(pg.conninfo.replace(f"dbname={pg.dbname}", "dbname=postgres"), autocommit=True) as c:
        c.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        c.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(sql.Identifier(name)))
    return f"postgresql+psycopg://{pg.user}@127.0.0.1:{pg.port}/{name}"


def scene(count: int) -> tuple[list[int], dict[str, str]]:
    """Two organisations, a published sensor output, ``count`` submitted needs; staff headers."""
    from matchmaker.services.notifications import record_consent

    ent, uni = f.make_org("enterprise", "320831"), f.make_org("university", "320102")
    bureau = f.make_org("bureau", "320800")
    alice, rita = f.make_user(ent, ["enterprise"]), f.make_user(uni, ["researcher"])
    staff = f.make_user(bureau, ["staff"], region_scope="320831")
    for user in (alice, rita):
        record_consent(user_id=user.id, purpose="email", granted=True, source="bench")
    db.session.commit()
    output = f.make_output(uni, rita)
    needs = [
        f.make_need(ent, alice, status="submitted", title=f"压力传感器温漂补偿{i}") for i in range(count)
    ]
    f.index_listings(output, *needs)
    return [n.id for n in needs], f.auth(staff)


def wait_settled(needs: list[int], timeout: float = 1800) -> None:
    """Until every need is indexed and matched and every delivery has gone."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()
        if not rig.stuck() and _count(MatchRun, MatchRun.finished_at.isnot(None)) >= len(needs):
            return
        time.sleep(0.5)
    raise RuntimeError(f"not settled after {timeout:.0f} s: {rig.stuck()}")


def _count(model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) by linear interpolation."""
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def measure(acked: dict[int, datetime], started: datetime) -> dict[str, float]:
    """Deliveries per second and the two latencies, from the database's timestamps."""
    searchable, matched = [], []
    for need_id, at in acked.items():
        rows = db.session.scalars(
            select(OutboxEvent).where(OutboxEvent.kind == "need", OutboxEvent.object_id == need_id)
        )
        acked_at = max(row.acked_at for row in rows)
        run = db.session.scalars(
            select(MatchRun).where(MatchRun.kind == "need", MatchRun.object_id == need_id)
        ).one()
        searchable.append((acked_at - at).total_seconds())
        matched.append((run.finished_at - at).total_seconds())
    sent = db.session.scalars(select(Delivery.sent_at).where(Delivery.status == "sent")).all()
    span = (max(sent) - started).total_seconds()
    return {
        "deliveries": len(sent),
        "deliveries_per_s": len(sent) / span,
        "searchable_p50": pct(searchable, 0.5),
        "searchable_p95": pct(searchable, 0.95),
        "matched_p50": pct(matched, 0.5),
        "matched_p95": pct(matched, 0.95),
        "settled_s": span,
    }


def run_mode(
    name: str, extra: dict[str, str], count: int, infra: dict[str, Any], tmp: Path
) -> dict[str, float]:
    """One configuration on a fresh database, Redis database and index prefix."""
    redis_url = f"{infra['redis'].url.rsplit('/', 1)[0]}/{3 if name == 'baseline' else 4}"
    Redis.from_url(redis_url).flushdb()
    env = {
        **rig.settings(
            fresh_database(infra["pg"], f"bench_{name}"), redis_url, infra["es"].url, infra["smtp"]
        ),
        **extra,
    }
    app = create_app(
        {**rig.app_config(env), "ENV_NAME": "testing", "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 10}}
    )
    with app.app_context():
        db.create_all()
        search_backend().ensure_index()
        needs, staff = scene(count)
        logdir = tmp / name
        logdir.mkdir()
        workers = Workers(
            env={**os.environ, **env, "PYTHONPATH": str(ROOT), "MATCHMAKER_ENV": "development",
                 "MATCHMAKER_INSTANCE": str(logdir), "LOG_LEVEL": "warning"},
            logdir=logdir,
        )  # fmt: skip
        workers.start("--no-cron", count=2)
        web = rig.WebServer(app)
        web.start()
        try:
            time.sleep(3)  # both workers up
            acked, started = publish_all(web.url, needs, staff)
            wait_settled(needs)
            return measure(acked, started)
        finally:
            web.stop()
            workers.stop()
            search_backend().close()
            db.session.remove()
            db.engine.dispose()


def publish_all(url: str, needs: list[int], staff: dict[str, str]) -> tuple[dict[int, datetime], datetime]:
    """Publish every need, four at a time; when each publish answered."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    acked: dict[int, datetime] = {}

    def publish(need_id: int) -> None:
        response = requests.post(f"{url}/api/v1/needs/{need_id}/publish", headers=staff, timeout=60)
        response.raise_for_status()
        acked[need_id] = datetime.now(UTC)

    started = datetime.now(UTC)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(publish, needs))
    return acked, started


def main() -> None:
    """Run both configurations and print the table with ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=200)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    pg = servers.start_postgres(servers.find_postgres())
    redis, smtp = servers.start_redis(servers.find_redis()), servers.start_smtp()
    es = servers.start_osmem(servers.find_osmem())
    infra = {"pg": pg, "redis": redis, "smtp": smtp, "es": es}
    try:
        with tempfile.TemporaryDirectory(prefix="throughput-") as tmp:
            results = {
                name: run_mode(name, extra, args.listings, infra, Path(tmp)) for name, extra in MODES.items()
            }
    finally:
        es.stop(), smtp.stop(), redis.close(), pg.stop()
    report(results, args)


def report(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    """Print the figures of both runs and current/baseline ratios."""
    keys = [
        "deliveries",
        "deliveries_per_s",
        "searchable_p50",
        "searchable_p95",
        "matched_p50",
        "matched_p95",
        "settled_s",
    ]
    print(f"burst of {args.listings} published needs, two workers (seconds; deliveries per second)")
    print(f"{'':18}" + "".join(f"{k:>18}" for k in keys))
    for name, row in results.items():
        print(f"{name:18}" + "".join(f"{row[k]:18.2f}" for k in keys))
    ratio = {k: results["current"][k] / results["baseline"][k] for k in keys if results["baseline"][k]}
    print(f"{'current/baseline':18}" + "".join(f"{ratio.get(k, float('nan')):18.2f}" for k in keys))
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "ratio": ratio}, indent=2))


if __name__ == "__main__":
    main()
