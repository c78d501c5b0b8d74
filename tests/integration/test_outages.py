"""Each server killed and restarted during a burst of writes: nothing acknowledged is lost, no
notification is sent twice, nothing is left stuck.

The production set-up on loopback (tests/integration/outage_rig.py): the app served over HTTP on
PostgreSQL, osmem-server as the Elasticsearch engine, Redis, an SMTP server and a real worker
process whose recovery schedules run every second or two. Each scenario publishes needs (which the
worker indexes and matches) and has both sides of stored matches press 「感兴趣」 (which connects
them), a third before the outage, a third during it and a third after, four requests at a time.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace

import pytest

from matchmaker import create_app
from matchmaker.extensions import db, search_backend
from matchmaker.models import Match, MatchRun
from matchmaker.services.notifications import record_consent
from tests import factories as f
from tests.events.conftest import add_match
from tests.integration import outage_rig as rig
from tests.workers.conftest import Workers, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]
NEEDS, MATCHES = 9, 6
SCENARIOS = ["postgres", "redis", "search", "smtp", "worker"]


@pytest.fixture
def app(postgres_database, redis_server, osmem, smtp_server, tmp_path) -> Iterator:
    """The app on its own PostgreSQL database, a Redis database, its own index prefix and SMTP."""
    from redis import Redis

    redis_url = f"{redis_server.url.rsplit('/', 1)[0]}/14"
    Redis.from_url(redis_url).flushdb()
    env = rig.settings(postgres_database, redis_url, osmem.url, smtp_server)
    config = rig.app_config(env)
    config.update(
        ENV_NAME="testing",
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 10},
        OUTBOX_DIR=str(tmp_path / "outbox"),
    )
    app = create_app(config)
    app.config["WORKER_ENV"] = env
    with app.app_context():
        db.create_all()
        search_backend().ensure_index()
        yield app
        search_backend().close()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def worker(app, tmp_path) -> Iterator[Workers]:
    """Two real worker processes (all queues, the fast schedule) on the app's servers, as deployed."""
    env = {
        **os.environ,
        **app.config["WORKER_ENV"],
        "PYTHONPATH": str(ROOT),
        "MATCHMAKER_ENV": "development",
        "MATCHMAKER_INSTANCE": str(tmp_path / "instance"),
        "OUTBOX_DIR": str(tmp_path / "worker-outbox"),
    }
    handle = Workers(env=env, logdir=tmp_path)
    handle.start("--schedule", "tests.integration.outage_rig:SCHEDULE", count=2)
    yield handle
    handle.stop()


@pytest.fixture
def web(app) -> Iterator[rig.WebServer]:
    """The app over HTTP in a thread of this process."""
    server = rig.WebServer(app)
    server.start()
    yield server
    server.stop()


@contextmanager
def outage(name: str, request, worker: Workers) -> Iterator[None]:
    """Take the named server down for the block and bring it back (empty, where it keeps no data)."""
    if name == "worker":
        for proc in [p for p in worker.procs if p.poll() is None]:
            os.killpg(proc.pid, signal.SIGKILL)  # the worker, its work horse and its cron process
            proc.wait()
        yield
        worker.start("--schedule", "tests.integration.outage_rig:SCHEDULE", count=2)
        return
    fixture = {
        "postgres": "postgres_server",
        "redis": "redis_server",
        "search": "osmem",
        "smtp": "smtp_server",
    }
    server = request.getfixturevalue(fixture[name])
    with server.outage():
        yield


def _scene(world):
    """Submitted needs for the county to publish, and stored matches for both sides to accept."""
    for user in (world.alice, world.rita):
        record_consent(user_id=user.id, purpose="email", granted=True, source="test")
    good = f.make_output(world.uni, world.rita)
    needs = [
        f.make_need(world.ent_a, world.alice, status="submitted", title=f"压力传感器温漂补偿{i}")
        for i in range(NEEDS)
    ]
    matches = [add_match(f.make_need(world.ent_a, world.alice), good, 0.9) for _ in range(MATCHES)]
    f.index_listings(good, *needs, *(db.session.get(type(needs[0]), m.need_id) for m in matches))
    return SimpleNamespace(  # plain values: the outage cuts this test's session and its objects
        good=good.id,
        needs=[n.id for n in needs],
        matches=[m.id for m in matches],
        users={world.alice.id, world.rita.id},
        alice=world.alice.id,
        mail={world.alice.email: world.alice.id, world.rita.email: world.rita.id},
    )


def _ops(world, needs, matches):
    publish = [("publish", i, "staff", world.h_staff_jinhu) for i in needs]
    interest = [
        ("interest", m, who, getattr(world, f"h_{who}")) for m in matches for who in ("alice", "rita")
    ]
    ops = [op for pair in zip(publish, interest[: len(publish)], strict=False) for op in pair]
    return ops + interest[len(publish) :]


@pytest.mark.parametrize("down", SCENARIOS)
def test_an_outage_during_a_burst_loses_nothing_and_sends_nothing_twice(
    down, request, app, world, worker, web, smtp_server
):
    scene = _scene(world)
    needs, matches = scene.needs, scene.matches
    wait_until(
        lambda: rig.index_equals_database(), "the worker up and indexing", timeout=60, logs=worker.logs
    )
    burst, ops = rig.Burst(web.url), _ops(world, needs, matches)
    third = len(ops) // 3
    burst.send(ops[:third])
    db.session.close()  # this test's own connection back to the pool, where pre-ping vets it later
    with outage(down, request, worker):
        burst.send(ops[third : 2 * third])
    burst.send(ops[2 * third :])
    if down == "postgres":
        assert burst.refused and set(burst.refused) == {"database_unavailable"}
    else:
        assert len(burst.acked) == len(ops)  # only the database's outage refuses writes

    published = lambda: rig.published_needs(needs)  # noqa: E731
    report = lambda: rig.report(published(), worker.logs)  # noqa: E731
    wait_until(lambda: rig.settled(published), "the system settled", timeout=90, logs=report)
    _assert_writes_kept(burst, scene)
    _assert_each_notification_sent_once(scene, smtp_server, published(), rig.connected_matches(matches))
    assert rig.stuck() == {}
    assert all(run.started_at is not None and run.finished_at is not None for run in MatchRun.query)


def _assert_writes_kept(burst, scene):
    needs, matches = scene.needs, scene.matches
    acked_publish = {oid for kind, oid, _ in burst.acked if kind == "publish"}
    assert acked_publish <= set(rig.published_needs(needs))
    sides: dict[int, set[str]] = {}
    for kind, oid, who in burst.acked:
        if kind == "interest":
            sides.setdefault(oid, set()).add(who)
    both = {m for m, who in sides.items() if who == {"alice", "rita"}}
    assert both <= set(rig.connected_matches(matches))  # each pair pressed connects, exactly once
    assert rig.index_equals_database()  # the index holds every row at its version
    for need_id in rig.published_needs(needs):  # ranked by the worker, the sensor output found
        assert Match.query.filter_by(need_id=need_id, output_id=scene.good).count() == 1


def _assert_each_notification_sent_once(scene, smtp, published, connected):
    users = scene.users
    sent = rig.sent_by_key(users)
    assert set(sent.values()) <= {1}  # no notification recorded twice
    owed = {("listing.published", n, scene.alice) for n in published}
    owed |= {("match.connected", f"match/{m}", u) for m in connected for u in users}
    for channel in ("inbox", "email"):
        got = {(cause, _need(ref), user) for cause, ref, ch, user in sent if ch == channel}
        missing = {key for key in owed if key not in got}
        assert not missing, (channel, sorted(missing))
    mail = rig.mail_by_key(smtp, scene.mail)
    assert set(mail.values()) == {1}  # one message per notification on the SMTP server
    assert set(mail) == {(c, r, u) for c, r, ch, u in sent if ch == "email"}


def _need(ref: str):
    """need/12@2 -> 12 (a publication names the version); other refs as they are."""
    if ref.startswith("need/"):
        return int(ref.split("/", 1)[1].split("@", 1)[0])
    return ref
