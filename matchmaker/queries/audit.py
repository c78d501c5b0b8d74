"""Reading the audit log: which rows a caller may read (by the region of the object), and reveals.

An audit row names an object by type and id, not by region; staff read the rows whose object lies
in their region scope. Each object type maps to a ``select`` of its ids within a region, so rows
written before this reader existed are scoped too. Types not in the map are read by admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, false, or_, select

from matchmaker.models import (
    AuditLog,
    Challenge,
    ChallengeApplication,
    ChallengeAward,
    Event,
    EventMeeting,
    EventRegistration,
    Match,
    Objection,
    Organization,
    ResearchOutput,
    ReviewAssignment,
    TechnologyNeed,
    User,
)
from matchmaker.queries.scope import region_clause

ScopeSelect = Callable[[str], Select]


def _by_region(model: Any) -> ScopeSelect:
    return lambda code: select(model.id).where(region_clause(model.region, code))


def _via_challenge(model: Any) -> ScopeSelect:
    return lambda code: (
        select(model.id)
        .join(Challenge, Challenge.id == model.challenge_id)
        .where(region_clause(Challenge.region, code))
    )


def _users(code: str) -> Select:
    return (
        select(User.id)
        .join(Organization, Organization.id == User.org_id)
        .where(region_clause(Organization.region, code))
    )


# object_type -> ids of such objects inside a region; other domains add theirs with register_scope.
SCOPES: dict[str, ScopeSelect] = {
    "need": _by_region(TechnologyNeed),
    "output": _by_region(ResearchOutput),
    "match": _by_region(Match),
    "organization": _by_region(Organization),
    "user": _users,
    "event": _by_region(Event),
    "event_registration": _by_region(EventRegistration),
    "event_meeting": _by_region(EventMeeting),
    "challenge": _by_region(Challenge),
    "challenge_award": _by_region(ChallengeAward),
    "challenge_application": _via_challenge(ChallengeApplication),
    "objection": _via_challenge(Objection),
    "review_assignment": _via_challenge(ReviewAssignment),
}


def register_scope(object_type: str, model: Any) -> None:
    """Let staff read audit rows of a new object type by the model's ``region`` column."""
    SCOPES[object_type] = _by_region(model)


def in_region(code: str) -> Any:
    """SQL condition: the row's object lies inside the region."""
    return or_(
        *(
            and_(AuditLog.object_type == kind, AuditLog.object_id.in_(ids(code)))
            for kind, ids in SCOPES.items()
        )
    )


@dataclass
class AuditFilter:
    """Filters of the audit log: actor, action, object, time (UTC instants), page."""

    actor_id: int | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    page: int = 1
    per_page: int = 50


def conditions(f: AuditFilter, region_scopes: list[str] | None) -> list[Any]:
    """WHERE clauses for the filters; ``region_scopes`` None means everything (admins)."""
    conds: list[Any] = []
    if region_scopes is not None:
        conds.append(or_(*(in_region(code) for code in region_scopes)) if region_scopes else false())
    for column, value in (
        (AuditLog.actor_id, f.actor_id),
        (AuditLog.action, f.action),
        (AuditLog.object_type, f.object_type),
        (AuditLog.object_id, f.object_id),
    ):
        if value is not None:
            conds.append(column == value)
    if f.since is not None:
        conds.append(AuditLog.at >= f.since)
    if f.until is not None:
        conds.append(AuditLog.at < f.until)
    return conds


def reveal_conditions(org_id: int) -> list[Any]:
    """Contact reveals of the organisation's needs and outputs."""
    listings = [("need", TechnologyNeed), ("output", ResearchOutput)]
    return [
        AuditLog.action == "contact_reveal",
        or_(
            *(
                and_(
                    AuditLog.object_type == kind,
                    AuditLog.object_id.in_(select(m.id).where(m.org_id == org_id)),
                )
                for kind, m in listings
            )
        ),
    ]
