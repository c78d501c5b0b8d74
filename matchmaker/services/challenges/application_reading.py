"""Reading applications (揭榜申请): who sees which, and how each viewer sees one.

The posting unit sees every submitted application to its challenge (never drafts or withdrawn
ones) with the principal investigator's phone and e-mail masked; the platform, not the poster,
contacts teams during review. Applicants (lead unit or platform consortium member) see only their
own; staff see their region's; admins everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import ApplicationMember, Challenge, ChallengeApplication
from matchmaker.queries.scope import region_clause
from matchmaker.services.challenges.lists import load_challenge
from matchmaker.services.challenges.reading import window_open
from matchmaker.taxonomy.validators import mask_email, mask_phone

HIDDEN_FROM_POSTER = ("draft", "withdrawn")


@dataclass
class ApplicationFilter:
    """Query parameters for listing applications."""

    mine: bool = False
    challenge_id: int | None = None
    status: str | None = None
    page: int = 1
    per_page: int = 20


def for_challenge(challenge_id: int, *, actor: Actor) -> list[ChallengeApplication]:
    """The applications to a challenge this actor may see (the poster all submitted, others their own)."""
    challenge = load_challenge(challenge_id, actor=actor)
    stmt = (
        select(ChallengeApplication)
        .where(ChallengeApplication.challenge_id == challenge.id)
        .order_by(ChallengeApplication.id)
    )
    return [a for a in db.session.scalars(stmt).unique() if policy.can_see_application(actor, a)]


def _scope(actor: Actor, mine: bool) -> Any:
    """SQL condition: applications the actor may list (``mine``: only its unit's own)."""
    if policy.is_admin(actor) and not mine:
        return ChallengeApplication.id.isnot(None)
    org = actor.org_id
    clauses: list[Any] = []
    if org is not None:
        as_member = select(ApplicationMember.application_id).where(ApplicationMember.org_id == org)
        clauses += [ChallengeApplication.lead_org_id == org, ChallengeApplication.id.in_(as_member)]
    if not mine:
        if org is not None:
            clauses.append((Challenge.org_id == org) & ChallengeApplication.status.notin_(HIDDEN_FROM_POSTER))
        if actor.has_role("staff") and actor.user is not None and actor.user.region_scope:
            clauses.append(region_clause(Challenge.region, actor.user.region_scope))
    return or_(*clauses) if clauses else ChallengeApplication.id.is_(None)


def list_applications(*, actor: Actor, filters: ApplicationFilter) -> tuple[list[ChallengeApplication], int]:
    """One page of the applications the actor may see, newest first, and the total."""
    conds = [_scope(actor, filters.mine)]
    if filters.challenge_id is not None:
        conds.append(ChallengeApplication.challenge_id == filters.challenge_id)
    if filters.status:
        conds.append(ChallengeApplication.status == filters.status)
    base = select(ChallengeApplication).join(Challenge, Challenge.id == ChallengeApplication.challenge_id)
    total = db.session.scalar(select(func.count()).select_from(base.where(*conds).subquery())) or 0
    stmt = (
        base.where(*conds)
        .order_by(ChallengeApplication.id.desc())
        .limit(filters.per_page)
        .offset((filters.page - 1) * filters.per_page)
    )
    return list(db.session.scalars(stmt).unique()), total


def present_application(application: ChallengeApplication, *, actor: Actor) -> dict[str, Any]:
    """The application as this viewer may see it (PI contacts masked for the posting unit)."""
    data = {column.key: getattr(application, column.key) for column in ChallengeApplication.__table__.columns}
    challenge = application.challenge
    data["challenge_title"] = challenge.title
    data["lead_org_name"] = application.lead_org.name if application.lead_org else None
    data["members"] = [
        {"org_id": m.org_id, "org_name": m.org_name, "role": m.role} for m in application.members
    ]
    data["editable"] = (
        policy.can_edit_application(actor, application)
        and application.status in ("draft", "submitted")
        and window_open(challenge)
    )
    insider = (
        policy.is_applicant(actor, application)
        or policy.is_admin(actor)
        or policy.staff_covers(actor, challenge.region)
    )
    if not insider:
        data["pi_phone"] = mask_phone(application.pi_phone) if application.pi_phone else ""
        data["pi_email"] = mask_email(application.pi_email) if application.pi_email else ""
    return data
