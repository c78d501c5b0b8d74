"""Filing a placement and the three parties' consent (三方确认).

An enterprise files for itself (from its talent need, or as a direct request), or county staff file
for an enterprise of their scope. Each of the three parties then confirms the same terms; changing
the terms (If-Match on the version) clears every confirmation and asks again. The last confirmation
moves the placement to ``agreed`` in the same conditional UPDATE, so parallel confirmations agree
it exactly once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, or_, select, update

from matchmaker import etags
from matchmaker.announce import announce
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, PreconditionFailed, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Organization, Placement, TechnologyNeed, User
from matchmaker.models.common import utcnow
from matchmaker.models.placements import OPEN_STATUSES, PARTIES
from matchmaker.queries.audit import register_scope
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.placements.access import can_manage, load_placement, parties_of
from matchmaker.services.uow import unit_of_work

register_scope("placement", Placement)
RESEARCH_UNITS = ("university", "institute")
MIN_DAYS, MAX_DAYS = 180, 3 * 366  # 任期一般一至两年：at least half a year, at most three


def etag(placement: Placement) -> str:
    """Strong ETag for a placement version (the terms the parties confirm)."""
    return f'"placement-{placement.id}-v{placement.version}"'


def _enterprise(actor: Actor, org_id: int | None) -> Organization:
    if org_id is None:
        org = db.session.get(Organization, actor.org_id) if actor.org_id else None
        if org is None or org.kind != "enterprise" or not actor.has_role("enterprise"):
            raise Forbidden("只有企业或企业所在地科技局可以申请科技副总")
        return org
    org = db.session.get(Organization, org_id)
    if org is None or org.kind != "enterprise":
        raise ValidationFailed(errors={"org_id": ["应为平台上的企业"]})
    if not (
        policy.is_member(actor, org.id) or policy.is_admin(actor) or policy.staff_covers(actor, org.region)
    ):
        raise Forbidden("只能为本企业或本辖区的企业申请科技副总")
    return org


def _researcher(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or not user.is_active or not user.has_role("researcher") or user.org is None:
        raise ValidationFailed(errors={"researcher_id": ["应为平台上的科研人员"]})
    if user.org.kind not in RESEARCH_UNITS:
        raise ValidationFailed(errors={"researcher_id": ["科技副总应来自高校或科研院所"]})
    return user


def _talent_need(need_id: int | None, org: Organization) -> TechnologyNeed | None:
    if need_id is None:
        return None
    need = db.session.get(TechnologyNeed, need_id)
    if need is None or need.org_id != org.id or need.need_type != "talent":
        raise ValidationFailed(errors={"need_id": ["应为该企业的人才需求（科技副总）"]})
    return need


def check_terms(starts_on: date, ends_on: date) -> None:
    """The term: from half a year to three years (usually one or two)."""
    days = (ends_on - starts_on).days
    if days < MIN_DAYS or days > MAX_DAYS:
        raise ValidationFailed(errors={"ends_on": ["任期应为半年至三年（一般为一至两年）"]})


def _overlapping(org_id: int, researcher_id: int, starts_on: date, ends_on: date) -> bool:
    """Does the pair already have an open placement whose term overlaps (a renewal starts after it)?"""
    stmt = select(Placement.id).where(
        Placement.org_id == org_id,
        Placement.researcher_id == researcher_id,
        Placement.status.in_(OPEN_STATUSES),
        Placement.starts_on <= ends_on,
        Placement.ends_on >= starts_on,
    )
    return db.session.scalar(stmt.limit(1)) is not None


def create_placement(*, actor: Actor, data: dict[str, Any]) -> Placement:
    """File a placement (enterprise for itself, staff for an enterprise in scope); the parties are asked."""
    org = _enterprise(actor, data.pop("org_id", None))
    researcher = _researcher(data.pop("researcher_id"))
    need = _talent_need(data.get("need_id"), org)
    check_terms(data["starts_on"], data["ends_on"])
    if _overlapping(org.id, researcher.id, data["starts_on"], data["ends_on"]):
        raise Conflict("该科研人员在该企业已有任期重叠的科技副总选派；续聘请从现任期届满后开始")
    title = data.pop("title", None) or (need.title if need else f"{org.name}科技副总")
    fields = data.pop("fields", None) or (list(need.fields) if need else list(org.fields or []))
    assert researcher.org_id is not None
    with unit_of_work() as uow:
        placement = Placement(
            org_id=org.id, region=org.region, researcher_id=researcher.id, unit_org_id=researcher.org_id,
            title=title, fields=fields, status="consenting", version=1, created_by=actor.user_id, **data,
        )  # fmt: skip
        db.session.add(placement)
        db.session.flush()
        audit.record(actor, "create", "placement", placement.id, researcher_id=researcher.id)
        announce(uow, "placement.consent_requested", f"placement/{placement.id}@v1")
    return placement


def update_terms(placement_id: int, *, actor: Actor, data: dict[str, Any], if_match: str | None) -> Placement:
    """Change the terms while the parties confirm: every confirmation is cleared, all are asked again."""
    placement = load_placement(placement_id, actor=actor)
    if not (can_manage(actor, placement) or "enterprise" in parties_of(actor, placement)):
        raise Forbidden("只有企业或企业所在地科技局可以修改选派条件")
    if not etags.if_match_ok(if_match, etag(placement)):
        raise PreconditionFailed()
    check_terms(data.get("starts_on", placement.starts_on), data.get("ends_on", placement.ends_on))
    cleared = {f"{p}_confirmed_at": None for p in PARTIES} | {
        "enterprise_confirmed_by": None,
        "unit_confirmed_by": None,
    }
    with unit_of_work() as uow:
        done = db.session.execute(
            update(Placement)
            .where(Placement.id == placement.id, Placement.status == "consenting",
                   Placement.version == placement.version)
            .values(**data, **cleared, version=placement.version + 1)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("三方确认完成后不能再修改选派条件")
        db.session.refresh(placement)
        audit.record(actor, "update", "placement", placement.id, fields=sorted(data))
        announce(uow, "placement.consent_requested", f"placement/{placement.id}@v{placement.version}")
    return placement


def _party(actor: Actor, placement: Placement, asked: str | None) -> str:
    mine = parties_of(actor, placement)
    if asked is not None:
        if asked not in mine:
            raise Forbidden(f"您不能代表{PARTIES[asked]}确认")
        return asked
    waiting = [p for p in mine if getattr(placement, f"{p}_confirmed_at") is None]
    if not mine:
        raise Forbidden("只有企业、科研人员本人和派出单位科研管理员可以确认")
    return (waiting or mine)[0]


def confirm(placement_id: int, *, actor: Actor, party: str | None = None) -> Placement:
    """One party confirms the current terms; the last of the three makes the placement ``agreed``."""
    placement = load_placement(placement_id, actor=actor)
    side = _party(actor, placement, party)
    col = getattr(Placement, f"{side}_confirmed_at")
    others = [getattr(Placement, f"{p}_confirmed_at").isnot(None) for p in PARTIES if p != side]
    values: dict[str, Any] = {
        f"{side}_confirmed_at": utcnow(),
        "status": case((and_(*others), "agreed"), else_=Placement.status),
    }
    if side != "researcher":
        values[f"{side}_confirmed_by"] = actor.user_id
    with unit_of_work() as uow:
        done = db.session.execute(
            update(Placement)
            .where(Placement.id == placement.id, Placement.status == "consenting", col.is_(None),
                   Placement.version == placement.version)
            .values(**values)
            .execution_options(synchronize_session=False)
        )  # fmt: skip
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(f"{PARTIES[side]}已确认，或选派条件已变化，请刷新后重试")
        db.session.refresh(placement)
        audit.record(actor, "confirm", "placement", placement.id, party=side, version=placement.version)
        if placement.status == "agreed":
            announce(uow, "placement.agreed", f"placement/{placement.id}")
    return placement


def list_placements(*, actor: Actor, status: str | None = None) -> list[Placement]:
    """The placements the actor is party to, those of the staff's region, or all (admins)."""
    stmt = select(Placement).order_by(Placement.id.desc())
    if not policy.is_admin(actor):
        scope = actor.user.region_scope if actor.has_role("staff") and actor.user else None
        conds = [Placement.researcher_id == actor.user_id] if actor.user_id else []
        conds += [Placement.org_id == actor.org_id] if actor.org_id else []
        if actor.org_id and actor.has_role("unit_admin"):
            conds.append(Placement.unit_org_id == actor.org_id)
        conds += [region_clause(Placement.region, scope)] if scope else []
        stmt = stmt.where(or_(*conds)) if conds else stmt.where(Placement.id.is_(None))
    if status:
        stmt = stmt.where(Placement.status == status)
    return list(db.session.scalars(stmt).unique())
