"""/api/v1/periodic-reports: 月报/季报 — county staff file and submit, city staff return or approve."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import download
from matchmaker.errors import Forbidden
from matchmaker.reports import periodic
from matchmaker.schemas import periodic_reports as s
from matchmaker.services import periodic_reports as reports

blp = Blueprint(
    "periodic-reports",
    __name__,
    url_prefix="/api/v1/periodic-reports",
    description="月报/季报：县区填报（平台指标自动生成，另填人工指标），市科技局退回或审定；审定后锁定，更正为新版本",
)


def _one(report, status: int = 200):
    return periodic.present(report), status


@blp.route("", methods=["GET"])
@blp.arguments(s.PeriodicReportQuery, location="query")
@blp.response(200, s.PeriodicReportList)
def list_(query):
    """Reports of my region (every version)."""
    items = reports.list_reports(actor=signed_in(), period=query.get("period"))
    return {"items": [periodic.present(r) for r in items]}


@blp.route("", methods=["POST"])
@blp.arguments(s.PeriodicReportCreate)
@blp.response(201, s.PeriodicReport)
def create(data):
    """County staff open the report for a period (platform figures are filled in)."""
    return _one(reports.create_report(actor=signed_in(), data=data), 201)


@blp.route("/late", methods=["GET"])
@blp.arguments(s.ReportLateQuery, location="query")
@blp.response(200, s.ReportLateList)
def late(query):
    """Counties of my scope that have not submitted the period's report."""
    who = signed_in()
    if not who.has_role("staff") or who.user is None or not who.user.region_scope:
        raise Forbidden("只有科技局工作人员可以查看报送情况")
    return {"items": periodic.late_counties(who.user.region_scope, query["period"])}


@blp.route("/<int:report_id>", methods=["GET"])
@blp.arguments(s.ReportExportQuery, location="query")
@blp.response(200, s.PeriodicReport)
def get(query, report_id):
    """One report; ``format=xlsx|docx`` downloads it."""
    report = reports.load_report(report_id, actor=signed_in())
    if query["format"] == "json":
        return _one(report)
    content, name = (periodic.report_xlsx if query["format"] == "xlsx" else periodic.report_docx)(report)
    return download(content, name)


@blp.route("/<int:report_id>", methods=["PATCH"])
@blp.arguments(s.PeriodicReportUpdate)
@blp.response(200, s.PeriodicReport)
def update(data, report_id):
    """Change the manual fields or summary of a draft or returned report (approved: 409)."""
    return _one(reports.update_report(report_id, actor=signed_in(), data=data))


@blp.route("/<int:report_id>/submit", methods=["POST"])
@blp.response(200, s.PeriodicReport)
def submit(report_id):
    """Freeze the figures and send the report to the city."""
    return _one(reports.submit(report_id, actor=signed_in(), figures=periodic.figures_of))


@blp.route("/<int:report_id>/review", methods=["POST"])
@blp.arguments(s.ReportReview)
@blp.response(200, s.PeriodicReport)
def review(data, report_id):
    """City staff approve (locks it) or return it with a comment."""
    return _one(
        reports.review(report_id, actor=signed_in(), decision=data["decision"], comment=data.get("comment"))
    )


@blp.route("/<int:report_id>/correct", methods=["POST"])
@blp.response(201, s.PeriodicReport)
def correct(report_id):
    """Start a corrected version of an approved report (a new draft)."""
    return _one(reports.correct(report_id, actor=signed_in()), 201)
