"""Event notices: invitations to fitting organisations, review decisions, the reminder, the schedule job."""

from __future__ import annotations

from datetime import date, timedelta

from matchmaker.extensions import db
from matchmaker.models import InboxMessage
from workers import schedule
from workers.jobs.events import send_event_reminders


def _inbox(user, cause):
    return db.session.query(InboxMessage).filter_by(user_id=user.id, cause=cause).all()


def test_publishing_invites_organisations_whose_work_fits_the_theme(fair):
    w = fair.world
    assert len(_inbox(w.alice, "event.invitation")) == 1  # 金湖 need in 仪器仪表
    assert len(_inbox(w.rita, "event.invitation")) == 1  # a sensor output, from anywhere
    assert _inbox(w.bob, "event.invitation") == []  # 盱眙, and 新材料 is off-theme
    assert "金湖县仪器仪表产业高校专场对接会" in _inbox(w.alice, "event.invitation")[0].title


def test_review_decisions_are_notified_with_the_reason(client, fair):
    w = fair.world
    assert len(_inbox(w.bob, "event.registration_approved")) == 1
    url = f"/api/v1/events/{fair.eid}/registrations/{fair.regs['bob']}/reject"
    client.post(url, json={"reason": "本场仅限仪器仪表领域"}, headers=w.h_staff_jinhu)
    rejected = _inbox(w.bob, "event.registration_rejected")
    assert len(rejected) == 1 and "本场仅限仪器仪表领域" in rejected[0].body


def test_reminder_goes_to_approved_participants_once(client, fair):
    w = fair.world
    day_before = (date.fromisoformat(fair.event["starts_on"]) - timedelta(days=1)).isoformat()
    url = f"/api/v1/events/{fair.eid}/registrations/{fair.regs['bob']}/reject"
    client.post(url, json={"reason": "名额调整"}, headers=w.h_staff_jinhu)
    assert send_event_reminders(today=(date.today()).isoformat()) == 0  # not tomorrow yet
    assert send_event_reminders(today=day_before) > 0
    assert send_event_reminders(today=day_before) == 0
    assert len(_inbox(w.alice, "event.reminder")) == len(_inbox(w.rita, "event.reminder")) == 1
    assert _inbox(w.bob, "event.reminder") == []


def test_reminder_job_is_on_the_schedule():
    entry = next(e for e in schedule.SCHEDULE if e.name == "event-reminders")
    assert entry.func == "workers.jobs.events.send_event_reminders" and entry.queue == "notify"
