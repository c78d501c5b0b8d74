"""Reading the agenda: the organiser's full view and each participant's own schedule (no contacts)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden, NotFound
from matchmaker.extensions import db
from matchmaker.models import Event, EventMeeting, Match
from matchmaker.models.events import OUTCOMES
from matchmaker.services.events.agenda import approved, load_meeting, meetings_of
from matchmaker.services.events.lifecycle import load_event, managed_event, slot_times
from matchmaker.services.events.registrations import load_registration, my_registration


def _titles(meeting: EventMeeting) -> tuple[str, str]:
    match = db.session.get(Match, meeting.match_id) if meeting.match_id else None
    return (match.need.title, match.output.title) if match else ("", "")


def _load_matches(meetings: list[EventMeeting]) -> list[Match]:
    """Load the meetings' matches in one query; _titles then finds them in the session, not one by one."""
    ids = {m.match_id for m in meetings if m.match_id}
    return list(db.session.scalars(select(Match).where(Match.id.in_(ids))).unique()) if ids else []


def present_meeting(event: Event, meeting: EventMeeting, times: list[dict] | None = None) -> dict[str, Any]:
    """One meeting with its time, both organisations' names and the matched titles (public text only)."""
    times = times if times is not None else slot_times(event)
    slot = times[meeting.slot - 1] if meeting.slot and meeting.slot <= len(times) else None
    need_title, output_title = _titles(meeting)
    return {
        "id": meeting.id,
        "slot": meeting.slot,
        "starts": slot["starts"] if slot else None,
        "ends": slot["ends"] if slot else None,
        "table": meeting.table_no,
        "need_org": {"registration_id": meeting.need_reg_id, "name": meeting.need_reg.org.name},
        "output_org": {"registration_id": meeting.output_reg_id, "name": meeting.output_reg.org.name},
        "need_title": need_title,
        "output_title": output_title,
        "match_id": meeting.match_id,
        "score": round(meeting.score, 4),
        "pinned": meeting.pinned,
        "status": meeting.status,
        "outcome": meeting.outcome,
        "outcome_label": OUTCOMES.get(meeting.outcome or "", ""),
        "amount": float(meeting.amount) if meeting.amount is not None else None,
    }


def agenda(event_id: int, *, actor: Actor) -> dict[str, Any]:
    """The whole agenda for the organiser: meetings (removed ones too), total score, who has none."""
    event = managed_event(event_id, actor=actor)
    rows = meetings_of(event)
    scheduled = [m for m in rows if m.status == "scheduled"]
    busy = {m.need_reg_id for m in scheduled} | {m.output_reg_id for m in scheduled}
    idle = [{"registration_id": r.id, "name": r.org.name} for r in approved(event) if r.id not in busy]
    times, _loaded = slot_times(event), _load_matches(rows)  # _loaded keeps them in the session
    return {
        "event_id": event.id,
        "generated_at": event.agenda_run_at,
        "published_at": event.schedule_published_at,
        "slots": times,
        "total_score": round(sum(m.score for m in scheduled), 4),
        "meetings": [present_meeting(event, m, times) for m in rows],
        "without_meetings": idle,
    }


def schedule(event_id: int, *, actor: Actor, registration_id: int | None = None) -> dict[str, Any]:
    """One participant's own schedule: its organisation's, or (for the organiser) any registration's."""
    event = load_event(event_id, actor=actor)
    if registration_id is not None:
        registration = load_registration(event, registration_id)
        if not policy.can_see_registration(actor, event, registration):
            raise Forbidden("只能查看本单位的日程")
    else:
        registration = my_registration(event_id, actor=actor)
    organiser = policy.can_manage_event(actor, event)
    visible = organiser or event.schedule_published_at is not None
    mine = [
        m
        for m in meetings_of(event)
        if m.status == "scheduled" and registration.id in (m.need_reg_id, m.output_reg_id)
    ]
    times, _loaded = slot_times(event), _load_matches(mine)  # _loaded keeps them in the session
    items = [_as_participant(event, m, registration.id, times) for m in mine] if visible else []
    return {
        "event_id": event.id,
        "event_title": event.title,
        "date": event.starts_on,
        "venue": event.venue,
        "registration_id": registration.id,
        "org_name": registration.org.name,
        "published": event.schedule_published_at is not None,
        "meetings": items,
    }


def _as_participant(
    event: Event, meeting: EventMeeting, registration_id: int, times: list[dict]
) -> dict[str, Any]:
    data = present_meeting(event, meeting, times)
    role = "need" if meeting.need_reg_id == registration_id else "output"
    other = data["output_org"] if role == "need" else data["need_org"]
    return {
        "id": data["id"],
        "slot": data["slot"],
        "starts": data["starts"],
        "ends": data["ends"],
        "table": data["table"],
        "my_role": role,
        "counterpart": other["name"],
        "need_title": data["need_title"],
        "output_title": data["output_title"],
        "outcome": data["outcome"],
    }


def meeting_for(event_id: int, meeting_id: int, *, actor: Actor) -> tuple[Event, EventMeeting]:
    """An event and one of its meetings, for someone who may record its outcome (404 otherwise)."""
    event = load_event(event_id, actor=actor)
    meeting = load_meeting(event, meeting_id)
    if not policy.can_record_outcome(actor, event, meeting):
        raise NotFound("未找到该洽谈安排")
    return event, meeting
