"""产学研合作清单: the region's cooperation projects, one row each, grouped by county.

A project filed for 产学研合作项目备案 (submitted, returned or approved) is listed from its filing,
dated when it was submitted; a match connected on the platform (对接成功 up to a registered
contract) without such a filing is listed from the match, dated when it was connected. A filing
started from a match replaces that match, so no project is listed twice.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import CooperationFiling, Match, Organization
from matchmaker.models.contracts.filings import FILING_CATEGORIES
from matchmaker.reports.compilation import MAX_ITEMS, Catalogue, column_labels
from matchmaker.reports.metrics import Window
from matchmaker.reports.transfer_lists import TITLES, ListPeriod, list_title, local_date
from matchmaker.taxonomy import regions

FILED = {"submitted": "备案审核中", "returned": "退回修改", "approved": "已备案"}
CONNECTED = {
    "connected": "已对接",
    "negotiating": "洽谈中",
    "agreement_signed": "已签订合作协议",
    "contract_registered": "已登记技术合同",
}


def _amount(value: Any) -> Any:
    return float(value) if value is not None else "—"


def _term(start: date | None, end: date | None) -> str:
    return f"{start.isoformat()}至{end.isoformat()}" if start and end else ""


def filing_columns(filing: Any) -> list[tuple[str, Any]]:
    """A filed project: parties, content, amount, term, category and where its filing stands."""
    return [
        ("项目名称", filing.title),
        ("企业名称", filing.org.name if filing.org else ""),
        ("所在地区", regions.full_name(filing.region)),
        ("合作高校院所", filing.partner_name),
        ("合作内容", filing.content or ""),
        ("合作金额（万元）", _amount(filing.amount)),
        ("合作期限", _term(filing.starts_on, filing.ends_on)),
        ("项目类别", FILING_CATEGORIES.get(filing.category or "", "")),
        ("进展情况", FILED.get(filing.status or "", "")),
        ("备案编号", filing.filing_number or ""),
        ("信息来源", "产学研合作项目备案"),
        ("登记日期", local_date(filing.submitted_at)),
    ]


def match_columns(match: Match, partner: str) -> list[tuple[str, Any]]:
    """A connected match: the need, the output's unit and what the two sides have signed so far."""
    amount = match.contract_amount if match.contract_amount is not None else match.agreement_amount
    return [
        ("项目名称", match.need.title),
        ("企业名称", match.need.org.name),
        ("所在地区", regions.full_name(match.region)),
        ("合作高校院所", partner),
        ("合作内容", f"对接科技成果「{match.output.title}」"),
        ("合作金额（万元）", _amount(amount)),
        ("合作期限", ""),
        ("项目类别", "平台匹配对接"),
        ("进展情况", CONNECTED[match.status]),
        ("备案编号", "未备案"),
        ("信息来源", "平台对接记录"),
        ("登记日期", local_date(match.connected_at)),
    ]


def _filings(window: Window) -> list[CooperationFiling]:
    stmt = (
        select(CooperationFiling)
        .where(
            CooperationFiling.status.in_(FILED),
            *window.conditions(CooperationFiling.submitted_at, CooperationFiling.region),
        )
        .order_by(CooperationFiling.submitted_at, CooperationFiling.id)
        .limit(MAX_ITEMS)
    )
    return list(db.session.scalars(stmt).unique())


def _matches(window: Window) -> list[tuple[Match, str]]:
    filed = select(CooperationFiling.match_id).where(
        CooperationFiling.match_id.is_not(None), CooperationFiling.status.in_(FILED)
    )
    stmt = (
        select(Match, Organization.name)
        .join(Organization, Organization.id == Match.output_org_id)
        .where(
            Match.status.in_(CONNECTED),
            Match.id.not_in(filed),
            *window.conditions(Match.connected_at, Match.region),
        )
        .order_by(Match.connected_at, Match.id)
        .limit(MAX_ITEMS)
    )
    return [(match, name) for match, name in db.session.execute(stmt).unique()]


def cooperation_list(window: Window, period: ListPeriod) -> Catalogue:
    """产学研合作清单: filed projects and connected matches of the region and period, by county."""
    counties: dict[str, list[list[tuple[str, Any]]]] = {}
    for filing in _filings(window):
        counties.setdefault(filing.region, []).append(filing_columns(filing))
    for match, partner in _matches(window):
        counties.setdefault(match.region, []).append(match_columns(match, partner))
    count = sum(len(items) for items in counties.values())
    return Catalogue(
        kind="cooperation",
        title=list_title("cooperation", window.region, period),
        subtitle=f"共 {count} 个合作项目 · 编制日期 {date.today().isoformat()}",
        groups=[(regions.name(code), counties[code]) for code in sorted(counties)],
        sheet=TITLES["cooperation"],
        group_label="县（市、区）",
        headers=column_labels(filing_columns),
        empty="本期暂无产学研合作项目。",
    )
