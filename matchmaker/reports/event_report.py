"""The event report (活动总结): participants, check-ins, meetings, intents, agreements and amounts.

Totals, then the same figures by county and by top-level industry field. A participant counts
under its organisation's county and under each top-level field of what it brought; a meeting
counts under the need side's county (as matches do) and under the matched need's fields.
Outcome levels are cumulative: an agreement is also an intent and a meeting held.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Event, EventMeeting, EventRegistration
from matchmaker.models.events import EVENT_TYPES, OUTCOMES
from matchmaker.reports.spreadsheets import Sheet
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions

FIGURES = {
    "participants": "参会单位（家）",
    "checked_in": "签到单位（家）",
    "meetings_scheduled": "安排洽谈（场）",
    "meetings_held": "实际洽谈（场）",
    "no_shows": "缺席（场）",
    "intents": "达成合作意向（项）",
    "agreements": "签订合作协议（项）",
    "amount": "协议金额（万元）",
}
HELD = ("held", "intent", "agreement")
INTENT = ("intent", "agreement")


def _blank() -> dict[str, float]:
    return dict.fromkeys(FIGURES, 0.0)


def _add_participant(row: dict[str, float], reg: EventRegistration) -> None:
    row["participants"] += 1
    row["checked_in"] += 1 if reg.checked_in_at else 0


def _add_meeting(row: dict[str, float], meeting: EventMeeting) -> None:
    row["meetings_scheduled"] += 1
    row["meetings_held"] += 1 if meeting.outcome in HELD else 0
    row["no_shows"] += 1 if meeting.outcome == "no_show" else 0
    row["intents"] += 1 if meeting.outcome in INTENT else 0
    row["agreements"] += 1 if meeting.outcome == "agreement" else 0
    row["amount"] += float(meeting.amount or Decimal(0))


def _tops(codes: list | None) -> list[str]:
    return sorted({t for t in (field_tree.top(c) for c in codes or []) if t}) or ["unclassified"]


def _tidy(row: dict[str, float]) -> dict[str, float | int]:
    return {k: (round(v, 2) if k == "amount" else int(v)) for k, v in row.items()}


def build(event: Event) -> dict[str, Any]:
    """The report as plain data (JSON-ready)."""
    regs = db.session.scalars(select(EventRegistration).filter_by(event_id=event.id, status="approved"))
    meetings = db.session.scalars(select(EventMeeting).filter_by(event_id=event.id, status="scheduled"))
    total = _blank()
    by_county: dict[str, dict[str, float]] = defaultdict(_blank)
    by_field: dict[str, dict[str, float]] = defaultdict(_blank)
    for reg in regs.unique():
        for row in (total, by_county[reg.org_region], *(by_field[t] for t in _tops(reg.fields))):
            _add_participant(row, reg)
    rows = list(meetings.unique())
    for meeting in rows:
        county = meeting.need_reg.org_region
        for row in (total, by_county[county], *(by_field[t] for t in _tops(meeting.fields))):
            _add_meeting(row, meeting)
    return {
        "event_id": event.id,
        "title": event.title,
        "type_label": EVENT_TYPES[event.type],
        "date": event.starts_on.isoformat(),
        "region_name": regions.full_name(event.region),
        "totals": _tidy(total),
        "by_county": [{"key": k, "name": regions.name(k), **_tidy(v)} for k, v in sorted(by_county.items())],
        "by_field": [
            {"key": k, "name": field_tree.name(k) or "未分类", **_tidy(v)}
            for k, v in sorted(by_field.items())
        ],
        "meetings": [_detail(m) for m in rows],
    }


def _detail(meeting: EventMeeting) -> dict[str, Any]:
    return {
        "slot": meeting.slot,
        "table": meeting.table_no,
        "need_org": meeting.need_reg.org.name,
        "output_org": meeting.output_reg.org.name,
        "score": round(meeting.score, 4),
        "outcome": OUTCOMES.get(meeting.outcome or "", "未登记"),
        "amount": float(meeting.amount) if meeting.amount is not None else None,
    }


def sheets(report: dict[str, Any]) -> list[Sheet]:
    """The report as four worksheets: overview, by county, by field, meeting list."""
    overview: list[list[Any]] = [["活动名称", report["title"]], ["活动类型", report["type_label"]]]
    overview += [["日期", report["date"]], ["举办地", report["region_name"]]]
    overview += [[label, report["totals"][key]] for key, label in FIGURES.items()]
    table_head = list(FIGURES.values())

    def grouped(title: str, first: str, rows: list[dict[str, Any]]) -> Sheet:
        data = [[row["name"], *(row[key] for key in FIGURES)] for row in rows]
        return Sheet(title, [first, *table_head], data, widths=(18, *([14] * len(FIGURES))))

    details = [
        [m["slot"], m["table"], m["need_org"], m["output_org"], m["score"], m["outcome"], m["amount"]]
        for m in report["meetings"]
    ]
    return [
        Sheet("活动概况", ["项目", "内容"], overview, widths=(20, 40)),
        grouped("分地区统计", "县（市、区）", report["by_county"]),
        grouped("分领域统计", "产业领域", report["by_field"]),
        Sheet(
            "洽谈明细",
            ["时段", "桌号", "需求方", "成果方", "匹配度", "洽谈结果", "协议金额（万元）"],
            details,
            widths=(8, 8, 30, 30, 10, 14, 16),
        ),
    ]


def report_for(event_id: int, *, actor: Any) -> dict[str, Any]:
    """The report of an event, for whoever manages it (403 staff out of scope, 404 others)."""
    from matchmaker.services.events.lifecycle import managed_event

    return build(managed_event(event_id, actor=actor))
