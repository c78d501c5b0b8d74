"""/api/v1/dashboard: figures for bureau staff (科技局), scoped to their region; `format=xlsx` exports."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import download, file_doc
from matchmaker.reports import dashboard, dashboard_sheets
from matchmaker.reports import placements as placement_figures
from matchmaker.reports.metrics import Window
from matchmaker.reports.spreadsheets import workbook_bytes
from matchmaker.schemas import dashboard as s
from matchmaker.schemas import placements as ps

blp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/api/v1/dashboard",
    description="工作台统计（科技局工作人员、管理员）：按辖区统计需求、成果、对接、协议与技术合同",
)


def _window(query: dict[str, Any]) -> Window:
    region = dashboard.resolve_scope(signed_in(), query.get("region"))
    return Window(region, query.get("start"), query.get("end"))


def _reply(query: dict[str, Any], data: dict[str, Any], sheet: Any, name: str) -> Any:
    if query["format"] == "xlsx":
        return download(workbook_bytes([sheet(data)]), f"{name}.xlsx")
    return data


@blp.route("/summary")
@blp.arguments(s.DashboardQuery, location="query")
@blp.response(200, s.Summary)
@blp.doc(**file_doc("xlsx"))
def summary(query):
    """Needs collected, outputs published, matches, connections, agreements, contracts, review queue."""
    return _reply(query, dashboard.summary(_window(query)), dashboard_sheets.summary_sheet, "统计概览")


@blp.route("/timeseries")
@blp.arguments(s.TimeseriesQuery, location="query")
@blp.response(200, s.Timeseries)
@blp.doc(**file_doc("xlsx"))
def timeseries(query):
    """One metric per month (China time); the last twelve months unless from/to say otherwise."""
    data = dashboard.timeseries(query["metric"], _window(query))
    return _reply(query, data, dashboard_sheets.timeseries_sheet, "月度趋势")


@blp.route("/breakdown")
@blp.arguments(s.BreakdownQuery, location="query")
@blp.response(200, s.Breakdown)
@blp.doc(**file_doc("xlsx"))
def breakdown(query):
    """Every figure per county, or per top-level industry field."""
    data = dashboard.breakdown(query["by"], _window(query))
    return _reply(query, data, dashboard_sheets.breakdown_sheet, "分组统计")


@blp.route("/funnel")
@blp.arguments(s.DashboardQuery, location="query")
@blp.response(200, s.Funnel)
@blp.doc(**file_doc("xlsx"))
def funnel(query):
    """Matches proposed in the period: proposed → viewed → interested → connected → … → contract."""
    return _reply(query, dashboard.funnel(_window(query)), dashboard_sheets.funnel_sheet, "对接漏斗")


@blp.route("/placements")
@blp.arguments(ps.PlacementDashboardQuery, location="query")
@blp.response(200, ps.PlacementDashboard)
def placements(query):
    """科技副总: in office now, approved by the province (立项), recommended; by county and field."""
    return placement_figures.dashboard(dashboard.resolve_scope(signed_in(), query.get("region")))
