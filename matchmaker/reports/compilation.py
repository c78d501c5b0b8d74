"""需求信息汇编 / 成果汇编: the printed catalogue of published listings for a region and period.

Public data only: the title, organisation, region, fields, public summary or abstract, keywords,
cooperation modes, budget or price, maturity, dates. A region's 成果汇编 also holds the outputs
staff compiled for it (成果推送), whatever the university's region. Never contacts, the
confidential detail, reviewer notes or anything not yet published. Anyone may download it, like
the web catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, or_, select

from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, CompilationItem, OutputCompilation, ResearchOutput
from matchmaker.models.common import CHINA
from matchmaker.reports.metrics import Window
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions, vocab

MAX_ITEMS = 5000
KIND_TITLE = {"need": "技术需求信息汇编", "output": "科技成果汇编"}
UNCLASSIFIED = "其他领域"


def _money(low: Any, high: Any = None) -> str:
    values = [f"{float(v):g}" for v in (low, high) if v is not None]
    if not values:
        return "面议"
    return values[0] if len(set(values)) == 1 else "～".join(values)


def _local_date(stamp: datetime | None) -> str:
    return stamp.astimezone(CHINA).date().isoformat() if stamp else ""


def _ip_summary(items: list[dict[str, Any]] | None) -> str:
    counts: dict[str, int] = {}
    for item in items or []:
        label = vocab.label(vocab.IP_TYPES, item.get("type"))
        counts[label] = counts.get(label, 0) + 1
    return "、".join(f"{label} {n} 项" for label, n in counts.items())


def _common(x: Any) -> list[tuple[str, Any]]:
    return [
        ("单位", x.org.name if x.org else ""),
        ("所在地区", regions.full_name(x.region)),
        ("产业领域", "、".join(field_tree.full_name(c) for c in x.fields or [])),
        ("关键词", "、".join(x.keywords or [])),
        ("合作方式", "、".join(vocab.labels(vocab.COOP_MODES, x.modes or []))),
    ]


def need_columns(x: Any) -> list[tuple[str, Any]]:
    """Public columns of a need (技术需求), in catalogue order."""
    return [
        ("需求名称", x.title),
        *_common(x),
        ("需求类型", vocab.label(vocab.NEED_TYPES, x.need_type)),
        ("需求概述", x.summary),
        ("预算（万元）", _money(x.budget_min, x.budget_max)),
        ("期望成熟度", vocab.label(vocab.MATURITY_STAGES, x.wanted_maturity) if x.wanted_maturity else ""),
        ("截止日期", x.deadline.isoformat() if x.deadline else "长期有效"),
        ("发布日期", _local_date(x.published_at)),
    ]


def output_columns(x: Any) -> list[tuple[str, Any]]:
    """Public columns of an output (科技成果), in catalogue order."""
    return [
        ("成果名称", x.title),
        *_common(x),
        ("成熟度", vocab.label(vocab.MATURITY_STAGES, x.maturity)),
        ("技术就绪度（TRL）", x.trl or ""),
        ("成果简介", x.abstract),
        ("知识产权", _ip_summary(x.ip)),
        ("转让价格（万元）", _money(x.price) if x.price is not None else "面议"),
        ("发布日期", _local_date(x.published_at)),
    ]


COLUMNS: dict[str, Callable[[Any], list[tuple[str, Any]]]] = {"need": need_columns, "output": output_columns}


def column_labels(columns: Callable[[Any], list[tuple[str, Any]]]) -> list[str]:
    """The column labels without a listing: the column builder called on a blank stand-in."""

    class Blank:
        """Every attribute empty."""

        def __getattr__(self, _name: str) -> None:
            return None

    return [label for label, _ in columns(Blank())]


@dataclass
class Catalogue:
    """A compiled catalogue: title lines and listings grouped by top-level industry field."""

    kind: str
    title: str
    subtitle: str
    groups: list[tuple[str, list[list[tuple[str, Any]]]]] = field(default_factory=list)
    # how the other compilations (技术转移清单) name their sheet, groups and columns
    sheet: str = ""
    group_label: str = "领域分类"
    headers: list[str] = field(default_factory=list)
    empty: str = "本期暂无已发布的信息。"

    @property
    def count(self) -> int:
        """How many listings the catalogue holds."""
        return sum(len(items) for _, items in self.groups)


def region_title(code: str | None) -> str:
    """淮安市金湖县 for a county, 淮安市 for a city, 江苏省 for a province, 全平台 for none."""
    if not code:
        return "全平台"
    chain = regions.path(code)
    names = [regions.name(c) for c in (chain[1:] if len(chain) > 1 else chain)]
    return "".join(names)


def period_title(window: Window) -> str:
    """2026年, or 2025—2026年 when the period spans years."""
    first = (window.start or window.end or datetime.now(CHINA).date()).year
    last = (window.end or datetime.now(CHINA).date()).year
    return f"{first}年" if first == last else f"{first}—{last}年"


def compile_catalogue(kind: str, window: Window) -> Catalogue:
    """Published listings of the kind in the region and period, grouped by their primary field."""
    model = LISTING_MODELS[kind]
    where = and_(*window_conditions(model, window))
    if kind == "output" and window.region:
        where = or_(where, model.id.in_(compiled_for(window)))
    stmt = select(model).where(where).order_by(model.published_at, model.id)
    listings = list(db.session.scalars(stmt.limit(MAX_ITEMS)).unique())
    title = f"{region_title(window.region)} {period_title(window)} {KIND_TITLE[kind]}"
    return group_listings(kind, title, listings)


def group_listings(
    kind: str, title: str, listings: list[Any], columns: Callable[[Any], list[tuple[str, Any]]] | None = None
) -> Catalogue:
    """A catalogue of the given listings under the title, grouped by their primary field."""
    grouped: dict[str, list[Any]] = {}
    for listing in listings:
        top = field_tree.top((listing.fields or [None])[0]) or ""
        grouped.setdefault(top, []).append(listing)
    order = {code: i for i, code in enumerate(field_tree.roots())}
    catalogue = Catalogue(
        kind=kind,
        title=title,
        subtitle=f"共收录 {len(listings)} 项 · 编制日期 {date.today().isoformat()}",
    )
    for top in sorted(grouped, key=lambda code: order.get(code, len(order))):
        name = field_tree.name(top) or UNCLASSIFIED
        catalogue.groups.append((name, [(columns or COLUMNS[kind])(x) for x in grouped[top]]))
    return catalogue


def compiled_for(window: Window) -> Any:
    """Ids of published outputs staff compiled for the region (成果推送) in the period, from anywhere."""
    conds = window.conditions(OutputCompilation.created_at, OutputCompilation.region)
    return (
        select(CompilationItem.output_id)
        .join(OutputCompilation, OutputCompilation.id == CompilationItem.compilation_id)
        .join(ResearchOutput, ResearchOutput.id == CompilationItem.output_id)
        .where(*conds, ResearchOutput.status == "published")
    )


def window_conditions(model: Any, window: Window) -> list[Any]:
    """Published now, published within the period, inside the region."""
    return [model.status == "published", *window.conditions(model.published_at, model.region)]
