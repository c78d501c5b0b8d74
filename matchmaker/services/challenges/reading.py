"""Reading challenges (揭榜挂帅榜单): the scoped, filtered list and the per-viewer presentation.

The public sees every list from publication on; the posting unit and staff in scope also see
drafts and the review queue. Contacts are masked unless the viewer belongs to the posting unit, is
staff in scope or an admin (the listings' contact policy); the reason a list was sent back and who
reviewed it are shown only to the same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import String, cast, false, func, or_, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import Challenge
from matchmaker.models.challenges.lists import CHALLENGE_MODES, CHALLENGE_PUBLIC_STATUSES, IP_OWNERSHIP
from matchmaker.services.challenges.lists import now
from matchmaker.services.listings.catalogue import (
    json_list_contains,
    mask_contacts,
    region_clause,
    visibility_clause,
)
from matchmaker.taxonomy import regions

PRIVATE_FIELDS = ("reject_reason", "reviewed_by", "owner_id")


@dataclass
class ChallengeFilter:
    """Query parameters for listing challenges."""

    status: str | None = None
    field: str | None = None
    region: str | None = None
    mode: str | None = None
    q: str | None = None
    mine: bool = False
    sort: str = "newest"
    page: int = 1
    per_page: int = 20


def window_open(challenge: Challenge) -> bool:
    """True while applications are accepted (published, and now inside the window)."""
    if challenge.status != "published" or challenge.apply_closes_at is None:
        return False
    moment = now()
    opens = challenge.apply_opens_at
    return (opens is None or opens <= moment) and moment < challenge.apply_closes_at


def _conditions(f: ChallengeFilter, actor: Actor) -> list[Any]:
    conds = [visibility_clause(Challenge, actor, CHALLENGE_PUBLIC_STATUSES)]
    if f.mine:
        mine = [Challenge.org_id == actor.org_id] if actor.org_id else []
        if actor.has_role("staff") and actor.user and actor.user.region_scope:
            mine.append(region_clause(Challenge.region, actor.user.region_scope))
        conds.append(or_(*mine) if mine else false())
    if f.status:
        conds.append(Challenge.status == f.status)
    if f.field:
        conds.append(json_list_contains(Challenge.fields, f.field, prefix=True))
    if f.region:
        conds.append(region_clause(Challenge.region, f.region))
    if f.mode:
        conds.append(Challenge.mode == f.mode)
    if f.q and f.q.strip():
        like = f"%{f.q.strip()}%"
        text = (
            Challenge.title,
            Challenge.problem,
            Challenge.industry_chain,
            cast(Challenge.keywords, String),
        )
        conds.append(or_(*(column.like(like) for column in text)))
    return conds


def _order(sort: str) -> list[Any]:
    if sort == "deadline":
        return [Challenge.apply_closes_at.is_(None), Challenge.apply_closes_at.asc(), Challenge.id.desc()]
    if sort == "bounty":
        total = func.coalesce(Challenge.bounty_enterprise, 0) + func.coalesce(Challenge.bounty_subsidy, 0)
        return [total.desc(), Challenge.id.desc()]
    return [func.coalesce(Challenge.published_at, Challenge.created_at).desc(), Challenge.id.desc()]


def list_challenges(*, actor: Actor, filters: ChallengeFilter) -> tuple[list[Challenge], int]:
    """One page of challenges the actor may see, and the total count."""
    conds = _conditions(filters, actor)
    total = db.session.scalar(select(func.count()).select_from(Challenge).where(*conds)) or 0
    stmt = (
        select(Challenge)
        .where(*conds)
        .order_by(*_order(filters.sort))
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(db.session.scalars(stmt).unique()), total


def present_challenge(challenge: Challenge, *, actor: Actor) -> dict[str, Any]:
    """The challenge as this viewer may see it: contacts masked and review notes hidden per the policy."""
    data = {column.key: getattr(challenge, column.key) for column in Challenge.__table__.columns}
    data["kind"] = Challenge.KIND
    data["org_name"] = challenge.org.name if challenge.org is not None else None
    data["region_name"] = regions.full_name(challenge.region) if challenge.region else None
    data["indicators"] = [
        {"id": i.id, "name": i.name, "comparator": i.comparator, "target": float(i.target), "unit": i.unit}
        for i in challenge.indicators
    ]
    data["bounty_total"] = challenge.bounty_total
    data["mode_label"] = CHALLENGE_MODES.get(challenge.mode, challenge.mode)
    data["ip_ownership_label"] = IP_OWNERSHIP.get(challenge.ip_ownership or "")
    data["window_open"] = window_open(challenge)
    insider = policy.can_manage_challenge(actor, challenge)
    if not insider:
        for key in PRIVATE_FIELDS:
            data.pop(key, None)
        mask_contacts(data)
    data["contact_visible"] = insider
    return data
