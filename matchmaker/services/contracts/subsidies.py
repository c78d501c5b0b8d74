"""奖补 rounds: staff configure the policy, compute every approved filing's subsidy, adjust with a
reason, publish a 公示 list (the same window and objection rules as 揭榜挂帅), approve and export.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy as access
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import CooperationFiling, SubsidyItem, SubsidyObjection, SubsidyRound
from matchmaker.models.common import CHINA, utcnow
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit, publicity
from matchmaker.services.contracts import subsidy_calc as calc
from matchmaker.services.uow import unit_of_work


def now() -> datetime:
    """The subsidy clock; tests inject SUBSIDY_CLOCK (a callable returning an aware datetime)."""
    clock: Callable[[], datetime] | None = current_app.config.get("SUBSIDY_CLOCK")
    return clock() if clock else utcnow()


def require_staff(subsidy_round: SubsidyRound, *, actor: Actor, action: str = "执行此操作") -> None:
    """403 for anyone but staff whose scope holds the round's region (and admins)."""
    if not (access.is_admin(actor) or access.staff_covers(actor, subsidy_round.region)):
        raise Forbidden(f"只有所在地区的科技局工作人员可以{action}")


def _staff_round(round_id: int, actor: Actor, action: str) -> SubsidyRound:
    subsidy_round = db.session.get(SubsidyRound, round_id)
    if subsidy_round is None:
        raise NotFound("未找到该奖补批次")
    require_staff(subsidy_round, actor=actor, action=action)
    return subsidy_round


def create_round(*, actor: Actor, data: dict[str, Any]) -> SubsidyRound:
    """Staff configure a yearly round for their region."""
    if not (access.is_admin(actor) or access.staff_covers(actor, data["region"])):
        raise Forbidden("只有所在地区的科技局工作人员可以设立奖补批次")
    if data["period_end"] < data["period_start"]:
        raise ValidationFailed(errors={"period_end": ["结束日期不能早于开始日期"]})
    rates = {k: float(v) for k, v in (data.pop("category_rates", None) or {}).items()}
    with unit_of_work():
        subsidy_round = SubsidyRound(**data, category_rates=rates, status="draft", created_by=actor.user_id)
        db.session.add(subsidy_round)
        db.session.flush()
        audit.record(actor, "subsidy_round_create", "subsidy_round", subsidy_round.id)
    return subsidy_round


def _policy(subsidy_round: SubsidyRound) -> calc.Policy:
    cap = lambda v: Decimal(str(v)) if v is not None else None  # noqa: E731
    return calc.Policy(
        start=subsidy_round.period_start,
        end=subsidy_round.period_end,
        base_rate=Decimal(str(subsidy_round.base_rate)),
        category_rates={k: Decimal(str(v)) for k, v in (subsidy_round.category_rates or {}).items()},
        project_cap=cap(subsidy_round.project_cap),
        enterprise_cap=cap(subsidy_round.enterprise_cap),
    )


def _granted_before(filing_id: int, round_id: int) -> Decimal:
    stmt = (
        select(func.coalesce(func.sum(SubsidyItem.amount), 0))
        .join(SubsidyRound, SubsidyRound.id == SubsidyItem.round_id)
        .where(
            SubsidyItem.filing_id == filing_id, SubsidyRound.status == "approved", SubsidyRound.id != round_id
        )
    )
    return Decimal(str(db.session.scalar(stmt) or 0))


def _project(filing: CooperationFiling, round_id: int) -> calc.Project:
    payments = tuple(
        (date.fromisoformat(p["paid_on"]), Decimal(str(p["amount"]))) for p in filing.payments or []
    )
    return calc.Project(
        filing.id, filing.org_id, filing.category, payments, _granted_before(filing.id, round_id)
    )


def compute_round(round_id: int, *, actor: Actor) -> SubsidyRound:
    """Compute (again) every approved filing's subsidy in the round's region; adjustments are reset."""
    subsidy_round = _staff_round(round_id, actor, "计算奖补")
    if subsidy_round.status not in ("draft", "computed"):
        raise Conflict("公示开始后不能重新计算")
    stmt = select(CooperationFiling).where(
        CooperationFiling.status == "approved", region_clause(CooperationFiling.region, subsidy_round.region)
    )
    filings = {f.id: f for f in db.session.scalars(stmt)}
    results = calc.compute(_policy(subsidy_round), [_project(f, subsidy_round.id) for f in filings.values()])
    with unit_of_work():
        subsidy_round.items.clear()
        db.session.flush()
        for r in results:
            if r.paid <= 0:
                continue
            subsidy_round.items.append(
                SubsidyItem(
                    filing_id=r.filing_id,
                    org_id=r.org_id,
                    region=filings[r.filing_id].region,
                    paid_amount=r.paid,
                    rate=r.rate,
                    computed_amount=r.computed,
                    amount=r.amount,
                    breakdown=r.steps,
                )
            )
        subsidy_round.status = "computed"
        audit.record(
            actor, "subsidy_compute", "subsidy_round", subsidy_round.id, items=len(subsidy_round.items)
        )
    return subsidy_round


def adjust_item(round_id: int, item_id: int, *, actor: Actor, amount: Decimal, reason: str) -> SubsidyItem:
    """Staff change one item's amount with a reason (kept on the item and in the audit log)."""
    subsidy_round = _staff_round(round_id, actor, "调整奖补金额")
    if subsidy_round.status != "computed":
        raise Conflict("只有计算完成、公示之前可以调整金额")
    item = db.session.get(SubsidyItem, item_id)
    if item is None or item.round_id != subsidy_round.id:
        raise NotFound("未找到该奖补项目")
    with unit_of_work():
        audit.record(
            actor,
            "subsidy_adjust",
            "subsidy_item",
            item.id,
            before=float(item.amount),
            after=float(amount),
            reason=reason,
        )
        item.amount, item.adjust_reason = amount, reason
    return item


def start_publicity(round_id: int, *, actor: Actor, ends_on: date | None = None) -> SubsidyRound:
    """Publish the 公示 list (default five working days); anyone may object inside the window."""
    subsidy_round = _staff_round(round_id, actor, "发布奖补公示")
    if subsidy_round.status != "computed" or not subsidy_round.items:
        raise Conflict("请先计算奖补名单再公示")
    end = publicity.window_end(ends_on, today=now().astimezone(CHINA).date())
    with unit_of_work() as uow:
        subsidy_round.status, subsidy_round.publicity_starts_at = "publicity", now()
        subsidy_round.publicity_ends_at = publicity.end_of_local_day(end)
        audit.record(actor, "subsidy_publicity", "subsidy_round", subsidy_round.id, ends_on=end.isoformat())
        stamp = int(subsidy_round.publicity_starts_at.timestamp())
        notify(uow, "subsidy.publicity", f"subsidy_round/{subsidy_round.id}@{stamp}")
    return subsidy_round


def load_public_round(round_id: int) -> SubsidyRound:
    """A round whose list is public (from 公示 on)."""
    subsidy_round = db.session.get(SubsidyRound, round_id)
    if subsidy_round is None or subsidy_round.status not in ("publicity", "approved"):
        raise NotFound("该奖补批次尚未公示")
    return subsidy_round


def file_objection(
    round_id: int, *, actor: Actor, content: str, item_id: int | None = None
) -> SubsidyObjection:
    """Anyone signed in objects to the list during the window."""
    subsidy_round = load_public_round(round_id)
    if subsidy_round.status != "publicity" or not publicity.in_window(
        subsidy_round.publicity_ends_at, now=now()
    ):
        raise Conflict("不在公示期内，不能提出异议")
    if item_id is not None and not any(i.id == item_id for i in subsidy_round.items):
        raise ValidationFailed(errors={"item_id": ["只能对公示名单中的项目提出异议"]})
    with unit_of_work():
        objection = SubsidyObjection(
            round_id=round_id, item_id=item_id, submitted_by=actor.user_id, content=content
        )
        db.session.add(objection)
        db.session.flush()
        audit.record(actor, "subsidy_objection_file", "subsidy_objection", objection.id)
    return objection


def handle_objection(round_id: int, objection_id: int, *, actor: Actor, decision: str, note: str):
    """Staff record how an objection was handled; upheld against an item sets it to 0 with the note."""
    subsidy_round = _staff_round(round_id, actor, "处理异议")
    objection = db.session.get(SubsidyObjection, objection_id)
    if objection is None or objection.round_id != subsidy_round.id:
        raise NotFound("未找到该异议")
    if objection.status != "open":
        raise Conflict("该异议已处理")
    with unit_of_work():
        objection.status, objection.handling_note = decision, note
        objection.handled_by, objection.handled_at = actor.user_id, now()
        item = db.session.get(SubsidyItem, objection.item_id) if objection.item_id else None
        if decision == "upheld" and item is not None:
            item.amount, item.adjust_reason = Decimal(0), f"异议成立：{note}"
        audit.record(actor, "subsidy_objection_handle", "subsidy_objection", objection.id, decision=decision)
    return objection


def list_objections(round_id: int, *, actor: Actor) -> list[SubsidyObjection]:
    """Staff in scope see every objection; anyone else their own."""
    subsidy_round = load_public_round(round_id)
    stmt = select(SubsidyObjection).where(SubsidyObjection.round_id == subsidy_round.id)
    if not (access.is_admin(actor) or access.staff_covers(actor, subsidy_round.region)):
        stmt = stmt.where(SubsidyObjection.submitted_by == actor.user_id)
    return list(db.session.scalars(stmt.order_by(SubsidyObjection.id)))


def approve_round(round_id: int, *, actor: Actor) -> SubsidyRound:
    """After the window, with every objection handled: the final list, ready for payment."""
    subsidy_round = _staff_round(round_id, actor, "审定奖补名单")
    if subsidy_round.status != "publicity":
        raise Conflict("只有公示后的奖补名单可以审定")
    open_count = db.session.scalar(
        select(func.count()).where(SubsidyObjection.round_id == round_id, SubsidyObjection.status == "open")
    )
    publicity.require_closable(
        subsidy_round.publicity_ends_at, open_count or 0, now=now(), what="审定奖补名单"
    )
    with unit_of_work() as uow:
        subsidy_round.status, subsidy_round.approved_at = "approved", now()
        for item in subsidy_round.items:
            item.approved_at = subsidy_round.approved_at
        audit.record(actor, "subsidy_approve", "subsidy_round", subsidy_round.id)
        notify(
            uow,
            "subsidy.approved",
            f"subsidy_round/{subsidy_round.id}@{int(subsidy_round.approved_at.timestamp())}",
        )
    return subsidy_round


def staff_round(round_id: int, *, actor: Actor) -> SubsidyRound:
    """The round with every item, for staff in scope (404 for anyone else before 公示)."""
    subsidy_round = db.session.get(SubsidyRound, round_id)
    if subsidy_round is None:
        raise NotFound("未找到该奖补批次")
    if not (access.is_admin(actor) or access.staff_covers(actor, subsidy_round.region)):
        return load_public_round(round_id)
    return subsidy_round


def list_rounds(*, actor: Actor) -> list[SubsidyRound]:
    """Rounds in my scope (staff) plus every round from 公示 on."""
    rounds = db.session.scalars(select(SubsidyRound).order_by(SubsidyRound.id.desc()))
    mine = lambda r: access.is_admin(actor) or access.staff_covers(actor, r.region)  # noqa: E731
    return [r for r in rounds if mine(r) or r.status in ("publicity", "approved")]
