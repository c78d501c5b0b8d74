"""Recurring jobs in the embedded set-up (no Redis): run due slots once, in process or from cron."""

from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner

from matchmaker.extensions import db
from matchmaker.models import Challenge
from tests.challenge_factories import make_challenge
from workers.embedded import run_due
from workers.schedule import Recurring

T0 = datetime(2026, 12, 1, 1, 0, 30, tzinfo=UTC)  # 09:00:30 in 淮安
ENTRIES = (
    Recurring("every-minute", "tests.workers.recorded_jobs.every_minute", "default", every=60),
    Recurring("broken", "tests.workers.recorded_jobs.broken", "default", every=60),
    Recurring("daily", "tests.workers.recorded_jobs.daily", "default", cron="0 10 * * *"),  # 10:00 China
)


@pytest.fixture
def record(tmp_path, monkeypatch):
    path = tmp_path / "record.txt"
    path.write_text("")
    monkeypatch.setenv("RECORD_FILE", str(path))
    return lambda: path.read_text().split()


def test_each_slot_runs_once_and_a_failure_does_not_stop_the_others(tmp_path, record):
    state = tmp_path / "state.json"
    assert run_due(state, ENTRIES, T0) == ["every-minute"]  # the cron job starts from now, not at once
    assert run_due(state, ENTRIES, T0 + timedelta(seconds=20)) == []  # same minute: nothing again
    assert run_due(state, ENTRIES, T0 + timedelta(minutes=1)) == ["every-minute"]
    assert record() == ["every_minute", "every_minute"]


def test_a_missed_cron_slot_runs_once_when_the_process_comes_back(tmp_path, record):
    state = tmp_path / "state.json"
    run_due(state, ENTRIES, T0)
    assert record().count("daily") == 0
    three_days_later = T0 + timedelta(days=3)  # the 10:00 slot was missed three times
    assert "daily" in run_due(state, ENTRIES, three_days_later)
    assert "daily" not in run_due(state, ENTRIES, three_days_later + timedelta(minutes=5))
    assert record().count("daily") == 1


def _round(state, barrier, moment):
    barrier.wait()
    run_due(state, ENTRIES[:1], moment)


def test_two_processes_on_one_host_run_a_slot_once(tmp_path, record):
    state = tmp_path / "state.json"
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(4)
    procs = [ctx.Process(target=_round, args=(state, barrier, T0)) for _ in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(30)
    assert [p.exitcode for p in procs] == [0, 0, 0, 0]
    assert record() == ["every_minute"]


def test_flask_jobs_run_due_closes_a_challenge_window_without_redis(app, world):
    assert not app.config.get("REDIS_URL")
    challenge = make_challenge(world.ent_a, world.alice)
    challenge.apply_closes_at = challenge.published_at  # in the past
    db.session.commit()
    result = CliRunner().invoke(app.cli, ["jobs", "run-due"], catch_exceptions=False)
    assert "challenge-windows" in result.output
    assert db.session.get(Challenge, challenge.id).status == "reviewing"


def test_flask_jobs_run_runs_one_named_job_and_refuses_unknown_names(app, world):
    challenge = make_challenge(world.ent_a, world.alice)
    challenge.apply_closes_at = challenge.published_at
    db.session.commit()
    ok = CliRunner().invoke(app.cli, ["jobs", "run", "challenge-windows"], catch_exceptions=False)
    assert ok.exit_code == 0 and db.session.get(Challenge, challenge.id).status == "reviewing"
    bad = CliRunner().invoke(app.cli, ["jobs", "run", "no-such-job"])
    assert bad.exit_code != 0 and "weekly-digest" in bad.output


def test_the_app_starts_the_thread_only_when_asked_and_without_redis(tmp_path):
    from matchmaker import create_app

    base = {"ENV_NAME": "testing", "OUTBOX_DIR": str(tmp_path / "o")}
    assert "matchmaker.scheduler" not in create_app(base).extensions
    with_redis = create_app({**base, "EMBEDDED_SCHEDULER": True, "REDIS_URL": "redis://127.0.0.1:1/0"})
    assert "matchmaker.scheduler" not in with_redis.extensions
    embedded = create_app({**base, "EMBEDDED_SCHEDULER": True})
    thread = embedded.extensions["matchmaker.scheduler"]
    assert thread.is_alive()
    thread.stop.set()
    thread.join(5)
    assert not thread.is_alive()


def test_the_embedded_scheduler_embeds_and_reranks_a_newly_published_need(app, client, world, tmp_path):
    from sqlalchemy import select

    from matchmaker.models import ListingEmbedding, Match, MatchRun
    from tests import factories as f
    from workers.schedule import SCHEDULE

    good, _ = f.make_matching_outputs(world)
    need_id = f.publish_sensor_need(client, world)  # inline: ranked at once, no vector yet
    vectors = select(ListingEmbedding).where(
        ListingEmbedding.kind == "need", ListingEmbedding.object_id == need_id
    )
    assert db.session.scalars(vectors).first() is None
    before = db.session.scalars(
        select(Match).where(Match.need_id == need_id, Match.output_id == good.id)
    ).one()
    assert before.breakdown["semantic"] == 0.0

    assert "embed-listings" in run_due(tmp_path / "state.json", SCHEDULE)  # one round of the thread
    db.session.expire_all()
    assert db.session.scalars(vectors).one().vector
    reranked = db.session.scalars(select(MatchRun).where(MatchRun.reason == "embedded")).all()
    assert {(r.kind, r.object_id) for r in reranked} >= {("need", need_id)}
    assert all(r.finished_at is not None for r in reranked)
    after = db.session.scalars(
        select(Match).where(Match.need_id == need_id, Match.output_id == good.id)
    ).one()
    assert after.breakdown["semantic"] > 0.0  # the stored match now carries the semantic channel
