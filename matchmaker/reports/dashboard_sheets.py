"""The dashboard's tables as Excel sheets (Chinese headers), one workbook per table."""

from __future__ import annotations

from typing import Any

from matchmaker.reports.metrics import METRICS
from matchmaker.reports.spreadsheets import Sheet

PENDING_LABELS = {
    "count": "待审核信息（项）",
    "needs": "其中：待审核技术需求",
    "outputs": "其中：待审核科技成果",
    "oldest_wait_days": "最长等待（天）",
    "average_wait_days": "平均等待（天）",
}


def summary_sheet(data: dict[str, Any]) -> Sheet:
    """统计概览: one row per figure."""
    rows: list[list[Any]] = [["统计范围", data["region_name"]]]
    rows += [[metric.label, data[key]] for key, metric in METRICS.items()]
    share = data.get("contract_platform_share")
    rows.append(["平台促成成交额占比", _percent(share)])
    rows.append(["兑现创新券在全市占比", _percent(data.get("voucher_city_share"))])
    rows += [[label, data["pending_review"][key]] for key, label in PENDING_LABELS.items()]
    return Sheet("统计概览", ["指标", "数值"], rows, widths=(28, 18))


def timeseries_sheet(data: dict[str, Any]) -> Sheet:
    """月度趋势: one row per month."""
    rows = [[point["period"], point["value"]] for point in data["points"]]
    return Sheet("月度趋势", ["月份", data["label"]], rows, widths=(12, 24))


def breakdown_sheet(data: dict[str, Any]) -> Sheet:
    """分地区 / 分领域统计: one row per county or field, one column per metric."""
    first = {"county": "县（市、区）", "type": "合同类型"}.get(data["by"], "产业领域")
    headers = [first, *(metric.label for metric in METRICS.values())]
    rows = [[row["name"], *(row[key] for key in METRICS)] for row in data["rows"]]
    title = {"county": "分地区统计", "type": "分合同类型统计"}.get(data["by"], "分领域统计")
    return Sheet(title, headers, rows, widths=(18, *([16] * len(METRICS))))


def _percent(rate: float | None) -> str:
    return "" if rate is None else f"{rate * 100:.1f}%"


def funnel_sheet(data: dict[str, Any]) -> Sheet:
    """对接漏斗: one row per stage with its conversion rates."""
    rows = [
        [s["label"], s["count"], _percent(s["rate_from_previous"]), _percent(s["rate_from_start"])]
        for s in data["stages"]
    ]
    return Sheet(
        "对接漏斗", ["环节", "数量", "较上一环节转化率", "累计转化率"], rows, widths=(16, 10, 18, 14)
    )
