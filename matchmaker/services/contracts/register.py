"""The technology contract register (技术合同登记台账): manual entry, match and award sources, reads.

Who sees a contract: admins; staff whose scope holds the buyer's or the seller's region (吸纳 or
输出); members of a platform organisation on either side. Anyone else gets 404.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import or_, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import ChallengeAward, Match, Organization
from matchmaker.models.common import CHINA
from matchmaker.models.contracts.register import TechContract
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.uow import unit_of_work

PARTIES = ("buyer", "seller")


def registered_at(day: date) -> datetime:
    """Local midnight of the registration day as a UTC instant (what the dashboard dates by)."""
    return datetime.combine(day, time(), CHINA).astimezone(UTC)


def can_see_contract(actor: Actor, contract: TechContract) -> bool:
    """Admins, staff in scope of either side, and members of either platform party."""
    if policy.is_admin(actor):
        return True
    if policy.staff_covers(actor, contract.buyer_region) or policy.staff_covers(
        actor, contract.seller_region
    ):
        return True
    return actor.org_id is not None and actor.org_id in (contract.buyer_org_id, contract.seller_org_id)


def find(number: str) -> TechContract | None:
    """The register row with this 合同登记号, if any."""
    return db.session.scalar(select(TechContract).where(TechContract.number == number.strip()))


def _party(data: dict[str, Any], side: str) -> dict[str, Any]:
    """A side as org id, name and region: a platform organisation, or a named outside unit."""
    org_id = data.get(f"{side}_org_id")
    if org_id is not None:
        org = db.session.get(Organization, org_id)
        if org is None:
            raise ValidationFailed(errors={f"{side}_org_id": ["未找到该单位"]})
        return {f"{side}_org_id": org.id, f"{side}_name": org.name, f"{side}_region": org.region}
    name, region = data.get(f"{side}_name"), data.get(f"{side}_region")
    if not name or not region:
        label = "买方" if side == "buyer" else "卖方"
        raise ValidationFailed(errors={f"{side}_name": [f"请选择平台单位，或填写{label}名称与所在地区"]})
    return {f"{side}_org_id": None, f"{side}_name": name, f"{side}_region": region}


def add_contract(data: dict[str, Any], *, actor: Actor, source: str) -> TechContract:
    """Write a register row in the caller's transaction (409 when the number is already registered)."""
    if find(data["number"]) is not None:
        raise Conflict(f"合同登记号 {data['number']} 已在台账中")
    row = {
        k: v
        for k, v in data.items()
        if k not in {f"{s}_{p}" for s in PARTIES for p in ("org_id", "name", "region")}
    }
    contract = TechContract(
        **row, **_party(data, "buyer"), **_party(data, "seller"), source=source, created_by=actor.user_id
    )
    contract.number = contract.number.strip()
    contract.registered_at = registered_at(contract.registered_on)
    db.session.add(contract)
    db.session.flush()
    audit.record(
        actor, "contract_register", "tech_contract", contract.id, number=contract.number, source=source
    )
    return contract


def from_match(match: Match, *, actor: Actor, number: str, amount: Any, registered_on: date | None):
    """The register row of a match's contract step: the need's unit buys, the output's unit sells."""
    existing = find(number)
    if existing is not None:  # registered by the import already: link it, count it once
        existing.match_id = existing.match_id or match.id
        return existing
    data = {
        "number": number,
        "name": match.need.title,
        "contract_type": "development",
        "fields": list(match.need.fields or []),
        "buyer_org_id": match.need_org_id,
        "seller_org_id": match.output_org_id,
        "amount": amount,
        "registered_on": registered_on or datetime.now(CHINA).date(),
        "match_id": match.id,
    }
    return add_contract(data, actor=actor, source="match")


def _prefill(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Sides, name and fields taken from the match or 揭榜挂帅 award the contract came from."""
    if data.get("match_id") is not None:
        match = db.session.get(Match, data["match_id"])
        if match is None:
            raise ValidationFailed(errors={"match_id": ["未找到该匹配"]})
        base: dict[str, Any] = {"name": match.need.title, "fields": list(match.need.fields or [])}
        base |= {"buyer_org_id": match.need_org_id, "seller_org_id": match.output_org_id}
        return base | data, "match"
    if data.get("challenge_award_id") is not None:
        award = db.session.get(ChallengeAward, data["challenge_award_id"])
        if award is None:
            raise ValidationFailed(errors={"challenge_award_id": ["未找到该揭榜项目"]})
        challenge = award.challenge
        base = {
            "name": challenge.title,
            "fields": list(challenge.fields or []),
            "contract_type": "development",
        }
        base |= {"buyer_org_id": challenge.org_id, "seller_org_id": award.lead_org_id}
        return base | data, "challenge"
    return data, "manual"


def create_contract(*, actor: Actor, data: dict[str, Any]) -> TechContract:
    """Staff enter a contract by hand (or from a match or award); one side must lie in their scope."""
    if not (policy.is_admin(actor) or actor.has_role("staff")):
        raise Forbidden("只有科技局工作人员可以登记技术合同")
    data, source = _prefill(dict(data))
    if "name" not in data:
        raise ValidationFailed(errors={"name": ["请填写合同名称"]})
    with unit_of_work():
        contract = add_contract(data, actor=actor, source=source)
        if not (policy.is_admin(actor) or _in_scope(actor, contract)):
            raise Forbidden("只有买方或卖方所在地区的科技局工作人员可以登记该合同")
    return contract


def _in_scope(actor: Actor, contract: TechContract) -> bool:
    return policy.staff_covers(actor, contract.buyer_region) or policy.staff_covers(
        actor, contract.seller_region
    )


def load_contract(contract_id: int, *, actor: Actor) -> TechContract:
    """The contract if the actor may see it (404 otherwise)."""
    contract = db.session.get(TechContract, contract_id)
    if contract is None or not can_see_contract(actor, contract):
        raise NotFound("未找到该技术合同")
    return contract


def _visible(actor: Actor) -> Any:
    if policy.is_admin(actor):
        return None
    scope = actor.user.region_scope if actor.has_role("staff") and actor.user else None
    conds = []
    if scope:
        conds += [
            region_clause(TechContract.buyer_region, scope),
            region_clause(TechContract.seller_region, scope),
        ]
    if actor.org_id is not None:
        conds += [TechContract.buyer_org_id == actor.org_id, TechContract.seller_org_id == actor.org_id]
    return or_(*conds) if conds else TechContract.id.is_(None)


def list_contracts(*, actor: Actor, query: dict[str, Any]) -> dict[str, Any]:
    """Contracts the actor may see, filtered by region and side (吸纳/输出), type, source and dates."""
    stmt = select(TechContract)
    visible = _visible(actor)
    if visible is not None:
        stmt = stmt.where(visible)
    region, side = query.get("region"), query.get("side")
    if region:
        columns = {"absorbed": [TechContract.buyer_region], "exported": [TechContract.seller_region]}
        chosen = columns.get(side or "", [TechContract.buyer_region, TechContract.seller_region])
        stmt = stmt.where(or_(*[region_clause(c, region) for c in chosen]))
    for key, column in (("contract_type", TechContract.contract_type), ("source", TechContract.source)):
        if query.get(key):
            stmt = stmt.where(column == query[key])
    if query.get("start"):
        stmt = stmt.where(TechContract.registered_on >= query["start"])
    if query.get("end"):
        stmt = stmt.where(TechContract.registered_on <= query["end"])
    total = db.session.scalar(select(db.func.count()).select_from(stmt.subquery())) or 0
    page, per_page = query.get("page", 1), query.get("per_page", 20)
    stmt = stmt.order_by(TechContract.registered_on.desc(), TechContract.id.desc())
    items = list(db.session.scalars(stmt.offset((page - 1) * per_page).limit(per_page)))
    return {"items": items, "total": total, "page": page, "per_page": per_page}
