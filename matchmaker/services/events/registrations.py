"""Event registrations (报名): register with own published needs and outputs, review, check in.

An organisation registers once per event, only while registration is open (status ``published``
and inside the window) and while the event is not full (pending and approved registrations count
against the capacity; approval counts approved ones). Staff in scope approve or reject with a
reason; each decision is notified. Check-in works with the registration's code (the QR code the
participant shows) or, for staff, by registration id.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Event, EventRegistration, ResearchOutput, TechnologyNeed
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.events.lifecycle import load_event, managed_event, registration_count
from matchmaker.services.uow import lock, unit_of_work

CHECKIN_STATUSES = ("closed", "ongoing")


def _check_open(event: Event) -> None:
    now = utcnow()
    if event.status != "published":
        raise Conflict("该活动当前不接受报名")
    if now < event.registration_opens_at:
        raise Conflict("报名尚未开始")
    if now >= event.registration_closes_at:
        raise Conflict("报名已截止")
    if registration_count(event, "pending", "approved") >= event.capacity:
        raise Conflict("报名人数已满")


def _own_published(model: Any, ids: list[int], org_id: int, key: str, label: str) -> list[Any]:
    rows = {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids or [0])))}
    bad = [i for i in ids if i not in rows or rows[i].org_id != org_id or rows[i].status != "published"]
    if bad:
        ids_text = "、".join(str(i) for i in bad)
        raise ValidationFailed(errors={key: [f"只能携带本单位已发布的{label}（编号 {ids_text} 不符合）"]})
    return [rows[i] for i in ids]


def _check_slots(event: Event, slots: list[int]) -> None:
    wrong = [s for s in slots if not 1 <= s <= event.slot_count]
    if wrong:
        raise ValidationFailed(errors={"unavailable_slots": [f"时段应在 1 到 {event.slot_count} 之间"]})


def register(event_id: int, *, actor: Actor, data: dict[str, Any]) -> EventRegistration:
    """The actor's organisation registers with needs and outputs it owns (published ones only)."""
    event = load_event(event_id, actor=actor)
    if actor.org_id is None or not actor.has_role("enterprise", "researcher"):
        raise Forbidden("只有企业和科研单位账号可以报名")
    need_ids, output_ids = list(data.get("need_ids") or []), list(data.get("output_ids") or [])
    if not need_ids and not output_ids:
        raise ValidationFailed(errors={"need_ids": ["请至少携带一项技术需求或科技成果"]})
    listings = _own_published(TechnologyNeed, need_ids, actor.org_id, "need_ids", "技术需求")
    listings += _own_published(ResearchOutput, output_ids, actor.org_id, "output_ids", "科技成果")
    slots = sorted(set(data.get("unavailable_slots") or []))
    _check_slots(event, slots)
    assert actor.user is not None and actor.user.org is not None
    with unit_of_work():
        _check_open(lock(event))  # registrations for the last seat take their turn on the event row
        exists = select(EventRegistration.id).filter_by(event_id=event.id, org_id=actor.org_id)
        if db.session.scalar(exists) is not None:
            raise Conflict("本单位已报名该活动")
        registration = EventRegistration(
            event_id=event.id,
            org_id=actor.org_id,
            user_id=actor.user_id,
            region=event.region,
            org_region=actor.user.org.region,
            fields=sorted({code for listing in listings for code in listing.fields or []}),
            need_ids=need_ids,
            output_ids=output_ids,
            unavailable_slots=slots,
            note=data.get("note") or "",
            status="pending",
            checkin_code=secrets.token_hex(6),
        )
        db.session.add(registration)
        db.session.flush()
        audit.record(actor, "register", "event", event.id, registration_id=registration.id)
    return registration


def load_registration(event: Event, registration_id: int) -> EventRegistration:
    """A registration of this event (404 if it belongs to another event)."""
    registration = db.session.get(EventRegistration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise NotFound("未找到该报名")
    return registration


def review(event_id: int, registration_id: int, action: str, *, actor: Actor, reason: str | None) -> Any:
    """Staff in scope approve or reject (with a reason) a registration; the organisation is notified."""
    event = managed_event(event_id, actor=actor)
    registration = load_registration(event, registration_id)
    if event.status not in ("published", "closed"):
        raise Conflict("活动已开始或已结束，不能再审核报名")
    if action == "reject" and not (reason and reason.strip()):
        raise ValidationFailed(errors={"reason": ["请填写不通过的原因（reason is required）"]})
    target = "approved" if action == "approve" else "rejected"
    with unit_of_work() as uow:
        lock(event)  # parallel approvals are counted one after another
        db.session.refresh(registration)
        if registration.status == target:
            return registration
        if target == "approved" and registration_count(event, "approved") >= event.capacity:
            raise Conflict("报名人数已满，不能再通过审核")
        registration.status, registration.reason = target, reason if target == "rejected" else None
        registration.reviewed_at, registration.reviewed_by = utcnow(), actor.user_id
        audit.record(actor, action, "event_registration", registration.id, reason=reason)
        notify(uow, f"event.registration_{target}", f"registration/{registration.id}@{target}")
    return registration


def registrations(event_id: int, *, actor: Actor, status: str | None = None) -> list[EventRegistration]:
    """Every registration of the event, for whoever manages it."""
    event = managed_event(event_id, actor=actor)
    stmt = select(EventRegistration).where(EventRegistration.event_id == event.id)
    if status:
        stmt = stmt.where(EventRegistration.status == status)
    return list(db.session.scalars(stmt.order_by(EventRegistration.id)).unique())


def my_registration(event_id: int, *, actor: Actor) -> EventRegistration:
    """The actor's organisation's registration for the event (404 when it has none)."""
    event = load_event(event_id, actor=actor)
    stmt = select(EventRegistration).filter_by(event_id=event.id, org_id=actor.org_id)
    registration = db.session.scalar(stmt) if actor.org_id is not None else None
    if registration is None:
        raise NotFound("本单位尚未报名该活动")
    return registration


def _check_in(actor: Actor, event: Event, registration: EventRegistration) -> EventRegistration:
    if registration.status != "approved":
        raise Conflict("报名尚未通过审核，不能签到")
    if event.status not in CHECKIN_STATUSES:
        raise Conflict("活动尚未开始签到或已结束")
    if registration.checked_in_at is None:
        with unit_of_work():
            registration.checked_in_at = utcnow()
            audit.record(actor, "checkin", "event_registration", registration.id)
    return registration


def check_in_by_code(event_id: int, *, actor: Actor, code: str) -> EventRegistration:
    """Check in with the registration's code: the participant itself, or staff scanning its QR code."""
    event = load_event(event_id, actor=actor)
    registration = db.session.scalar(
        select(EventRegistration).filter_by(event_id=event.id, checkin_code=code)
    )
    if registration is None or not policy.can_see_registration(actor, event, registration):
        raise NotFound("签到码无效")
    return _check_in(actor, event, registration)


def check_in_by_staff(event_id: int, registration_id: int, *, actor: Actor) -> EventRegistration:
    """Staff in scope check a participant in at the desk."""
    event = managed_event(event_id, actor=actor)
    return _check_in(actor, event, load_registration(event, registration_id))
