"""Meeting outcomes (洽谈结果) recorded at or after an event, and how they advance the underlying match.

An outcome is recorded by staff managing the event or by either side of the meeting. ``intent`` and
``agreement`` also move the meeting's match along its lifecycle (both sides interested → connected;
agreement → agreement_signed with the amount), so the dashboard's agreements and amounts count an
agreement signed at an event exactly once: on the match. The meeting keeps its own copy of the
outcome for the event report and the dashboard's "from events" figures. A match that already has
an agreement, or was declined or expired, is left as it is.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import EventMeeting, Match
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.events.schedules import meeting_for
from matchmaker.services.matches.lifecycle import OPEN, record_agreement
from matchmaker.services.uow import unit_of_work

RECORDING = ("ongoing", "finished")


def _check(meeting: EventMeeting, status: str, data: dict[str, Any]) -> None:
    if status not in RECORDING:
        raise Conflict("活动开始后才能登记洽谈结果")
    if meeting.status != "scheduled":
        raise Conflict("该洽谈已从日程中移除")
    if meeting.outcome == "agreement" and data["outcome"] != "agreement":
        raise Conflict("已登记签约的洽谈不能改为其他结果")
    if data["outcome"] == "agreement" and data.get("amount") is None:
        raise ValidationFailed(errors={"amount": ["签订合作协议请填写金额（万元）"]})


def advance_match(match: Match, outcome: str, *, amount: Any, signed_on: date | None, actor: Actor) -> None:
    """Carry an intent or an agreement from the event over to the match (once)."""
    if match.status not in OPEN or outcome not in ("intent", "agreement"):
        return
    now = utcnow()
    if match.connected_at is None:
        for side in ("need", "output"):
            setattr(match, f"{side}_side", "interested")
            for stamp in ("viewed_at", "interested_at"):
                if getattr(match, f"{side}_{stamp}") is None:
                    setattr(match, f"{side}_{stamp}", now)
        match.status, match.connected_at = "connected", now
        audit.record(actor, "match_connect", "match", match.id, source="event")
    if outcome == "agreement":
        record_agreement(match, actor=actor, signed_on=signed_on, amount=amount, source="event")


def record_outcome(event_id: int, meeting_id: int, *, actor: Actor, data: dict[str, Any]) -> EventMeeting:
    """Record held / no_show / intent / agreement (with amount 万元) for one meeting."""
    event, meeting = meeting_for(event_id, meeting_id, actor=actor)
    _check(meeting, event.status, data)
    outcome = data["outcome"]
    amount = data.get("amount") if outcome == "agreement" else None
    with unit_of_work():
        meeting.outcome, meeting.amount = outcome, amount
        meeting.note = data.get("note") or meeting.note
        meeting.outcome_at, meeting.outcome_by = utcnow(), actor.user_id
        match = db.session.get(Match, meeting.match_id) if meeting.match_id else None
        if match is not None:
            advance_match(match, outcome, amount=amount, signed_on=data.get("signed_on"), actor=actor)
        audit.record(actor, "meeting_outcome", "event_meeting", meeting.id, outcome=outcome)
    return meeting
