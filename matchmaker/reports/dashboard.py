"""The staff dashboard (工作台): totals, monthly series, breakdowns and the match funnel, region-scoped.

A county officer sees their county, a city officer the city's counties, an admin everything; an
optional `region` narrows within that scope and anything outside it is refused (403).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Challenge, Match, ResearchOutput, TechnologyNeed
from matchmaker.models.common import CHINA
from matchmaker.models.contracts.register import CONTRACT_TYPES
from matchmaker.queries.scope import region_clause
from matchmaker.reports.metrics import METRICS, Metric, Window
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions

MAX_MONTHS = 60
FUNNEL = (
    ("proposed", "推荐匹配"),
    ("viewed", "已查看"),
    ("interested", "表达意向"),
    ("connected", "成功对接"),
    ("negotiating", "洽谈中"),
    ("agreement", "签订合作协议"),
    ("contract", "登记技术合同"),
)


def resolve_scope(
    actor: Actor, region: str | None, *, denied: str = "只有科技局工作人员可以查看统计"
) -> str | None:
    """The region the caller's figures cover; staff only (and admins), never beyond their scope."""
    if policy.is_admin(actor):
        return region
    if not actor.has_role("staff") or actor.user is None or not actor.user.region_scope:
        raise Forbidden(denied)
    if region is None:
        return actor.user.region_scope
    if not policy.staff_covers(actor, region):
        raise Forbidden("所选地区超出您的辖区")
    return region


def _number(value: Any) -> float | int:
    if isinstance(value, Decimal):
        return float(value)
    return value or 0


def aggregate(metric: Metric, window: Window) -> float | int:
    """One metric's total in the window: a count, or the sum of its amount."""
    value = func.coalesce(func.sum(metric.amount), 0) if metric.amount is not None else func.count()
    return _number(db.session.scalar(metric.select_rows(window, value)))


def _review_queue(window: Window) -> dict[str, Any]:
    """Listings and challenges waiting for review now, and how long they have waited (in days)."""
    stamps: list[datetime] = []
    counts = {}
    for kind, model in (("needs", TechnologyNeed), ("outputs", ResearchOutput), ("challenges", Challenge)):
        stmt = select(model.submitted_at).where(model.status == "submitted")
        if window.region:
            stmt = stmt.where(region_clause(model.region, window.region))
        found = [s for s in db.session.scalars(stmt) if s is not None]
        counts[kind] = len(found)
        stamps += found
    now = datetime.now(UTC)
    waits = [(now - (s if s.tzinfo else s.replace(tzinfo=UTC))).total_seconds() / 86400 for s in stamps]
    return {
        "count": sum(counts.values()),
        **counts,
        "oldest_wait_days": round(max(waits), 1) if waits else None,
        "average_wait_days": round(sum(waits) / len(waits), 1) if waits else None,
    }


def summary(window: Window) -> dict[str, Any]:
    """Every headline figure for the window, plus the review queue as it stands now."""
    data: dict[str, Any] = {key: aggregate(metric, window) for key, metric in METRICS.items()}
    data["contract_platform_share"] = _rate_of(data["contract_amount_platform"], data["contract_amount"])
    data["voucher_city_share"] = _city_share(window, data["voucher_amount_redeemed"])
    data["pending_review"] = _review_queue(window)
    data["region"] = window.region
    data["region_name"] = regions.full_name(window.region) if window.region else "全部地区"
    return data


def _local_month(stamp: datetime) -> str:
    aware = stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return aware.astimezone(CHINA).strftime("%Y-%m")


def month_range(start: date, end: date) -> list[str]:
    """Every month from start to end inclusive, as YYYY-MM."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if len(months) > MAX_MONTHS:
        raise ValidationFailed(errors={"from": [f"时间跨度不能超过 {MAX_MONTHS} 个月"]})
    return months


def default_period(window: Window) -> Window:
    """The window with missing dates filled: the last twelve months up to today (China time)."""
    today = datetime.now(CHINA).date()
    end = window.end or today
    start = window.start or date(end.year - 1, end.month, 1)
    if start > end:
        raise ValidationFailed(errors={"from": ["开始日期不能晚于结束日期"]})
    return Window(window.region, start, end)


def timeseries(metric_key: str, window: Window) -> dict[str, Any]:
    """The metric per calendar month (China time), every month present even when zero."""
    window = default_period(window)
    assert window.start is not None and window.end is not None
    metric = METRICS[metric_key]
    months = dict.fromkeys(month_range(window.start, window.end), 0.0 if metric.amount is not None else 0)
    value_col = metric.amount if metric.amount is not None else metric.stamp
    for stamp, value in db.session.execute(metric.select_rows(window, metric.stamp, value_col)):
        key = _local_month(stamp)
        if key in months:
            months[key] += _number(value) if metric.amount is not None else 1
    points = [{"period": k, "value": _tidy(v)} for k, v in months.items()]
    return {"metric": metric_key, "label": metric.label, "period": "month", "points": points}


def _group_keys(by: str, region: str, fields: Any) -> list[str]:
    """Which county, contract type or top-level fields a row counts under."""
    if by == "county":
        return [region]
    if by == "type":
        return [fields]
    tops = [field_tree.top(code) for code in fields or []]
    return sorted({t for t in tops if t}) or ["unclassified"]


def breakdown(by: str, window: Window) -> dict[str, Any]:
    """Every metric per county, contract type, or top-level field (a listing counts under each field)."""
    table: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for key, metric in METRICS.items():
        if by == "type" and metric.kind is None:
            continue
        value_col = metric.amount if metric.amount is not None else metric.stamp
        group_col = metric.kind if by == "type" else metric.fields_column()
        stmt = metric.select_rows(window, metric.region, group_col, value_col)
        for region, fields, value in db.session.execute(stmt):
            for group in _group_keys(by, region, fields):
                table[group][key] += _number(value) if metric.amount is not None else 1
    if by == "type":
        for code in CONTRACT_TYPES:
            table.setdefault(code, defaultdict(float))
    if by == "county" and window.region:
        for code in [window.region, *regions.descendants(window.region)]:
            if regions.level(code) == "county":
                table.setdefault(code, defaultdict(float))
    rows = [
        {"key": key, "name": _group_name(by, key), **{m: _tidy(table[key].get(m, 0)) for m in METRICS}}
        for key in sorted(table)
    ]
    return {"by": by, "rows": rows}


def _tidy(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _group_name(by: str, key: str) -> str:
    if key == "unclassified":
        return "未分类"
    if by == "type":
        return CONTRACT_TYPES.get(key, key)
    return regions.name(key) if by == "county" else field_tree.name(key)


def _stage(match: Any) -> int:
    """How far along the funnel one match got (index into FUNNEL)."""
    reached = (
        True,
        bool(match.need_viewed_at or match.output_viewed_at),
        bool(match.need_interested_at or match.output_interested_at),
        bool(match.connected_at),
        bool(match.negotiating_at),
        bool(match.agreement_at),
        bool(match.contract_at),
    )
    return max(i for i, hit in enumerate(reached) if hit)


def funnel(window: Window) -> dict[str, Any]:
    """Matches proposed in the window and how many reached each later step, with conversion rates."""
    metric = METRICS["matches"]
    stamps = (
        Match.need_viewed_at,
        Match.output_viewed_at,
        Match.need_interested_at,
        Match.output_interested_at,
        Match.connected_at,
        Match.negotiating_at,
        Match.agreement_at,
        Match.contract_at,
    )
    rows = db.session.execute(metric.select_rows(window, *stamps))
    levels = Counter(_stage(row) for row in rows)
    counts = [sum(n for level, n in levels.items() if level >= i) for i in range(len(FUNNEL))]
    stages = []
    for i, (key, label) in enumerate(FUNNEL):
        previous = counts[i - 1] if i else None
        stages.append(
            {
                "stage": key,
                "label": label,
                "count": counts[i],
                "rate_from_previous": _rate(counts[i], previous) if i else None,
                "rate_from_start": _rate(counts[i], counts[0]),
            }
        )
    return {"stages": stages}


def _city_share(window: Window, redeemed: float) -> float | None:
    """The region's share of its city's redeemed 创新券 (兑现创新券在全市占比)."""
    city = regions.city_of(window.region) if window.region else None
    if city is None:
        return None
    whole = aggregate(METRICS["voucher_amount_redeemed"], Window(city, window.start, window.end))
    return _rate_of(redeemed, whole)


def _rate_of(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole else None


def _rate(part: int, whole: int | None) -> float | None:
    return round(part / whole, 4) if whole else None
