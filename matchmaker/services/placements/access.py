"""Who may see a placement and for which party someone confirms: decided by server-side facts only.

- the enterprise: members of the placement's enterprise;
- the researcher: the placed researcher in person;
- the unit (派出单位): a unit research administrator (role ``unit_admin``) of the researcher's unit,
  never the researcher themselves, so nobody consents on their own behalf twice;
- staff whose scope holds the enterprise's county review, recommend and record the province's
  decision; admins everything. Everyone else is told the placement does not exist (404).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound
from matchmaker.extensions import db
from matchmaker.models import Placement
from matchmaker.models.common import CHINA


def parties_of(actor: Actor, placement: Placement) -> list[str]:
    """The parties the actor may confirm for, in the order enterprise, researcher, unit."""
    if actor.user is None:
        return []
    found = []
    if policy.is_member(actor, placement.org_id):
        found.append("enterprise")
    if actor.user_id == placement.researcher_id:
        found.append("researcher")
    is_unit_admin = policy.is_member(actor, placement.unit_org_id) and actor.has_role("unit_admin")
    if is_unit_admin and actor.user_id != placement.researcher_id:
        found.append("unit")
    return found


def can_manage(actor: Actor, placement: Placement) -> bool:
    """Staff whose scope holds the enterprise's county, and admins."""
    return policy.is_admin(actor) or policy.staff_covers(actor, placement.region)


def can_see(actor: Actor, placement: Placement) -> bool:
    """The three parties, staff in scope and admins."""
    return can_manage(actor, placement) or bool(parties_of(actor, placement))


def load_placement(placement_id: int, *, actor: Actor) -> Placement:
    """The placement for those who may see it; NotFound for anyone else."""
    placement = db.session.get(Placement, placement_id)
    if placement is None or not can_see(actor, placement):
        raise NotFound("未找到该科技副总选派")
    return placement


def managed(placement_id: int, *, actor: Actor, action: str) -> Placement:
    """The placement for staff in scope; parties who may see it but not do this get 403."""
    placement = load_placement(placement_id, actor=actor)
    if not can_manage(actor, placement):
        raise Forbidden(f"只有企业所在地科技局可以{action}")
    return placement


def move(placement: Placement, frm: tuple[str, ...], message: str, **values: object) -> None:
    """One transition, only from the states in ``frm`` (a concurrent second decision gets 409)."""
    done = db.session.execute(
        update(Placement)
        .where(Placement.id == placement.id, Placement.status.in_(frm))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(message)
    db.session.refresh(placement)


def today() -> datetime:
    """Now in China time (terms and report years are local dates)."""
    return datetime.now(CHINA)
