"""Reminders before due dates: each milestone once, each award deadline once; the job and the command."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaker.extensions import db
from matchmaker.models import Delivery
from tests.challenge_factories import make_award, review_scene
from workers.jobs.challenge_delivery import remind_due
from workers.schedule import SCHEDULE


def _due_soon(world):
    s = review_scene(world)
    award = make_award(s.app_a, world.staff_jinhu, due_date=date.today() + timedelta(days=200))
    award.milestones[0].due_date = date.today() + timedelta(days=3)
    award.milestones[1].due_date = date.today() + timedelta(days=30)
    db.session.commit()
    return s, award


def _recipients(cause):
    return {d.user_id for d in db.session.query(Delivery).filter_by(cause=cause, channel="inbox")}


def test_a_milestone_due_soon_is_reminded_once_to_team_and_staff(app, world):
    s, award = _due_soon(world)
    assert remind_due(days=7) == {"milestones": 1, "awards": 0}
    assert award.milestones[0].reminded_at is not None and award.milestones[1].reminded_at is None
    assert {s.wang.id, world.staff_jinhu.id, world.staff_city.id} <= _recipients("challenge.milestone_due")
    assert world.staff_xuyi.id not in _recipients("challenge.milestone_due")
    assert remind_due(days=7) == {"milestones": 0, "awards": 0}  # once
    assert (
        db.session.query(Delivery)
        .filter_by(cause="challenge.milestone_due", user_id=s.wang.id, channel="inbox")
        .count()
        == 1
    )


def test_award_deadline_is_reminded_once_per_due_date(app, world):
    s, award = _due_soon(world)
    award.due_date = date.today() + timedelta(days=5)
    db.session.commit()
    assert remind_due(days=7)["awards"] == 1
    assert remind_due(days=7)["awards"] == 0
    assert s.wang.id in _recipients("challenge.award_due")
    award.due_date += timedelta(days=1)  # an approved extension: one new reminder
    db.session.commit()
    assert remind_due(days=7)["awards"] == 1
    award.status = "accepted"  # closed awards are left alone
    award.due_date += timedelta(days=1)
    award.milestones[1].due_date = date.today() + timedelta(days=2)
    db.session.commit()
    assert remind_due(days=7) == {"milestones": 0, "awards": 0}


def test_command_and_schedule(app, world):
    _due_soon(world)
    result = app.test_cli_runner().invoke(args=["challenge-reminders", "--days", "7"])
    assert result.exit_code == 0 and "节点 1 个" in result.output
    entry = next(e for e in SCHEDULE if e.name == "challenge-reminders")
    assert entry.func == "workers.jobs.challenge_delivery.remind_due" and entry.cron
