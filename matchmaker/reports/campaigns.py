"""Progress of a need collection campaign (需求征集) and its 需求汇编.

Counted over the needs filed into the campaign: collected (every need, drafts included), submitted
(sent to review or beyond), published (in the public catalogue, now or before it closed or expired)
and matched (with at least one proposed match), against the target; by county and by industry.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import Campaign, CampaignInvitation, Match, TechnologyNeed
from matchmaker.models.listings import PUBLIC_STATUSES
from matchmaker.reports.compilation import Catalogue, group_listings
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions

STAGES = ("collected", "submitted", "published", "matched")


def _stages(need: TechnologyNeed, matched: set[int]) -> dict[str, int]:
    return {
        "collected": 1,
        "submitted": int(need.status != "draft"),
        "published": int(need.status in PUBLIC_STATUSES),
        "matched": int(need.id in matched),
    }


def _add(bucket: dict[str, Any], stages: dict[str, int]) -> None:
    for key, value in stages.items():
        bucket[key] = bucket.get(key, 0) + value


def _rows(groups: dict[str, dict[str, Any]], label: Any) -> list[dict[str, Any]]:
    return [{"code": code, "name": label(code), **counts} for code, counts in sorted(groups.items())]


def progress(campaign: Campaign) -> dict[str, Any]:
    """Totals against the target, and the same figures per county and per top-level industry field."""
    needs = list(db.session.scalars(select(TechnologyNeed).filter_by(campaign_id=campaign.id)).unique())
    ids = [n.id for n in needs]
    matched = (
        set(db.session.scalars(select(Match.need_id).where(Match.need_id.in_(ids)).distinct()))
        if ids
        else set()
    )
    totals: dict[str, Any] = dict.fromkeys(STAGES, 0)
    by_county: dict[str, dict[str, Any]] = {}
    by_industry: dict[str, dict[str, Any]] = {}
    for need in needs:
        stages = _stages(need, matched)
        _add(totals, stages)
        _add(by_county.setdefault(need.region, {}), stages)
        _add(by_industry.setdefault(field_tree.top((need.fields or [None])[0]) or "", {}), stages)
    invited = db.session.scalar(
        select(func.count()).select_from(CampaignInvitation).filter_by(campaign_id=campaign.id)
    )
    return {
        "campaign_id": campaign.id,
        "target_count": campaign.target_count,
        **totals,
        "completion": round(totals["submitted"] / campaign.target_count, 4)
        if campaign.target_count
        else None,
        "invited_orgs": invited or 0,
        "responding_orgs": len({n.org_id for n in needs}),
        "on_visit": sum(1 for n in needs if n.collected_by is not None),
        "by_county": _rows(by_county, regions.full_name),
        "by_industry": _rows(by_industry, lambda c: field_tree.name(c) or "其他领域"),
    }


def compilation(campaign: Campaign) -> Catalogue:
    """The campaign's 需求汇编: its published needs, grouped by industry field."""
    stmt = (
        select(TechnologyNeed)
        .where(TechnologyNeed.campaign_id == campaign.id, TechnologyNeed.status.in_(PUBLIC_STATUSES))
        .order_by(TechnologyNeed.published_at, TechnologyNeed.id)
    )
    needs = list(db.session.scalars(stmt).unique())
    return group_listings("need", f"{campaign.title} 技术需求汇编", needs)
