"""科技副总 placements as read: one placement for its readers, and the dashboard's figures."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import Placement
from matchmaker.models.common import CHINA
from matchmaker.models.placements import GRADES, PARTIES, PLACEMENT_STATUSES
from matchmaker.queries.placement_candidates import Candidate
from matchmaker.queries.scope import region_clause
from matchmaker.taxonomy import fields as field_tree
from matchmaker.taxonomy import regions

APPROVED = ("approved", "assessed")


def _party_name(placement: Placement, party: str) -> str:
    if party == "enterprise":
        return placement.org.name
    if party == "researcher":
        return placement.researcher.name
    return placement.unit.name


def present(placement: Placement, mine: list[str]) -> dict[str, Any]:
    """The placement with names, Chinese labels, each party's confirmation and the caller's parties."""
    return {
        **{c.name: getattr(placement, c.name) for c in Placement.__table__.columns},
        "pay": float(placement.pay),
        "org_name": placement.org.name,
        "region_name": regions.full_name(placement.region),
        "researcher_name": placement.researcher.name,
        "unit_name": placement.unit.name,
        "status_label": PLACEMENT_STATUSES[placement.status],
        "province_status": placement.province_status,
        "grade_label": GRADES.get(placement.grade or ""),
        "parties": [
            {
                "party": p,
                "label": label,
                "name": _party_name(placement, p),
                "confirmed_at": getattr(placement, f"{p}_confirmed_at"),
            }
            for p, label in PARTIES.items()
        ],
        "my_parties": mine,
        "reports": list(placement.reports),
    }


def present_candidate(candidate: Candidate) -> dict[str, Any]:
    """A ranked researcher as the API shows them."""
    user = candidate.researcher
    return {
        "researcher_id": user.id,
        "name": user.name,
        "unit_id": user.org_id,
        "unit_name": user.org.name if user.org else "",
        "title": (candidate.profile or {}).get("title") or user.title or "",
        "score": round(candidate.score, 4),
        "explanation": candidate.explanation,
        "breakdown": candidate.breakdown,
        "outputs": candidate.outputs,
    }


def _is_active(placement: Placement, today: date) -> bool:
    return placement.status == "approved" and placement.starts_on <= today <= placement.ends_on


def _field_name(code: str) -> str:
    return "未分类" if code == "unclassified" else field_tree.name(code)


def _group(rows: dict[str, dict[str, int]], name: Any) -> list[dict[str, Any]]:
    return [{"code": k, "name": name(k), **v} for k, v in sorted(rows.items())]


def dashboard(region: str | None, now: datetime | None = None) -> dict[str, Any]:
    """Placements in the region: active now, approved by the province, recommended; by county and field."""
    today = (now or datetime.now(CHINA)).astimezone(CHINA).date()
    stmt = select(Placement)
    if region:
        stmt = stmt.where(region_clause(Placement.region, region))
    counties: dict[str, dict[str, int]] = defaultdict(lambda: {"active": 0, "approved": 0, "recommended": 0})
    by_field: dict[str, dict[str, int]] = defaultdict(lambda: {"active": 0, "approved": 0, "recommended": 0})
    totals = {"active": 0, "approved": 0, "recommended": 0, "consenting": 0}
    for p in db.session.scalars(stmt).unique():
        marks = {
            "active": _is_active(p, today),
            "approved": p.status in APPROVED,
            "recommended": p.status == "recommended",
        }
        totals["consenting"] += p.status == "consenting"
        tops = sorted({t for t in (field_tree.top(c) for c in p.fields or []) if t}) or ["unclassified"]
        for key, hit in marks.items():
            totals[key] += hit
            counties[p.region][key] += hit
            for top in tops:
                by_field[top][key] += hit
    return {
        "region": region,
        **totals,
        "by_county": _group(counties, regions.name),
        "by_field": _group(by_field, _field_name),
    }
