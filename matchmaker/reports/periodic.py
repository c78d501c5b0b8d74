"""Figures of a periodic county report (月报/季报), late counties, and the report as xlsx or docx.

Platform figures are the dashboard's metrics for the county and the period's China-local days, plus
the outputs pushed to the county's firms (成果推送). Manual fields carry what the platform cannot
know, each with its unit and source.
"""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import CompilationItem, OutputCompilation, PeriodicReport
from matchmaker.models.periodic_reports import period_days
from matchmaker.reports.dashboard import aggregate
from matchmaker.reports.metrics import METRICS, Window
from matchmaker.reports.spreadsheets import Sheet, workbook_bytes
from matchmaker.taxonomy import regions

FIGURES = (
    "needs_collected", "needs_published", "outputs_published", "events_held", "agreements",
    "agreement_amount", "contracts", "contract_amount", "challenges_awarded", "filings_approved",
    "filing_amount", "subsidy_projects", "subsidy_amount", "placements_recommended", "placements_approved",
)  # fmt: skip
PUSHED = ("outputs_pushed", "推送科技成果（项次）")


def _pushed(window: Window) -> int:
    conds = window.conditions(OutputCompilation.pushed_at, OutputCompilation.region)
    stmt = (
        select(func.count())
        .select_from(CompilationItem)
        .join(OutputCompilation, OutputCompilation.id == CompilationItem.compilation_id)
        .where(OutputCompilation.status == "pushed", *conds)
    )
    return db.session.scalar(stmt) or 0


def platform_figures(region: str, kind: str, period: str) -> dict[str, float | int]:
    """The platform's figures for the county and period."""
    days = period_days(kind, period)
    assert days is not None
    window = Window(region, *days)
    figures: dict[str, float | int] = {key: aggregate(METRICS[key], window) for key in FIGURES}
    figures[PUSHED[0]] = _pushed(window)
    return figures


def figures_of(report: PeriodicReport) -> dict[str, float | int]:
    """The platform's figures for the report's county and period."""
    return platform_figures(report.region, report.period_kind, report.period)


def label(key: str) -> str:
    """The Chinese label of a platform figure."""
    return PUSHED[1] if key == PUSHED[0] else METRICS[key].label


def late_counties(scope: str, period: str) -> list[dict[str, Any]]:
    """Counties of the scope with no report submitted (or approved) for the period."""
    counties = [c for c in regions.descendants(scope) if regions.level(c) == "county"] or [scope]
    stmt = select(PeriodicReport.region).where(
        PeriodicReport.period == period, PeriodicReport.status.in_(("submitted", "approved", "superseded"))
    )
    done = set(db.session.scalars(stmt))
    return [{"region": c, "region_name": regions.full_name(c)} for c in counties if c not in done]


def _title(report: PeriodicReport) -> str:
    kind = "月报" if report.period_kind == "month" else "季报"
    return f"{regions.full_name(report.region)}产学研工作{kind}（{report.period}，第{report.version}版）"


def _rows(report: PeriodicReport) -> list[list[Any]]:
    rows: list[list[Any]] = [[label(k), v, "", "平台统计"] for k, v in report.figures.items()]
    rows += [[m["name"], m["value"], m.get("unit", ""), m.get("source", "")] for m in report.manual]
    return rows


def report_xlsx(report: PeriodicReport) -> tuple[bytes, str]:
    """The report as a workbook: every indicator with its value, unit and source."""
    title = _title(report)
    sheet = Sheet("报表", ["指标", "数值", "单位", "来源"], _rows(report), widths=(30, 14, 10, 30))
    about = Sheet(
        "说明", ["报表", title], [["状态", report.status], ["工作小结", report.summary]], widths=(12, 60)
    )
    return workbook_bytes([sheet, about]), f"{title}.xlsx"


def report_docx(report: PeriodicReport) -> tuple[bytes, str]:
    """The report as a Word document: title, the indicator table, the summary."""
    title = _title(report)
    document = Document()
    document.add_heading(title, level=1)
    table = document.add_table(rows=1, cols=4)
    for cell, text in zip(table.rows[0].cells, ("指标", "数值", "单位", "来源"), strict=True):
        cell.text = text
    for row in _rows(report):
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = str(value)
    if report.summary:
        document.add_paragraph(report.summary)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue(), f"{title}.docx"


def present(report: PeriodicReport) -> dict[str, Any]:
    """The report with its figures live while it is a draft (frozen once submitted)."""
    data = {c.key: getattr(report, c.key) for c in PeriodicReport.__table__.columns}
    if report.status in ("draft", "returned"):
        data["figures"] = figures_of(report)
    data["region_name"] = regions.full_name(report.region)
    data["locked"] = report.status in ("approved", "superseded")
    return data
