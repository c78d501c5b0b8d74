"""Organisation profiles and their verification (单位认证) by the bureau in scope.

Verification vouches for who a unit is and where it sits, so a member who changes the unit's
name, credit code or region drops it: the unit goes back into the queue of its (new) county's
staff, and until verified again it can neither publish nor apply (services.trust). Its listings
follow it to the new region, so the new county reviews them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden
from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, Organization
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.accounts import get_org
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import UnitOfWork, unit_of_work

IDENTITY_FIELDS = ("name", "uscc", "region")  # what verification vouches for
OPEN_STATUSES = ("draft", "submitted", "published", "rejected")


def _check_uscc(org: Organization, data: dict[str, Any]) -> None:
    if (
        "uscc" in data
        and data["uscc"] != org.uscc
        and db.session.scalar(select(Organization.id).where(Organization.uscc == data["uscc"]))
    ):
        raise Conflict(
            "该统一社会信用代码已被其他单位使用", errors={"uscc": ["已注册（already registered）"]}
        )


def _move_listings(uow: UnitOfWork, org: Organization) -> int:
    moved = 0
    for model in LISTING_MODELS.values():
        stmt = select(model).where(model.org_id == org.id, model.status.in_(OPEN_STATUSES))
        for listing in db.session.scalars(stmt):
            if listing.region != org.region:
                listing.region, listing.version = org.region, listing.version + 1
                record_change(uow, listing)
                moved += 1
    return moved


def update_org(org_id: int, *, actor: Actor, data: dict[str, Any]) -> Organization:
    """Members edit their unit's profile; a new name, credit code or region needs verifying again."""
    org = get_org(org_id)
    if not policy.can_manage_org(actor, org_id):
        raise Forbidden("只能修改本单位资料")
    _check_uscc(org, data)
    changed = sorted(k for k, v in data.items() if getattr(org, k) != v)
    with unit_of_work() as uow:
        for key in changed:
            setattr(org, key, data[key])
        identity = [k for k in changed if k in IDENTITY_FIELDS]
        # staff who could verify the unit where it now is (and admins) vouch for their own edit
        if identity and org.verified and not policy.can_verify_org(actor, org):
            org.verified = False
            audit.record(actor, "verification_dropped", "organization", org.id, fields=identity)
        moved = _move_listings(uow, org) if "region" in changed else 0
        audit.record(actor, "update", "organization", org.id, fields=changed, listings_moved=moved)
    return org


def verify_org(org_id: int, *, actor: Actor, verified: bool) -> Organization:
    """Staff in scope mark an organisation verified (or not)."""
    org = get_org(org_id)
    if not policy.can_verify_org(actor, org):
        raise Forbidden("该单位不在您的辖区内" if actor.has_role("staff") else "仅科技局工作人员可认证单位")
    with unit_of_work():
        org.verified = verified
        audit.record(actor, "verify" if verified else "unverify", "organization", org.id)
    return org


def awaiting_verification(*, actor: Actor, page: int, per_page: int) -> tuple[list[Organization], int]:
    """The verification queue: unverified units in the actor's scope (admins: all), longest waiting first."""
    if not (policy.is_admin(actor) or (actor.has_role("staff") and actor.user and actor.user.region_scope)):
        raise Forbidden("仅科技局工作人员可查看待认证单位")
    stmt = select(Organization).where(Organization.verified.is_(False), Organization.kind != "bureau")
    if not policy.is_admin(actor):
        assert actor.user is not None and actor.user.region_scope is not None
        stmt = stmt.where(region_clause(Organization.region, actor.user.region_scope))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = (Organization.updated_at, Organization.id)
    rows = db.session.scalars(stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page))
    return list(rows), total
