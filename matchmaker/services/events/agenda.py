"""The event agenda (洽谈日程): generate from matches, adjust by hand, publish, per-participant schedules.

Candidate meetings come from stored matches only: a need brought by one approved participant and an
output brought by another. A pair of organisations gets the score of its best match (need side ×
output side, either direction) and the meeting links to that match, so outcomes recorded at the
event advance it. Pairs with no stored match are skipped: matching runs whenever a listing is
published, so a missing match means the engine did not rank the pair highly enough to propose it.
Slots and tables are numbered from 1 here and in the API (the solver counts slots from 0).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from matchmaker.agenda.board import Meeting, Pair, Problem, pair_key
from matchmaker.agenda.solver import solve
from matchmaker.announce import announce as notify
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Event, EventMeeting, EventRegistration, Match
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.events.lifecycle import managed_event
from matchmaker.services.uow import unit_of_work

PLANNING = ("published", "closed")


def approved(event: Event) -> list[EventRegistration]:
    """The approved registrations, by id."""
    stmt = select(EventRegistration).filter_by(event_id=event.id, status="approved")
    return list(db.session.scalars(stmt.order_by(EventRegistration.id)).unique())


def candidate_matches(regs: list[EventRegistration]) -> dict[Pair, tuple[Match, int, int]]:
    """Per pair of registrations, its best stored match and (need side, output side) registration ids."""
    need_reg = {need_id: r.id for r in regs for need_id in r.need_ids or []}
    output_reg = {output_id: r.id for r in regs for output_id in r.output_ids or []}
    stmt = select(Match).where(
        Match.need_id.in_(list(need_reg) or [0]),
        Match.output_id.in_(list(output_reg) or [0]),
        Match.status.not_in(("declined", "expired")),
    )
    best: dict[Pair, tuple[Match, int, int]] = {}
    for match in db.session.scalars(stmt.order_by(Match.score.desc(), Match.id)).unique():
        sides = need_reg[match.need_id], output_reg[match.output_id]
        if sides[0] != sides[1] and pair_key(*sides) not in best:
            best[pair_key(*sides)] = (match, *sides)
    return best


def meetings_of(event: Event) -> list[EventMeeting]:
    """All meeting rows of the event (removed ones too), by slot and table."""
    stmt = select(EventMeeting).where(EventMeeting.event_id == event.id)
    rows = db.session.scalars(stmt.order_by(EventMeeting.slot, EventMeeting.table_no, EventMeeting.id))
    return list(rows.unique())


def build_problem(event: Event, regs: list[EventRegistration], best: dict[Pair, Any]) -> Problem:
    """The solver's input: scores, unavailable slots, pinned meetings and removed (banned) pairs."""
    kept = [m for m in meetings_of(event) if m.status == "scheduled" and m.pinned]
    pinned = tuple(
        Meeting(*pair_key(m.need_reg_id, m.output_reg_id), (m.slot or 1) - 1, m.table_no or 1) for m in kept
    )
    banned = frozenset(
        pair_key(m.need_reg_id, m.output_reg_id) for m in meetings_of(event) if m.status == "removed"
    )
    return Problem(
        slots=event.slot_count,
        tables=event.tables_per_slot,
        cap=event.max_meetings,
        scores={pair: float(found[0].score) for pair, found in best.items()},
        unavailable={r.id: frozenset(s - 1 for s in r.unavailable_slots or []) for r in regs},
        pinned=pinned,
        banned=banned,
    )


def generate(event_id: int, *, actor: Actor) -> Event:
    """(Re)plan the agenda: pinned meetings stay, removed pairs stay out, everything else is re-solved."""
    event = managed_event(event_id, actor=actor)
    if event.status not in PLANNING:
        raise Conflict("只能在活动开始前生成日程")
    regs = approved(event)
    best = candidate_matches(regs)
    problem = build_problem(event, regs, best)
    solution = solve(problem)
    pinned = {m.pair for m in problem.pinned}
    with unit_of_work():
        db.session.execute(
            delete(EventMeeting).where(
                EventMeeting.event_id == event.id,
                EventMeeting.status == "scheduled",
                EventMeeting.pinned.is_(False),
            )
        )
        for meeting in solution.meetings:
            if meeting.pair not in pinned:
                match, need_reg, output_reg = best[meeting.pair]
                db.session.add(meeting_row(event, match, need_reg, output_reg, meeting))
        event.agenda_run_at, event.schedule_published_at = utcnow(), None
        audit.record(actor, "agenda_generate", "event", event.id, meetings=len(solution.meetings))
    return event


def meeting_row(event: Event, match: Match, need_reg: int, output_reg: int, meeting: Meeting) -> EventMeeting:
    """A meeting row for one planned meeting of the agenda."""
    return EventMeeting(
        event_id=event.id,
        need_reg_id=need_reg,
        output_reg_id=output_reg,
        match_id=match.id,
        region=event.region,
        fields=list(match.need.fields or []),
        score=float(match.score),
        slot=meeting.slot + 1,
        table_no=meeting.table,
        pinned=False,
        status="scheduled",
    )


def load_meeting(event: Event, meeting_id: int) -> EventMeeting:
    """A meeting of this event (404 otherwise)."""
    meeting = db.session.get(EventMeeting, meeting_id)
    if meeting is None or meeting.event_id != event.id:
        raise NotFound("未找到该洽谈安排")
    return meeting


def _check_move(event: Event, meeting: EventMeeting, slot: int, table: int) -> None:
    errors = {}
    if not 1 <= slot <= event.slot_count:
        errors["slot"] = [f"时段应在 1 到 {event.slot_count} 之间"]
    if not 1 <= table <= event.tables_per_slot:
        errors["table"] = [f"桌号应在 1 到 {event.tables_per_slot} 之间"]
    if errors:
        raise ValidationFailed(errors=errors)
    for reg in (meeting.need_reg, meeting.output_reg):
        if slot in (reg.unavailable_slots or []):
            raise Conflict(f"{reg.org.name}在第 {slot} 时段无法参加")
    sides = {meeting.need_reg_id, meeting.output_reg_id}
    for other in meetings_of(event):
        if other.id == meeting.id or other.status != "scheduled" or other.slot != slot:
            continue
        if other.table_no == table:
            raise Conflict(f"第 {slot} 时段的 {table} 号桌已有洽谈安排")
        if sides & {other.need_reg_id, other.output_reg_id}:
            raise Conflict(f"洽谈一方在第 {slot} 时段已有其他洽谈")


def adjust(event_id: int, meeting_id: int, *, actor: Actor, data: dict[str, Any]) -> EventMeeting:
    """Move a meeting (it becomes pinned) and/or pin or unpin it; conflicts are 409."""
    event = managed_event(event_id, actor=actor)
    meeting = load_meeting(event, meeting_id)
    if event.status not in PLANNING or meeting.status != "scheduled":
        raise Conflict("活动开始后或已移除的洽谈不能再调整")
    slot: int = data.get("slot", meeting.slot) or 1
    table: int = data.get("table", meeting.table_no) or 1
    moving = (slot, table) != (meeting.slot, meeting.table_no)
    if moving:
        _check_move(event, meeting, slot, table)
    with unit_of_work():
        meeting.slot, meeting.table_no = slot, table
        meeting.pinned = True if moving else data.get("pinned", meeting.pinned)
        audit.record(actor, "meeting_adjust", "event_meeting", meeting.id, slot=slot, table=table)
    return meeting


def remove(event_id: int, meeting_id: int, *, actor: Actor) -> EventMeeting:
    """Take a meeting off the agenda; the pair stays out when the agenda is generated again."""
    event = managed_event(event_id, actor=actor)
    meeting = load_meeting(event, meeting_id)
    if event.status not in PLANNING:
        raise Conflict("活动开始后不能再移除洽谈")
    with unit_of_work():
        meeting.status, meeting.pinned = "removed", False
        audit.record(actor, "meeting_remove", "event_meeting", meeting.id)
    return meeting


def publish_schedule(event_id: int, *, actor: Actor) -> Event:
    """Publish the agenda: every approved participant is told its own schedule."""
    event = managed_event(event_id, actor=actor)
    if event.status not in (*PLANNING, "ongoing"):
        raise Conflict("活动已结束或已取消，不能发布日程")
    if not any(m.status == "scheduled" for m in meetings_of(event)):
        raise Conflict("还没有洽谈安排，请先生成日程")
    with unit_of_work() as uow:
        event.schedule_published_at, event.schedule_version = utcnow(), event.schedule_version + 1
        audit.record(actor, "schedule_publish", "event", event.id, version=event.schedule_version)
        notify(uow, "event.schedule_published", f"event/{event.id}@v{event.schedule_version}")
    return event
