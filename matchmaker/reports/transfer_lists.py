"""技术转移清单: the bureau's five periodic lists, each a compilation printed as xlsx or docx.

企业技术需求清单 (published needs), 人才需求清单 (talent needs with what the firm asks for),
产学研合作清单 (reports/cooperation_list.py), 高校院所科技成果项目清单 (the region's 成果汇编, with
the outputs compiled for it whatever the university's region) and 产业(行业)共性关键技术需求清单
(needs staff marked for an industry chain, grouped by chain). Public fields only, as in the
catalogues: the lists are circulated to universities and firms; contacts go through matching.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import CommonTechMark, TechnologyNeed
from matchmaker.models.common import CHINA
from matchmaker.reports.compilation import (
    MAX_ITEMS,
    Catalogue,
    column_labels,
    compile_catalogue,
    group_listings,
    need_columns,
    output_columns,
    window_conditions,
)
from matchmaker.reports.metrics import Window
from matchmaker.taxonomy import regions, vocab

TITLES = {
    "needs": "企业技术需求清单",
    "talent-needs": "人才需求清单",
    "cooperation": "产学研合作清单",
    "outputs": "高校院所科技成果项目清单",
    "common-tech": "产业（行业）共性关键技术需求清单",
}
QUARTERS = "一二三四"
COMPARATORS = {">=": "≥", "<=": "≤", "=": "="}
PERIOD = re.compile(r"^(\d{4})(?:-?Q([1-4])|-(\d{2}))?$")


@dataclass(frozen=True)
class ListPeriod:
    """The inclusive local dates a list covers and how its title names them."""

    start: date | None
    end: date | None
    label: str


def parse_period(text: str) -> ListPeriod:
    """2026 (a year), 2026-Q4 (a quarter) or 2026-10 (a month); ValueError for anything else."""
    found = PERIOD.match(text.strip())
    if not found or not 2000 <= int(found[1]) <= 2100:
        raise ValueError("period 应为年份（2026）、季度（2026-Q4）或月份（2026-10）")
    year = int(found[1])
    if found[2]:
        quarter = int(found[2])
        start = date(year, 3 * quarter - 2, 1)
        return ListPeriod(start, _month_end(year, 3 * quarter), f"{year}年第{QUARTERS[quarter - 1]}季度")
    if found[3]:
        month = int(found[3])
        if not 1 <= month <= 12:
            raise ValueError("月份应为 01—12")
        return ListPeriod(date(year, month, 1), _month_end(year, month), f"{year}年{month}月")
    return ListPeriod(date(year, 1, 1), date(year, 12, 31), f"{year}年")


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def dates_period(start: date | None, end: date | None) -> ListPeriod:
    """A period given by dates: 2026年10月1日至2026年12月31日, or 截至 today when open-ended."""
    if start and end:
        label = f"{_cn_date(start)}至{_cn_date(end)}"
    elif start:
        label = f"{_cn_date(start)}起"
    else:
        label = f"截至{_cn_date(end or datetime.now(CHINA).date())}"
    return ListPeriod(start, end, label)


def place_name(code: str | None) -> str:
    """金湖县 for a county, 淮安市 for a city, 江苏省 for a province, 全平台 for none."""
    return regions.name(code) if code else "全平台"


def list_title(kind: str, region: str | None, period: ListPeriod) -> str:
    """「金湖县企业技术需求清单（2026年第四季度）」."""
    return f"{place_name(region)}{TITLES[kind]}（{period.label}）"


def local_date(stamp: datetime | None) -> str:
    """The China-local calendar day of a UTC instant."""
    return stamp.astimezone(CHINA).date().isoformat() if stamp else ""


def indicators_text(need: Any) -> str:
    """Technical indicators as one line: 温漂 ≤ 0.01 %FS/℃；量程 ≥ 60 MPa."""
    return "；".join(
        f"{i.name} {COMPARATORS.get(i.comparator, i.comparator)} {float(i.target):g} {i.unit}".strip()
        for i in need.indicators or []
    )


def need_list_columns(need: Any) -> list[tuple[str, Any]]:
    """The catalogue's public columns of a need with its technical indicators after the summary."""
    columns = need_columns(need)
    at = [label for label, _ in columns].index("需求概述") + 1
    return [*columns[:at], ("技术指标", indicators_text(need)), *columns[at:]]


def talent_columns(need: Any) -> list[tuple[str, Any]]:
    """A talent need (人才需求) and what the firm asks for: the role, abilities, form and pay."""
    columns = dict(need_columns(need))
    return [
        ("需求名称", need.title),
        ("企业名称", columns["单位"]),
        ("所在地区", columns["所在地区"]),
        ("产业领域", columns["产业领域"]),
        ("人才需求内容", need.summary),
        ("能力要求（技术指标）", indicators_text(need)),
        ("引才方式", "、".join(vocab.labels(vocab.COOP_MODES, need.modes or [])) or "面议"),
        ("薪酬或经费（万元）", columns["预算（万元）"]),
        ("截止日期", columns["截止日期"]),
        ("发布日期", columns["发布日期"]),
    ]


def _needs(window: Window, *where: Any) -> list[TechnologyNeed]:
    stmt = (
        select(TechnologyNeed)
        .where(*window_conditions(TechnologyNeed, window), *where)
        .order_by(TechnologyNeed.published_at, TechnologyNeed.id)
        .limit(MAX_ITEMS)
    )
    return list(db.session.scalars(stmt).unique())


def _finish(catalogue: Catalogue, kind: str, columns: Any, empty: str) -> Catalogue:
    return dataclasses.replace(
        catalogue, kind=kind, sheet=TITLES[kind], headers=column_labels(columns), empty=empty
    )


def need_list(window: Window, period: ListPeriod) -> Catalogue:
    """企业技术需求清单: the needs published in the region and period, by industry field."""
    title = list_title("needs", window.region, period)
    catalogue = group_listings("need", title, _needs(window), columns=need_list_columns)
    return _finish(catalogue, "needs", need_list_columns, "本期暂无已发布的企业技术需求。")


def talent_list(window: Window, period: ListPeriod) -> Catalogue:
    """人才需求清单: published needs of type 人才需求, with what the firm asks for."""
    needs = _needs(window, TechnologyNeed.need_type == "talent")
    title = list_title("talent-needs", window.region, period)
    catalogue = group_listings("need", title, needs, columns=talent_columns)
    return _finish(catalogue, "talent-needs", talent_columns, "本期暂无已发布的人才需求。")


def output_list(window: Window, period: ListPeriod) -> Catalogue:
    """高校院所科技成果项目清单: the region's 成果汇编, compiled outputs included wherever they are from."""
    catalogue = compile_catalogue("output", window)
    catalogue.title = list_title("outputs", window.region, period)
    return _finish(catalogue, "outputs", output_columns, "本期暂无科技成果。")


def common_tech_columns(mark: Any) -> list[tuple[str, Any]]:
    """A marked need's public columns, with why it is a common key technology and since when."""
    need = mark.need if mark.need is not None else mark
    return [
        *need_list_columns(need),
        ("共性技术说明", mark.note or ""),
        ("认定日期", local_date(mark.marked_at)),
    ]


def common_tech_list(window: Window, period: ListPeriod) -> Catalogue:
    """产业(行业)共性关键技术需求清单: marked published needs, grouped by industry chain."""
    stmt = (
        select(CommonTechMark)
        .join(TechnologyNeed, TechnologyNeed.id == CommonTechMark.need_id)
        .where(
            TechnologyNeed.status == "published",
            *window.conditions(CommonTechMark.marked_at, TechnologyNeed.region),
        )
        .order_by(CommonTechMark.chain, CommonTechMark.marked_at, CommonTechMark.id)
        .limit(MAX_ITEMS)
    )
    chains: dict[str, list[list[tuple[str, Any]]]] = {}
    for mark in db.session.scalars(stmt).unique():
        chains.setdefault(mark.chain, []).append(common_tech_columns(mark))
    count = sum(len(items) for items in chains.values())
    return Catalogue(
        kind="common-tech",
        title=list_title("common-tech", window.region, period),
        subtitle=f"共 {len(chains)} 条产业链、{count} 项需求 · 编制日期 {date.today().isoformat()}",
        groups=[(f"{chain}产业链", items) for chain, items in chains.items()],
        sheet=TITLES["common-tech"],
        group_label="所属产业链",
        headers=column_labels(common_tech_columns),
        empty="本期暂无认定的共性关键技术需求。",
    )
