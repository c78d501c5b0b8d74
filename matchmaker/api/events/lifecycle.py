"""/api/v1/events: events (对接会) and their registrations (报名).

The public reads published events; staff in scope create and run them; enterprises and research
teams register and see only their own registration.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import actor, signed_in
from matchmaker.schemas import events as s
from matchmaker.schemas.common import page_of
from matchmaker.services.events import lifecycle as events
from matchmaker.services.events import registrations as regs

blp = Blueprint(
    "events",
    __name__,
    url_prefix="/api/v1/events",
    description="对接活动：产学研对接会、高校专场、成果路演；报名、审核与签到",
)
EventPage = page_of(s.EventOut, "EventPage")


@blp.route("", methods=["GET"])
@blp.arguments(s.EventQuery, location="query")
@blp.response(200, EventPage)
def list_events(query):
    """Published events for everyone; staff also see drafts in their region."""
    filters = events.EventFilter(**query)
    items, total = events.list_events(actor=actor(), filters=filters)
    counts = events.approved_counts(items)
    return {
        "items": [events.present(e, counts.get(e.id, 0)) for e in items],
        "total": total,
        "page": filters.page,
        "per_page": filters.per_page,
    }


@blp.route("", methods=["POST"])
@blp.arguments(s.EventCreate)
@blp.response(201, s.EventOut)
def create(data):
    """Staff create a draft event in their region scope."""
    return events.present(events.create_event(actor=signed_in(), data=data))


@blp.route("/<int:event_id>", methods=["GET"])
@blp.response(200, s.EventOut)
def get(event_id):
    """One event (public once published)."""
    return events.present(events.load_event(event_id, actor=actor()))


@blp.route("/<int:event_id>", methods=["PATCH"])
@blp.arguments(s.EventUpdate)
@blp.response(200, s.EventOut)
def update(data, event_id):
    """Staff in scope edit an event that has not started."""
    return events.present(events.update_event(event_id, actor=signed_in(), data=data))


def _action(name: str, summary: str) -> None:
    def view(event_id: int):
        return events.present(events.transition(event_id, name, actor=signed_in()))

    view.__name__, view.__doc__ = name, summary
    blp.route(f"/<int:event_id>/{name}", methods=["POST"], endpoint=name)(blp.response(200, s.EventOut)(view))


_action("publish", "Open the event for registration (invitations go out).")
_action("close", "Close registration early.")
_action("start", "The event day has begun: check-in and outcomes open.")
_action("finish", "The event is over.")
_action("cancel", "Cancel an event that has not started.")


@blp.route("/<int:event_id>/registrations", methods=["POST"])
@blp.arguments(s.EventRegistrationCreate)
@blp.response(201, s.EventMyRegistration)
def register(data, event_id):
    """My organisation registers with needs and outputs it owns."""
    return regs.register(event_id, actor=signed_in(), data=data)


@blp.route("/<int:event_id>/registrations", methods=["GET"])
@blp.arguments(s.EventRegistrationQuery, location="query")
@blp.response(200, s.EventRegistrationList)
def registrations(query, event_id):
    """Every registration (organiser only)."""
    return {"items": regs.registrations(event_id, actor=signed_in(), status=query.get("status"))}


@blp.route("/<int:event_id>/registration", methods=["GET"])
@blp.response(200, s.EventMyRegistration)
def my_registration(event_id):
    """My organisation's registration, with its check-in code."""
    return regs.my_registration(event_id, actor=signed_in())


@blp.route("/<int:event_id>/registrations/<int:registration_id>/approve", methods=["POST"])
@blp.response(200, s.EventRegistrationOut)
def approve(event_id, registration_id):
    """Staff in scope approve a registration."""
    return regs.review(event_id, registration_id, "approve", actor=signed_in(), reason=None)


@blp.route("/<int:event_id>/registrations/<int:registration_id>/reject", methods=["POST"])
@blp.arguments(s.EventReason)
@blp.response(200, s.EventRegistrationOut)
def reject(data, event_id, registration_id):
    """Staff in scope reject a registration with a reason."""
    return regs.review(event_id, registration_id, "reject", actor=signed_in(), reason=data.get("reason"))


@blp.route("/<int:event_id>/checkin", methods=["POST"])
@blp.arguments(s.EventCheckIn)
@blp.response(200, s.EventRegistrationOut)
def check_in(data, event_id):
    """Check in with the registration's code (the participant, or staff scanning its QR code)."""
    return regs.check_in_by_code(event_id, actor=signed_in(), code=data["code"])


@blp.route("/<int:event_id>/registrations/<int:registration_id>/checkin", methods=["POST"])
@blp.response(200, s.EventRegistrationOut)
def check_in_at_desk(event_id, registration_id):
    """Staff check a participant in at the desk."""
    return regs.check_in_by_staff(event_id, registration_id, actor=signed_in())
