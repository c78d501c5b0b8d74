"""The application window closes on time: refused at reading time, then closed by the job."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner

from matchmaker.extensions import db
from matchmaker.models import AuditLog, Challenge, InboxMessage
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.challenge_factories import make_challenge
from tests.challenges.helpers_lists import apply, published
from tests.notifications.conftest import Clock
from workers.jobs.challenges import close_challenge_windows
from workers.schedule import SCHEDULE


@pytest.fixture
def clock(app) -> Clock:
    """The challenge clock, starting now."""
    c = Clock(utcnow())
    app.config["CHALLENGE_CLOCK"] = c
    return c


def _titles(user) -> list[str]:
    return [m.title for m in db.session.scalars(db.select(InboxMessage).filter_by(user_id=user.id))]


def test_applying_after_the_deadline_is_refused_even_before_the_job_runs(client, world, clock):
    cid = published(client, world)
    aid = apply(client, cid, world.h_rita).json["id"]
    clock.advance(days=21)  # the window was 20 days
    assert db.session.get(Challenge, cid).status == "published"  # the job has not run yet
    late = f.auth(f.make_user(f.make_org("institute", "320102", "江苏省传感技术研究所"), ["researcher"]))
    refused = apply(client, cid, late)
    assert refused.status_code == 409 and "揭榜申报已截止" in refused.json["message"]
    url = f"/api/v1/challenge-applications/{aid}"
    assert client.patch(url, json={"plan": "补充"}, headers=world.h_rita).status_code == 409
    assert client.post(f"{url}/submit", headers=world.h_rita).status_code == 409
    assert client.post(f"{url}/withdraw", json={}, headers=world.h_rita).status_code == 409
    assert client.get(f"/api/v1/challenges/{cid}").json["window_open"] is False


def test_the_job_closes_windows_past_their_deadline_and_tells_everyone(client, world, clock):
    cid = published(client, world)
    aid = apply(client, cid, world.h_rita).json["id"]
    client.post(f"/api/v1/challenge-applications/{aid}/submit", headers=world.h_rita)
    open_one = make_challenge(world.ent_b, world.bob, apply_closes_at=clock.at + timedelta(days=30))
    assert close_challenge_windows() == []
    clock.advance(days=20, minutes=1)
    assert close_challenge_windows() == [cid]
    assert db.session.get(Challenge, open_one.id).status == "published"
    challenge = db.session.get(Challenge, cid)
    assert (challenge.status, challenge.closed_at) == ("reviewing", clock.at)
    assert close_challenge_windows() == []  # idempotent
    assert db.session.scalar(db.select(AuditLog).filter_by(action="close_window", object_id=cid)) is not None
    for user in (world.alice, world.staff_jinhu, world.rita):
        assert any("申报已截止" in t for t in _titles(user)), user.name
    assert not any("申报已截止" in t for t in _titles(world.staff_xuyi))
    assert client.get(f"/api/v1/challenges/{cid}").json["status"] == "reviewing"


def test_the_job_is_scheduled_every_minute_and_has_a_command(app, world):
    entry = next(e for e in SCHEDULE if e.func == "workers.jobs.challenges.close_challenge_windows")
    assert entry.every == 60
    challenge = make_challenge(world.ent_a, world.alice)
    challenge.apply_closes_at = challenge.published_at  # in the past
    db.session.commit()
    result = CliRunner().invoke(app.cli, ["close-challenge-windows"], obj=None, catch_exceptions=False)
    assert "1 个" in result.output
    assert db.session.get(Challenge, challenge.id).status == "reviewing"


def test_staff_in_scope_close_a_window_early_with_a_reason_and_everyone_hears_it(client, world, clock):
    cid = published(client, world)
    aid = apply(client, cid, world.h_rita).json["id"]
    client.post(f"/api/v1/challenge-applications/{aid}/submit", headers=world.h_rita)
    url = f"/api/v1/challenges/{cid}/close"
    reason = {"reason": "发榜企业已与申报团队确认，提前截止"}
    assert client.post(url, json=reason, headers=world.h_alice).status_code == 403  # the poster
    assert client.post(url, json=reason, headers=world.h_staff_xuyi).status_code == 403  # other county
    missing = client.post(url, json={}, headers=world.h_staff_jinhu)
    assert missing.status_code == 422 and "reason" in missing.json["errors"]
    assert db.session.get(Challenge, cid).status == "published"
    clock.advance(days=3)
    closed = client.post(url, json=reason, headers=world.h_staff_jinhu)
    assert closed.status_code == 200 and closed.json["status"] == "reviewing"
    challenge = db.session.get(Challenge, cid)
    assert challenge.closed_at == clock.at < challenge.apply_closes_at
    again = client.post(url, json=reason, headers=world.h_staff_jinhu)
    assert again.status_code == 409  # one transition
    late = apply(client, cid, world.h_rita)
    assert late.status_code == 409
    assert close_challenge_windows() == []  # the job finds nothing left to close
    for user in (world.alice, world.rita):
        assert any("申报已截止" in t for t in _titles(user)), user.name
