"""Event causes: invitations, registration decisions, the day-before reminder and the published agenda.

References: ``event/<id>`` (invitation), ``registration/<id>@approved|rejected``,
``event/<id>@<yyyy-mm-dd>`` (reminder, one per event day) and ``event/<id>@v<n>`` (agenda version n).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, EventMeeting, EventRegistration, ResearchOutput, TechnologyNeed, User
from matchmaker.models.events import EVENT_TYPES
from matchmaker.notifications.causes.builtin import link, org_users, ref_id
from matchmaker.notifications.causes.registry import Cause, register
from matchmaker.notifications.causes.registry import Event as Notice
from matchmaker.queries.scope import region_clause
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions

MAX_INVITED_ORGS = 200


def _event(ref: str) -> Event | None:
    return db.session.get(Event, ref_id(ref))


def _context(event: Event) -> dict[str, Any]:
    return {
        "title": event.title,
        "type_label": EVENT_TYPES[event.type],
        "date": event.starts_on.isoformat(),
        "venue": event.venue or event.online_url or "另行通知",
        "region_name": regions.full_name(event.region),
        "link": link(f"/events/{event.id}"),
    }


def _fits(theme: list[str], codes: list[str] | None) -> bool:
    return any(field_tree.within(t, c) or field_tree.within(c, t) for t in theme for c in codes or [])


def invited_orgs(event: Event) -> list[int]:
    """Organisations with published listings in the event's fields: needs in its region, outputs anywhere."""
    registered = select(EventRegistration.org_id).where(EventRegistration.event_id == event.id)
    found: set[int] = set()
    for model, local in ((TechnologyNeed, True), (ResearchOutput, False)):
        stmt = select(model.org_id, model.fields).where(model.status == "published")
        stmt = stmt.where(model.org_id.not_in(registered))
        if local:
            stmt = stmt.where(region_clause(model.region, event.region))
        found |= {org for org, codes in db.session.execute(stmt) if _fits(event.fields, codes)}
    return sorted(found)[:MAX_INVITED_ORGS]


def load_invitation(ref: str, extra: Mapping[str, Any]) -> Notice | None:
    """Organisations whose published work fits the event's theme are invited while registration is open."""
    event = _event(ref)
    if event is None or event.status != "published":
        return None
    return Notice(recipients=org_users(invited_orgs(event)), context=_context(event))


def load_decision(ref: str, extra: Mapping[str, Any]) -> Notice | None:
    """The registering organisation hears the decision (and the reason when rejected)."""
    registration = db.session.get(EventRegistration, ref_id(ref))
    if registration is None:
        return None
    event = db.session.get(Event, registration.event_id)
    assert event is not None
    context = {**_context(event), "reason": registration.reason or ""}
    return Notice(recipients=org_users([registration.org_id]), context=context)


def _participants(event: Event) -> list[int]:
    stmt = select(EventRegistration.org_id).filter_by(event_id=event.id, status="approved")
    return org_users(list(db.session.scalars(stmt)))


def load_reminder(ref: str, extra: Mapping[str, Any]) -> Notice | None:
    """Approved participants are reminded the day before."""
    event = _event(ref)
    if event is None or event.status not in ("published", "closed"):
        return None
    return Notice(recipients=_participants(event), context=_context(event))


def load_schedule(ref: str, extra: Mapping[str, Any]) -> Notice | None:
    """Approved participants hear that the agenda is out, with how many meetings they have."""
    event = _event(ref)
    if event is None or event.schedule_published_at is None:
        return None
    meetings = list(db.session.scalars(select(EventMeeting).filter_by(event_id=event.id, status="scheduled")))
    regs = {
        r.id: r.org_id for r in db.session.scalars(select(EventRegistration).filter_by(event_id=event.id))
    }

    def per_user(user: User) -> dict[str, Any]:
        """The reader's own number of meetings."""
        mine = [m for m in meetings if user.org_id in (regs[m.need_reg_id], regs[m.output_reg_id])]
        return {"count": len(mine), "link": link(f"/events/{event.id}/schedule")}

    return Notice(recipients=_participants(event), context=_context(event), per_user=per_user)


_LINE = "{{ type_label }}《{{ title }}》将于 {{ date }} 在{{ venue }}举行。"
for cause in (
    Cause(
        name="event.invitation",
        kind="event",
        subject="【活动邀请】诚邀参加{{ type_label }}《{{ title }}》",
        lines=(_LINE, "您发布的信息与本次活动主题相关，欢迎登录平台报名，携带技术需求或科技成果参加对接。"),
        sms="诚邀贵单位参加{{ title }}，{{ date }}举行，请登录平台报名。",
        sms_params=("title", "date"),
        personalised=True,
        loader=load_invitation,
    ),
    Cause(
        name="event.registration_approved",
        kind="event",
        subject="【报名成功】您已成功报名《{{ title }}》",
        lines=(_LINE, "您的报名已通过审核，洽谈日程发布后将另行通知。"),
        sms="您报名的{{ title }}已通过审核，活动时间{{ date }}。",
        sms_params=("title", "date"),
        loader=load_decision,
    ),
    Cause(
        name="event.registration_rejected",
        kind="event",
        subject="【报名未通过】《{{ title }}》报名审核结果",
        lines=("很抱歉，您报名的{{ type_label }}《{{ title }}》未通过审核。", "原因：{{ reason }}"),
        sms="您报名的{{ title }}未通过审核，请登录平台查看原因。",
        sms_params=("title",),
        loader=load_decision,
    ),
    Cause(
        name="event.reminder",
        kind="event",
        subject="【活动提醒】《{{ title }}》明天举行",
        lines=(_LINE, "请携带签到码按时到场，并提前查看您的洽谈日程。"),
        sms="提醒：{{ title }}将于{{ date }}举行，请按时参加。",
        sms_params=("title", "date"),
        loader=load_reminder,
    ),
    Cause(
        name="event.schedule_published",
        kind="event",
        subject="【洽谈日程】《{{ title }}》洽谈日程已发布",
        lines=(_LINE, "主办方已为您安排 {{ count }} 场一对一洽谈，请登录平台查看时段与桌号。"),
        sms="{{ title }}洽谈日程已发布，请登录平台查看。",
        sms_params=("title",),
        loader=load_schedule,
    ),
):
    register(cause)
