"""/api/v1/events/<id>/agenda, meetings, schedule, outcomes and report (洽谈日程与活动总结)."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import download, file_doc
from matchmaker.reports import event_report
from matchmaker.reports.spreadsheets import Sheet, workbook_bytes
from matchmaker.schemas import events as s
from matchmaker.services.events import agenda as event_agenda
from matchmaker.services.events import lifecycle as events
from matchmaker.services.events import outcomes as event_outcomes
from matchmaker.services.events import schedules as event_schedules

blp = Blueprint(
    "event_agenda",
    __name__,
    url_prefix="/api/v1/events",
    description="对接活动日程：自动排期、人工调整、发布日程、洽谈结果与活动总结",
)


@blp.route("/<int:event_id>/agenda", methods=["GET"])
@blp.response(200, s.EventAgenda)
def agenda(event_id):
    """The whole agenda (organiser only)."""
    return event_schedules.agenda(event_id, actor=signed_in())


@blp.route("/<int:event_id>/agenda/generate", methods=["POST"])
@blp.response(200, s.EventAgenda)
def generate(event_id):
    """Plan (or re-plan) the agenda: pinned meetings stay, removed pairs stay out."""
    event_agenda.generate(event_id, actor=signed_in())
    return event_schedules.agenda(event_id, actor=signed_in())


@blp.route("/<int:event_id>/agenda/publish", methods=["POST"])
@blp.response(200, s.EventAgenda)
def publish(event_id):
    """Publish the agenda; every participant is told its schedule."""
    event_agenda.publish_schedule(event_id, actor=signed_in())
    return event_schedules.agenda(event_id, actor=signed_in())


def _meeting(event_id: int, meeting) -> dict:
    event = events.load_event(event_id, actor=signed_in())
    return event_schedules.present_meeting(event, meeting)


@blp.route("/<int:event_id>/meetings/<int:meeting_id>", methods=["PATCH"])
@blp.arguments(s.EventMeetingAdjust)
@blp.response(200, s.EventMeetingOut)
def adjust(data, event_id, meeting_id):
    """Move a meeting (409 on a conflict; it becomes pinned) or pin / unpin it."""
    return _meeting(event_id, event_agenda.adjust(event_id, meeting_id, actor=signed_in(), data=data))


@blp.route("/<int:event_id>/meetings/<int:meeting_id>", methods=["DELETE"])
@blp.response(200, s.EventMeetingOut)
def remove(event_id, meeting_id):
    """Remove a meeting; the pair stays out of later runs."""
    return _meeting(event_id, event_agenda.remove(event_id, meeting_id, actor=signed_in()))


@blp.route("/<int:event_id>/meetings/<int:meeting_id>/outcome", methods=["POST"])
@blp.arguments(s.EventOutcome)
@blp.response(200, s.EventMeetingOut)
def outcome(data, event_id, meeting_id):
    """Record how a meeting went (either side or the organiser)."""
    meeting = event_outcomes.record_outcome(event_id, meeting_id, actor=signed_in(), data=data)
    return _meeting(event_id, meeting)


@blp.route("/<int:event_id>/schedule", methods=["GET"])
@blp.arguments(s.EventScheduleQuery, location="query")
@blp.response(200, s.EventSchedule)
@blp.doc(**file_doc("xlsx"))
def schedule(query, event_id):
    """My organisation's schedule; `format=xlsx` for a printable sheet."""
    data = event_schedules.schedule(event_id, actor=signed_in(), registration_id=query.get("registration_id"))
    if query["format"] == "xlsx":
        rows = [[m["slot"], m["starts"], m["ends"], m["table"], m["counterpart"], m["need_title"],
                 m["output_title"]] for m in data["meetings"]]  # fmt: skip
        headers = ["时段", "开始", "结束", "桌号", "洽谈对象", "技术需求", "科技成果"]
        sheet = Sheet("洽谈日程", headers, rows, widths=(8, 8, 8, 8, 30, 36, 36))
        return download(workbook_bytes([sheet]), f"{data['org_name']}-洽谈日程.xlsx")
    return data


@blp.route("/<int:event_id>/report", methods=["GET"])
@blp.arguments(s.EventReportQuery, location="query")
@blp.response(200, s.EventReport)
@blp.doc(**file_doc("xlsx"))
def report(query, event_id):
    """The event report (organiser only): JSON, or `format=xlsx` for the workbook."""
    data = event_report.report_for(event_id, actor=signed_in())
    if query["format"] == "xlsx":
        return download(workbook_bytes(event_report.sheets(data)), f"{data['title']}-活动总结.xlsx")
    return data
