"""Events (对接会): create, edit, list and move through draft → published → closed → ongoing → finished.

Registration is open while an event is ``published`` and the clock is inside its registration
window; ``closed`` ends registration early. ``cancelled`` is reachable from any state before the
event starts. Staff out of scope learn 403 for management actions on an event they can see and 404
for a draft they may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, or_, select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Event, EventRegistration
from matchmaker.models.common import utcnow
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.uow import lock, unit_of_work
from matchmaker.taxonomy import regions

EDITABLE = ("draft", "published", "closed")
# action -> (allowed from-statuses, to-status)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "publish": (("draft",), "published"),
    "close": (("published",), "closed"),
    "start": (("published", "closed"), "ongoing"),
    "finish": (("ongoing",), "finished"),
    "cancel": (("draft", "published", "closed"), "cancelled"),
}
STATUS_LABEL = {
    "draft": "草稿",
    "published": "报名中",
    "closed": "报名已截止",
    "ongoing": "进行中",
    "finished": "已结束",
    "cancelled": "已取消",
}


def load_event(event_id: int, *, actor: Actor) -> Event:
    """The event if the actor may know it exists; NotFound otherwise."""
    event = db.session.get(Event, event_id)
    if event is None or not policy.can_see_event(actor, event):
        raise NotFound("未找到该活动")
    return event


def managed_event(event_id: int, *, actor: Actor) -> Event:
    """The event for a management action: 403 for staff out of scope, 404 for others who cannot see it."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("未找到该活动")
    if policy.can_manage_event(actor, event):
        return event
    if actor.has_role("staff") or policy.can_see_event(actor, event):
        raise Forbidden("该活动不在您的管理辖区内" if actor.has_role("staff") else "只有主办方可以执行此操作")
    raise NotFound("未找到该活动")


def _slot_end_minutes(first_slot_at: str, count: int, minutes: int) -> int:
    hours, mins = (int(part) for part in first_slot_at.split(":"))
    return hours * 60 + mins + count * minutes


def check_plan(data: dict[str, Any]) -> None:
    """Rules across fields (dates ordered, window ordered, slots fit the day, cap ≤ slots): 422."""
    errors: dict[str, list[str]] = {}
    if data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = ["结束日期不能早于开始日期"]
    if data["registration_closes_at"] <= data["registration_opens_at"]:
        errors["registration_closes_at"] = ["报名截止时间应晚于报名开始时间"]
    if data["max_meetings"] > data["slot_count"]:
        errors["max_meetings"] = ["每家单位的洽谈上限不能超过时段数"]
    if _slot_end_minutes(data["first_slot_at"], data["slot_count"], data["slot_minutes"]) > 24 * 60:
        errors["slot_count"] = ["洽谈时段超出当天（请减少时段数或缩短每段时长）"]
    if errors:
        raise ValidationFailed(errors=errors)


def _check_region(actor: Actor, region: str) -> None:
    if not policy.is_admin(actor) and not policy.staff_covers(actor, region):
        raise Forbidden("所选地区超出您的辖区")


def create_event(*, actor: Actor, data: dict[str, Any]) -> Event:
    """A staff member creates a draft event in their region scope."""
    if not actor.has_role("staff", "admin"):
        raise Forbidden("只有科技局工作人员可以创建活动")
    assert actor.user is not None
    region = data.get("region") or actor.user.region_scope
    if not region:
        raise ValidationFailed(errors={"region": ["请选择活动所在地区"]})
    _check_region(actor, region)
    check_plan(data)
    with unit_of_work():
        event = Event(**{**data, "region": region}, status="draft", created_by=actor.user_id)
        db.session.add(event)
        db.session.flush()
        audit.record(actor, "create", "event", event.id)
    return event


def update_event(event_id: int, *, actor: Actor, data: dict[str, Any]) -> Event:
    """Partial update by staff in scope while the event has not started."""
    event = managed_event(event_id, actor=actor)
    if event.status not in EDITABLE:
        raise Conflict(f"活动{STATUS_LABEL[event.status]}，不能再修改")
    if data.get("region"):
        _check_region(actor, data["region"])
    merged = {key: data.get(key, getattr(event, key)) for key in _PLAN_KEYS}
    check_plan(merged)
    with unit_of_work():
        for key, value in data.items():
            setattr(event, key, value)
        event.updated_at = utcnow()
        audit.record(actor, "update", "event", event.id, fields=sorted(data))
    return event


_PLAN_KEYS = (
    "starts_on",
    "ends_on",
    "registration_opens_at",
    "registration_closes_at",
    "max_meetings",
    "slot_count",
    "first_slot_at",
    "slot_minutes",
)


def transition(event_id: int, action: str, *, actor: Actor) -> Event:
    """Move the event through its workflow; publishing sends invitations."""
    sources, target = TRANSITIONS[action]
    event = managed_event(event_id, actor=actor)
    now = utcnow()
    with unit_of_work() as uow:
        if lock(event).status not in sources:  # applied once: a concurrent second request gets 409
            raise Conflict(f"活动当前状态为“{STATUS_LABEL[event.status]}”，不能执行该操作")
        event.status, event.updated_at = target, now
        if action == "publish":
            event.published_at = now
            notify(uow, "event.invitation", f"event/{event.id}")
        elif action == "finish":
            event.finished_at = now
        elif action == "cancel":
            event.cancelled_at = now
        audit.record(actor, action, "event", event.id, status=target)
    return event


@dataclass
class EventFilter:
    """Filters of the event list."""

    status: str | None = None
    type: str | None = None
    region: str | None = None
    page: int = 1
    per_page: int = 20


def list_events(*, actor: Actor, filters: EventFilter) -> tuple[list[Event], int]:
    """Published events for everyone, plus drafts in the caller's scope for staff (all for admins)."""
    stmt = select(Event)
    if not policy.is_admin(actor):
        visible = [Event.published_at.isnot(None)]
        if actor.has_role("staff") and actor.user and actor.user.region_scope:
            visible.append(region_clause(Event.region, actor.user.region_scope))
        stmt = stmt.where(or_(*visible))
    for name in ("status", "type"):
        if getattr(filters, name):
            stmt = stmt.where(getattr(Event, name) == getattr(filters, name))
    if filters.region:
        stmt = stmt.where(region_clause(Event.region, filters.region))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = stmt.order_by(Event.starts_on.desc(), Event.id.desc())
    rows = db.session.scalars(page.limit(filters.per_page).offset((filters.page - 1) * filters.per_page))
    return list(rows), total


def registration_count(event: Event, *statuses: str) -> int:
    """Registrations of the event in the given statuses."""
    stmt = select(func.count(EventRegistration.id)).where(
        EventRegistration.event_id == event.id, EventRegistration.status.in_(statuses)
    )
    return db.session.scalar(stmt) or 0


def approved_counts(events: list[Event]) -> dict[int, int]:
    """Approved registrations per event, in one query (for a page of events)."""
    stmt = (
        select(EventRegistration.event_id, func.count(EventRegistration.id))
        .where(EventRegistration.event_id.in_([e.id for e in events]), EventRegistration.status == "approved")
        .group_by(EventRegistration.event_id)
    )
    return {event_id: n for event_id, n in db.session.execute(stmt)}


def present(event: Event, participants: int | None = None) -> dict[str, Any]:
    """The event as the API returns it: public facts and the number of approved participants."""
    data = {column.name: getattr(event, column.name) for column in Event.__table__.columns}
    data.update(
        participants=registration_count(event, "approved") if participants is None else participants,
        status_label=STATUS_LABEL[event.status],
        region_name=regions.full_name(event.region),
        slots=slot_times(event),
    )
    return data


def slot_times(event: Event) -> list[dict[str, Any]]:
    """Every slot of the agenda day: number (from 1), start and end as HH:MM."""
    hours, mins = (int(part) for part in event.first_slot_at.split(":"))
    start = datetime.combine(event.starts_on, time(hours, mins))
    step = timedelta(minutes=event.slot_minutes)
    return [
        {
            "slot": i + 1,
            "starts": (start + i * step).strftime("%H:%M"),
            "ends": (start + (i + 1) * step).strftime("%H:%M"),
        }
        for i in range(event.slot_count)
    ]


def reminders_due(today: date) -> list[tuple[int, str]]:
    """(event id, reminder reference) for every open event that takes place the day after ``today``."""
    tomorrow = today + timedelta(days=1)
    stmt = select(Event.id).where(Event.starts_on == tomorrow, Event.status.in_(("published", "closed")))
    return [(event_id, f"event/{event_id}@{tomorrow.isoformat()}") for event_id in db.session.scalars(stmt)]
