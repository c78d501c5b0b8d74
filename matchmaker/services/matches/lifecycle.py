"""Match lifecycle (匹配): view, interest, decline, connect, negotiate, agreement, technology contract."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import LISTING_MODELS, Match
from matchmaker.models.common import utcnow
from matchmaker.models.matches import DECLINE_REASONS
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.contracts import register
from matchmaker.services.uow import lock, unit_of_work

OPEN = ("proposed", "connected", "negotiating")


def side_of(actor: Actor, match: Match) -> str | None:
    """'need' or 'output' when the actor belongs to that side's organisation, else None."""
    if actor.org_id is None:
        return None
    if actor.org_id == match.need_org_id:
        return "need"
    if actor.org_id == match.output_org_id:
        return "output"
    return None


def can_see_match(actor: Actor, match: Match) -> bool:
    """Both sides, staff whose scope covers either listing, and admins."""
    return (
        side_of(actor, match) is not None
        or policy.is_admin(actor)
        or policy.staff_covers(actor, match.need.region)
        or policy.staff_covers(actor, match.output.region)
    )


def load_match(match_id: int, *, actor: Actor) -> Match:
    """The match, if the actor may see it (404 otherwise)."""
    match = db.session.get(Match, match_id)
    if match is None or not can_see_match(actor, match):
        raise NotFound("未找到该匹配")
    return match


@dataclass
class MatchFilter:
    """Filters for match lists."""

    status: str | None = None
    min_score: float | None = None
    page: int = 1
    per_page: int = 20


def _page(stmt: Any, f: MatchFilter) -> tuple[list[Match], int]:
    if f.status:
        stmt = stmt.where(Match.status == f.status)
    if f.min_score is not None:
        stmt = stmt.where(Match.score >= f.min_score)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(Match.score.desc(), Match.id).limit(f.per_page).offset((f.page - 1) * f.per_page)
    ).unique()
    return list(rows), total


def matches_for_listing(kind: str, listing_id: int, *, actor: Actor, filters: MatchFilter):
    """A listing's matches, best first: for its owner organisation, staff in scope and admins."""
    listing = db.session.get(LISTING_MODELS[kind], listing_id)
    if listing is None or not policy.can_see_listing(actor, listing):
        raise NotFound("未找到该信息")
    if not (policy.can_edit_listing(actor, listing) or policy.can_review_listing(actor, listing)):
        raise Forbidden("只有发布单位和辖区科技局可以查看匹配结果")
    column = Match.need_id if kind == "need" else Match.output_id
    stmt = select(Match).where(column == listing_id)
    if not filters.status:  # expired and withdrawn proposals are listed only when asked for
        stmt = stmt.where(Match.status.not_in(("expired", "withdrawn")))
    return _page(stmt, filters)


def my_matches(*, actor: Actor, filters: MatchFilter):
    """Matches where the actor's organisation is on either side (staff: their region's)."""
    if actor.org_id is None and not actor.has_role("staff", "admin"):
        raise Forbidden("请先加入单位")
    clauses = []
    if actor.org_id is not None:
        clauses += [Match.need_org_id == actor.org_id, Match.output_org_id == actor.org_id]
    if actor.has_role("staff") and actor.user and actor.user.region_scope:
        clauses.append(region_clause(Match.region, actor.user.region_scope))
    stmt = select(Match) if policy.is_admin(actor) else select(Match).where(or_(*clauses))
    return _page(stmt, filters)


def _require_side(actor: Actor, match: Match) -> str:
    side = side_of(actor, match)
    if side is None:
        raise Forbidden("只有匹配双方可以执行此操作")
    return side


def mark_viewed(match_id: int, *, actor: Actor) -> Match:
    """Record that the actor's side has looked at the match."""
    match = load_match(match_id, actor=actor)
    side = side_of(actor, match)
    if side is None or getattr(match, f"{side}_side") != "new":
        return match
    with unit_of_work():
        setattr(match, f"{side}_side", "viewed")
        setattr(match, f"{side}_viewed_at", utcnow())
        audit.record(actor, "match_view", "match", match.id, side=side)
    return match


def express_interest(match_id: int, *, actor: Actor) -> Match:
    """The actor's side is interested; when both are, the match is connected and contacts open up."""
    match = load_match(match_id, actor=actor)
    side = _require_side(actor, match)
    now = utcnow()
    with unit_of_work() as uow:
        lock(match)  # both sides at once: the second waits, then sees the first's interest
        if match.status not in ("proposed", "connected"):
            raise Conflict("该匹配已结束或已进入后续阶段")
        if getattr(match, f"{side}_side") == "interested":
            return match
        setattr(match, f"{side}_side", "interested")
        setattr(match, f"{side}_interested_at", now)
        setattr(match, f"{side}_viewed_at", getattr(match, f"{side}_viewed_at") or now)
        audit.record(actor, "match_interest", "match", match.id, side=side)
        if match.need_side == "interested" and match.output_side == "interested":
            match.status, match.connected_at = "connected", now
            audit.record(actor, "match_connect", "match", match.id)
        notify(
            uow, "match.connected" if match.status == "connected" else "match.interested", f"match/{match.id}"
        )
    return match


def decline(match_id: int, *, actor: Actor, reason: str, note: str | None = None) -> Match:
    """The actor's side declines with a reason code (kept for tuning)."""
    match = load_match(match_id, actor=actor)
    side = _require_side(actor, match)
    if reason not in DECLINE_REASONS:
        raise ValidationFailed(errors={"reason": [f"取值应为：{'、'.join(DECLINE_REASONS)}"]})
    with unit_of_work():
        if lock(match).status not in OPEN:
            raise Conflict("该匹配已结束")
        setattr(match, f"{side}_side", "declined")
        match.status, match.declined_at = "declined", utcnow()
        match.decline_side, match.decline_reason, match.decline_note = side, reason, note
        audit.record(actor, "match_decline", "match", match.id, side=side, reason=reason)
    return match


def start_negotiation(match_id: int, *, actor: Actor) -> Match:
    """Either side records that negotiation has begun."""
    match = load_match(match_id, actor=actor)
    _require_side(actor, match)
    with unit_of_work():
        if lock(match).status != "connected":
            raise Conflict("双方均表示意向后才能进入洽谈")
        match.status, match.negotiating_at = "negotiating", utcnow()
        audit.record(actor, "match_negotiate", "match", match.id)
    return match


def sign_agreement(match_id: int, *, actor: Actor, data: dict[str, Any]) -> Match:
    """Record the cooperation agreement (合作协议): date, parties, amount."""
    match = load_match(match_id, actor=actor)
    _require_side(actor, match)
    with unit_of_work():
        if lock(match).status not in ("connected", "negotiating"):
            raise Conflict("双方建立联系后才能登记合作协议")
        record_agreement(
            match,
            actor=actor,
            signed_on=data["signed_on"],
            amount=data["amount"],
            parties=data.get("parties"),
        )
    return match


def record_agreement(
    match: Match, *, actor: Actor, signed_on: Any, amount: Any, parties: list | None = None, **detail: Any
) -> None:
    """Move the match to ``agreement_signed`` with date, amount and parties (in the caller's transaction)."""
    match.status, match.agreement_at = "agreement_signed", utcnow()
    match.negotiating_at = match.negotiating_at or match.agreement_at
    match.agreement_date, match.agreement_amount = signed_on or match.agreement_at.date(), amount
    match.agreement_parties = parties or [match.need.org.name, match.output.org.name]
    audit.record(actor, "match_agreement", "match", match.id, amount=float(amount), **detail)


def register_contract(match_id: int, *, actor: Actor, data: dict[str, Any]) -> Match:
    """Record the registered technology contract (技术合同登记): number and amount."""
    match = load_match(match_id, actor=actor)
    if side_of(actor, match) is None and not (
        policy.is_admin(actor) or policy.staff_covers(actor, match.region)
    ):
        raise Forbidden("只有匹配双方或辖区科技局可以登记技术合同")
    with unit_of_work():
        if lock(match).status != "agreement_signed":
            raise Conflict("签订合作协议后才能登记技术合同")
        match.status, match.contract_at = "contract_registered", utcnow()
        match.contract_number, match.contract_amount = data["number"], data["amount"]
        match.contract_date = data.get("registered_on")
        register.from_match(
            match,
            actor=actor,
            number=data["number"],
            amount=data["amount"],
            registered_on=match.contract_date,
        )
        audit.record(
            actor, "match_contract", "match", match.id, number=data["number"], amount=float(data["amount"])
        )
    return match


def contacts(match_id: int, *, actor: Actor) -> dict[str, Any]:
    """Both sides' contact details, only once the match is connected; every reveal is audit-logged."""
    match = load_match(match_id, actor=actor)
    side = _require_side(actor, match)
    if match.connected_at is None:
        raise Forbidden("双方均表示合作意向后才能查看联系方式")
    other = match.output if side == "need" else match.need
    with unit_of_work():
        audit.record(actor, "contact_reveal", other.KIND, other.id, match_id=match.id)
    return {
        "match_id": match.id,
        "org_name": other.org.name,
        "contact_name": other.contact_name,
        "contact_phone": other.contact_phone,
        "contact_email": other.contact_email,
    }


def expire_stale(*, actor: Actor, days: int = 60) -> int:
    """Proposed matches nobody acted on for `days` expire; returns how many."""
    from datetime import timedelta

    cutoff = utcnow() - timedelta(days=days)
    rows = list(
        db.session.scalars(select(Match).where(Match.status == "proposed", Match.proposed_at < cutoff))
    )
    with unit_of_work():
        for match in rows:
            match.status, match.expired_at = "expired", utcnow()
            audit.record(actor, "match_expire", "match", match.id)
    return len(rows)
