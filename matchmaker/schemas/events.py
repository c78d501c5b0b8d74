"""Schemas for events (对接会): create, update, dump, registrations, agenda, outcomes, report query."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from matchmaker.models.events import EVENT_STATUSES, EVENT_TYPES, OUTCOMES, REGISTRATION_STATUSES
from matchmaker.schemas.common import (
    CodeList,
    Money,
    PageQuery,
    PartialSchema,
    StrictSchema,
    Text,
    china_datetime,
    field_code,
    one_of_vocab,
    region_code,
)

HHMM = validate.Regexp(r"^([01]\d|2[0-3]):[0-5]\d$", error="时间格式应为 HH:MM（例如 09:00）")
IDS = fields.List(fields.Integer(validate=validate.Range(min=1)), validate=validate.Length(max=20))


class EventPlan(StrictSchema):
    """Every field an organiser sets."""

    title = Text(200, required=True, min_len=4)
    type = fields.String(required=True, validate=one_of_vocab(EVENT_TYPES))
    description = Text(5000)
    fields_ = CodeList(
        field_code,
        data_key="fields",
        attribute="fields",
        required=True,
        validate=validate.Length(min=1, max=5),
    )
    region = fields.String(validate=region_code)
    venue = Text(200)
    online_url = fields.Url(validate=validate.Length(max=300), allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=2, max=2000))
    registration_opens_at = china_datetime(required=True)
    registration_closes_at = china_datetime(required=True)
    slot_count = fields.Integer(load_default=8, validate=validate.Range(min=1, max=48))
    slot_minutes = fields.Integer(load_default=20, validate=validate.Range(min=5, max=240))
    first_slot_at = fields.String(load_default="09:00", validate=HHMM)
    tables_per_slot = fields.Integer(load_default=10, validate=validate.Range(min=1, max=500))
    max_meetings = fields.Integer(load_default=4, validate=validate.Range(min=1, max=48))


class EventCreate(EventPlan):
    """A new event (saved as a draft)."""


class EventUpdate(PartialSchema, EventPlan):
    """A partial update of an event that has not started."""


class EventSlot(Schema):
    """One time slot of the agenda day."""

    slot = fields.Integer()
    starts = fields.String()
    ends = fields.String()


class EventOut(Schema):
    """An event as anyone may see it: no registrations, only the number of approved participants."""

    id = fields.Integer()
    title = fields.String()
    type = fields.String()
    description = fields.String()
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    region = fields.String()
    region_name = fields.String()
    venue = fields.String()
    online_url = fields.String(allow_none=True)
    starts_on = fields.Date()
    ends_on = fields.Date()
    capacity = fields.Integer()
    participants = fields.Integer()
    registration_opens_at = fields.DateTime()
    registration_closes_at = fields.DateTime()
    slot_count = fields.Integer()
    slot_minutes = fields.Integer()
    first_slot_at = fields.String()
    tables_per_slot = fields.Integer()
    max_meetings = fields.Integer()
    slots = fields.List(fields.Nested(EventSlot))
    status = fields.String()
    status_label = fields.String()
    published_at = fields.DateTime(allow_none=True)
    schedule_published_at = fields.DateTime(allow_none=True)


class EventQuery(PageQuery):
    """Filters of the event list."""

    status = fields.String(validate=validate.OneOf(EVENT_STATUSES))
    type = fields.String(validate=one_of_vocab(EVENT_TYPES))
    region = fields.String(validate=region_code)


class EventRegistrationCreate(StrictSchema):
    """What an organisation brings: its own published needs and outputs, and slots it cannot attend."""

    need_ids = IDS
    output_ids = IDS
    unavailable_slots = fields.List(fields.Integer(), validate=validate.Length(max=48))
    note = Text(500)


class EventRegistrationOut(Schema):
    """A registration as its organisation and the organiser see it (the code only for its own org)."""

    id = fields.Integer()
    event_id = fields.Integer()
    org_id = fields.Integer()
    org_name = fields.Function(lambda r: r.org.name)
    org_region = fields.String()
    need_ids = fields.List(fields.Integer())
    output_ids = fields.List(fields.Integer())
    fields_ = fields.List(fields.String(), data_key="fields", attribute="fields")
    unavailable_slots = fields.List(fields.Integer())
    note = fields.String()
    status = fields.String()
    reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    reviewed_at = fields.DateTime(allow_none=True)
    checked_in_at = fields.DateTime(allow_none=True)


class EventMyRegistration(EventRegistrationOut):
    """The caller's own registration, with the check-in code its QR code encodes."""

    checkin_code = fields.String()


class EventRegistrationList(Schema):
    """The organiser's list of registrations."""

    items = fields.List(fields.Nested(EventRegistrationOut))


class EventRegistrationQuery(StrictSchema):
    """Filter registrations by status."""

    status = fields.String(validate=validate.OneOf(REGISTRATION_STATUSES))


class EventReason(StrictSchema):
    """Why a registration is rejected."""

    reason = Text(500)


class EventCheckIn(StrictSchema):
    """The check-in code shown (as a QR code) on the participant's registration."""

    code = Text(16, required=True)


class EventMeetingAdjust(PartialSchema):
    """Move a meeting to a slot and table (it becomes pinned), or pin / unpin it."""

    slot = fields.Integer()
    table = fields.Integer()
    pinned = fields.Boolean()


class EventOutcome(StrictSchema):
    """How a meeting went; an agreement needs its amount (万元)."""

    outcome = fields.String(required=True, validate=one_of_vocab(OUTCOMES))
    amount = Money("协议金额", allow_none=True)
    signed_on = fields.Date()
    note = Text(500)


class EventReportQuery(StrictSchema):
    """json (default) or xlsx."""

    format = fields.String(
        load_default="json", validate=validate.OneOf(["json", "xlsx"], error="format 应为 json 或 xlsx")
    )


class EventScheduleQuery(EventReportQuery):
    """The organiser may read any participant's schedule by registration id."""

    registration_id = fields.Integer(validate=validate.Range(min=1))


class EventOrgRef(Schema):
    """One side of a meeting: registration id and organisation name (no contacts)."""

    registration_id = fields.Integer()
    name = fields.String()


class EventMeetingOut(Schema):
    """A meeting on the organiser's agenda."""

    id = fields.Integer()
    slot = fields.Integer(allow_none=True)
    starts = fields.String(allow_none=True)
    ends = fields.String(allow_none=True)
    table = fields.Integer(allow_none=True)
    need_org = fields.Nested(EventOrgRef)
    output_org = fields.Nested(EventOrgRef)
    need_title = fields.String()
    output_title = fields.String()
    match_id = fields.Integer(allow_none=True)
    score = fields.Float()
    pinned = fields.Boolean()
    status = fields.String()
    outcome = fields.String(allow_none=True)
    outcome_label = fields.String()
    amount = fields.Float(allow_none=True)


class EventAgenda(Schema):
    """The organiser's whole agenda."""

    event_id = fields.Integer()
    generated_at = fields.DateTime(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    slots = fields.List(fields.Nested(EventSlot))
    total_score = fields.Float()
    meetings = fields.List(fields.Nested(EventMeetingOut))
    without_meetings = fields.List(fields.Nested(EventOrgRef))


class EventMyMeeting(Schema):
    """One meeting as a participant sees it."""

    id = fields.Integer()
    slot = fields.Integer()
    starts = fields.String(allow_none=True)
    ends = fields.String(allow_none=True)
    table = fields.Integer()
    my_role = fields.String()
    counterpart = fields.String()
    need_title = fields.String()
    output_title = fields.String()
    outcome = fields.String(allow_none=True)


class EventSchedule(Schema):
    """A participant's own schedule (empty until the organiser publishes the agenda)."""

    event_id = fields.Integer()
    event_title = fields.String()
    date = fields.Date()
    venue = fields.String()
    registration_id = fields.Integer()
    org_name = fields.String()
    published = fields.Boolean()
    meetings = fields.List(fields.Nested(EventMyMeeting))


_FIGURES = {
    key: (fields.Float() if key == "amount" else fields.Integer())
    for key in (
        "participants", "checked_in", "meetings_scheduled", "meetings_held",
        "no_shows", "intents", "agreements", "amount",
    )
}  # fmt: skip
EventReportFigures = type("EventReportFigures", (Schema,), dict(_FIGURES))
EventReportRow = type(
    "EventReportRow", (Schema,), {"key": fields.String(), "name": fields.String(), **_FIGURES}
)


class EventReportMeeting(Schema):
    """One line of the meeting list."""

    slot = fields.Integer(allow_none=True)
    table = fields.Integer(allow_none=True)
    need_org = fields.String()
    output_org = fields.String()
    score = fields.Float()
    outcome = fields.String()
    amount = fields.Float(allow_none=True)


class EventReport(Schema):
    """The event report: totals, by county, by field, meeting list."""

    event_id = fields.Integer()
    title = fields.String()
    type_label = fields.String()
    date = fields.String()
    region_name = fields.String()
    totals = fields.Nested(EventReportFigures)
    by_county = fields.List(fields.Nested(EventReportRow))
    by_field = fields.List(fields.Nested(EventReportRow))
    meetings = fields.List(fields.Nested(EventReportMeeting))
