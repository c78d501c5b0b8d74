"""Researchers who could serve an enterprise as 科技副总, ranked by the matching engine (read-only).

A talent need (or a direct request, ranked as an unsaved talent need of the enterprise) goes through
the one ranking path (``queries.catalogue.rank_for``) over the published outputs; each output counts
for the researcher who owns it, when that researcher is an active member of a university or
institute. A researcher ranks by their best output; the explanation names it, the engine's reasons,
how many of their outputs match, and their expert profile where they have one. Researchers already
in an open placement with the enterprise are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import ExpertProfile, Organization, Placement, ResearchOutput, TechnologyNeed, User
from matchmaker.models.placements import OPEN_STATUSES
from matchmaker.queries.catalogue import rank_for

OUTPUT_POOL = 60  # outputs ranked before grouping them by researcher
RESEARCH_UNITS = ("university", "institute")


@dataclass
class Candidate:
    """One researcher ranked for a placement, with the outputs that put them there."""

    researcher: User
    score: float
    explanation: str
    breakdown: dict[str, float]
    outputs: list[dict[str, Any]] = field(default_factory=list)
    profile: dict[str, Any] | None = None


def direct_request(org: Organization, data: dict[str, Any]) -> TechnologyNeed:
    """An unsaved talent need of the enterprise, to rank a direct request like a posted one."""
    need = TechnologyNeed(
        id=None, org_id=org.id, region=org.region, title=data["title"], summary=data.get("summary") or "",
        fields=list(data.get("fields") or org.fields or []), keywords=list(data.get("keywords") or []),
        modes=["talent"], need_type="talent", status="draft", version=1,
    )  # fmt: skip
    need.org = org
    return need


def _placed(org_id: int) -> set[int]:
    stmt = select(Placement.researcher_id).where(
        Placement.org_id == org_id, Placement.status.in_(OPEN_STATUSES)
    )
    return set(db.session.scalars(stmt))


def _profile(user_id: int) -> dict[str, Any] | None:
    profile = db.session.get(ExpertProfile, user_id)
    if profile is None:
        return None
    return {"title": profile.title, "specialties": profile.specialties, "fields": list(profile.fields or [])}


def _explain(best: ResearchOutput, reason: str, count: int, profile: dict[str, Any] | None) -> str:
    parts = [f"代表成果《{best.title}》：{reason}"]
    if count > 1:
        parts.append(f"共有 {count} 项成果与需求相关")
    if profile and profile.get("specialties"):
        parts.append(f"专长：{profile['specialties']}")
    return "；".join(parts)


def rank_researchers(need: TechnologyNeed, *, top: int = 10) -> list[Candidate]:
    """Researchers best suited to the talent need, best first, with the engine's reasons."""
    scored = rank_for(need, top=OUTPUT_POOL)
    ids = [int(s.object_id) for s in scored]  # type: ignore[call-overload]
    outputs = {o.id: o for o in db.session.scalars(select(ResearchOutput).where(ResearchOutput.id.in_(ids)))}
    owners = {o.owner_id for o in outputs.values() if o.owner_id is not None}
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(owners))).unique()}
    skip = _placed(need.org_id)
    grouped: dict[int, list[tuple[ResearchOutput, Any]]] = {}
    for s in scored:
        output = outputs.get(int(s.object_id))  # type: ignore[call-overload]
        user = users.get(output.owner_id) if output is not None and output.owner_id else None
        if output is None or user is None or user.id in skip or not _eligible(user):
            continue
        grouped.setdefault(user.id, []).append((output, s))
    found = []
    for user_id, hits in grouped.items():
        best, s = hits[0]
        profile = _profile(user_id)
        shown = [{"id": o.id, "title": o.title, "score": round(x.probability, 4)} for o, x in hits[:3]]
        found.append(
            Candidate(
                researcher=users[user_id], score=s.probability, breakdown=dict(s.breakdown),
                explanation=_explain(best, s.explanation, len(hits), profile), profile=profile,
                outputs=shown,
            )
        )  # fmt: skip
    found.sort(key=lambda c: -c.score)
    return found[:top]


def _eligible(user: User) -> bool:
    return bool(
        user.is_active and user.has_role("researcher") and user.org and user.org.kind in RESEARCH_UNITS
    )
