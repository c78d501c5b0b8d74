"""Staged payments (分期拨付): tranches with amounts and conditions, paid once the condition holds.

Rules: the tranches add up to the award amount; the tranches due at signing come to at least 60%
of it (the usual "签约后拨付不低于60%" term of a 揭榜挂帅 bounty) unless staff record a reason, kept
in the audit log; a tranche is marked paid only once its condition is met (signing: the agreement
is recorded; milestone: that milestone was accepted; midterm: the mid-term check passed;
acceptance: the award passed acceptance).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce as notify
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import ChallengeAward, PaymentTranche, ProgressReport
from matchmaker.services import audit
from matchmaker.services.challenges.lists import now
from matchmaker.services.challenges.stages import decide_award
from matchmaker.services.uow import unit_of_work

TRANCHE_CONDITIONS = {
    "signing": "签订协议后",
    "milestone": "节点验收通过后",
    "midterm": "中期检查通过后",
    "acceptance": "项目验收通过后",
}
SIGNING_MINIMUM = Decimal("0.6")


def _milestone_id(award: ChallengeAward, item: dict[str, Any], index: int) -> int | None:
    if item["condition"] != "milestone":
        return None
    position = item.get("milestone_position")
    if position is None or not 0 <= position < len(award.milestones):
        raise ValidationFailed(
            errors={f"tranches.{index}.milestone_position": ["按节点拨付时须指定有效的节点序号（从 0 开始）"]}
        )
    return award.milestones[position].id


def build_tranches(
    award: ChallengeAward, items: list[dict[str, Any]], reason: str | None
) -> list[PaymentTranche]:
    """Validated tranches for the award (422 on a wrong sum, a low signing share without reason)."""
    amount = Decimal(str(award.amount or 0))
    total = sum((Decimal(str(i["amount"])) for i in items), Decimal(0))
    if abs(total - amount) > Decimal("0.005"):
        raise ValidationFailed(
            errors={"tranches": [f"各期拨付金额合计 {total} 万元，应等于项目经费 {amount} 万元"]}
        )
    signing = sum((Decimal(str(i["amount"])) for i in items if i["condition"] == "signing"), Decimal(0))
    if amount > 0 and signing < amount * SIGNING_MINIMUM and not (reason or "").strip():
        share = round(signing / amount * 100, 1)
        raise ValidationFailed(
            errors={
                "tranches": [f"签约后首期拨付应不低于经费的 60%（现为 {share}%）；如确需低于，请说明理由"]
            }
        )
    return [
        PaymentTranche(
            position=i,
            amount=item["amount"],
            condition=item["condition"],
            milestone_id=_milestone_id(award, item, i),
            status="planned",
            note=item.get("note", ""),
        )
        for i, item in enumerate(items)
    ]


def set_tranches(
    award_id: int, *, actor: Actor, items: list[dict[str, Any]], reason: str | None = None
) -> ChallengeAward:
    """Staff (re)plan the tranches of an award while none has been paid."""
    award = decide_award(award_id, actor=actor, action="安排拨付计划")
    if any(t.status == "paid" for t in award.tranches):
        raise Conflict("已有拨付记录，不能再调整拨付计划")
    with unit_of_work():
        award.tranches = build_tranches(award, items, reason)
        audit.record(
            actor,
            "challenge_tranches_set",
            "challenge_award",
            award.id,
            tranches=[{"amount": float(i["amount"]), "condition": i["condition"]} for i in items],
            below_signing_minimum_reason=reason or None,
        )
    return award


def condition_met(award: ChallengeAward, tranche: PaymentTranche) -> bool:
    """Whether the tranche's condition holds now."""
    if tranche.condition == "signing":
        return award.agreement_date is not None
    if tranche.condition == "milestone":
        return any(m.id == tranche.milestone_id and m.status == "accepted" for m in award.milestones)
    if tranche.condition == "midterm":
        stmt = select(ProgressReport.id).where(
            ProgressReport.award_id == award.id,
            ProgressReport.kind == "midterm",
            ProgressReport.verdict == "pass",
        )
        return db.session.scalar(stmt.limit(1)) is not None
    return award.status == "accepted"


def pay_tranche(award_id: int, tranche_id: int, *, actor: Actor, note: str | None = None) -> ChallengeAward:
    """Staff mark a tranche paid; 409 when already paid or its condition is not met yet."""
    award = decide_award(award_id, actor=actor, action="登记拨付")
    tranche = next((t for t in award.tranches if t.id == tranche_id), None)
    if tranche is None:
        raise NotFound("未找到该拨付计划")
    if tranche.status == "paid":
        raise Conflict("该期经费已拨付")
    if not condition_met(award, tranche):
        raise Conflict(f"拨付条件“{TRANCHE_CONDITIONS[tranche.condition]}”尚未满足")
    with unit_of_work() as uow:
        tranche.status, tranche.paid_at, tranche.paid_by = "paid", now(), actor.user_id
        if note:
            tranche.note = note
        audit.record(actor, "tranche_pay", "payment_tranche", tranche.id, amount=float(tranche.amount))
        notify(uow, "challenge.tranche_paid", f"tranche/{tranche.id}")
    return award
