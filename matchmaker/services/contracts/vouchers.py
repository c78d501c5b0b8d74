"""创新券 (innovation vouchers): batches, service providers, applications, issue, redemption, expiry.

The budget is guarded in the database: issuing is one conditional UPDATE
(``committed + amount <= budget``) on the batch row, so two officers approving at the same moment
can never overspend it, and the CHECK constraint on the table refuses any write that would.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select, update

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Organization, Voucher, VoucherBatch, VoucherProvider
from matchmaker.models.common import CHINA, utcnow
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy import regions, vocab

PROVIDER_KINDS = ("university", "institute", "enterprise", "agency")


def _today() -> date:
    return datetime.now(CHINA).date()


def _staff_for(actor: Actor, region: str, action: str) -> None:
    if not (policy.is_admin(actor) or policy.staff_covers(actor, region)):
        raise Forbidden(f"只有所在地区的科技局工作人员可以{action}")


def create_batch(*, actor: Actor, data: dict[str, Any]) -> VoucherBatch:
    """Staff open a yearly batch with its budget, per-voucher cap, eligibility and validity."""
    _staff_for(actor, data["region"], "设立创新券批次")
    with unit_of_work():
        batch = VoucherBatch(**data, committed=0, paid_out=0, status="open", created_by=actor.user_id)
        db.session.add(batch)
        db.session.flush()
        audit.record(actor, "voucher_batch_create", "voucher_batch", batch.id, budget=float(data["budget"]))
    return batch


def load_batch(batch_id: int) -> VoucherBatch:
    """A batch (batches are public: the notice says who may apply)."""
    batch = db.session.get(VoucherBatch, batch_id)
    if batch is None:
        raise NotFound("未找到该创新券批次")
    return batch


def list_batches() -> list[VoucherBatch]:
    """Every batch, newest first."""
    return list(db.session.scalars(select(VoucherBatch).order_by(VoucherBatch.id.desc())))


def register_provider(*, actor: Actor, services: str) -> VoucherProvider:
    """A university, institute or testing lab asks to be a voucher service provider."""
    org = db.session.get(Organization, actor.org_id) if actor.org_id else None
    if org is None or org.kind not in PROVIDER_KINDS:
        raise Forbidden("只有高校、科研院所或检验检测机构等单位可以申请成为服务机构")
    if db.session.scalar(select(VoucherProvider).where(VoucherProvider.org_id == org.id)):
        raise Conflict("本单位已申请过服务机构")
    with unit_of_work():
        provider = VoucherProvider(org_id=org.id, services=services, status="pending")
        db.session.add(provider)
        db.session.flush()
        audit.record(actor, "voucher_provider_apply", "voucher_provider", provider.id)
    return provider


def decide_provider(provider_id: int, *, actor: Actor, approve: bool) -> VoucherProvider:
    """Staff in the provider's region approve or refuse it."""
    provider = db.session.get(VoucherProvider, provider_id)
    if provider is None:
        raise NotFound("未找到该服务机构")
    _staff_for(actor, provider.org.region, "审核服务机构")
    with unit_of_work():
        provider.status = "approved" if approve else "rejected"
        provider.decided_by, provider.decided_at = actor.user_id, utcnow()
        audit.record(
            actor, "voucher_provider_decide", "voucher_provider", provider.id, status=provider.status
        )
    return provider


def list_providers(*, status: str | None = None) -> list[VoucherProvider]:
    """Providers (the approved ones are what enterprises choose from)."""
    stmt = select(VoucherProvider).order_by(VoucherProvider.id)
    return list(db.session.scalars(stmt.where(VoucherProvider.status == status) if status else stmt))


def _check_eligible(batch: VoucherBatch, org: Organization) -> None:
    if org.kind != "enterprise":
        raise Forbidden("只有企业可以申领创新券")
    if not regions.within(batch.region, org.region):
        raise Forbidden("贵单位不在该批次的申领范围内")
    held = {q.get("code") if isinstance(q, dict) else q for q in org.qualifications or []}
    if batch.qualifications and not held & set(batch.qualifications):
        names = "、".join(vocab.QUALIFICATIONS.get(q, q) for q in batch.qualifications)
        raise Forbidden(f"该批次仅限{names}申领")


def apply(batch_id: int, *, actor: Actor, amount: Decimal, purpose: str) -> Voucher:
    """An eligible enterprise applies for a voucher (once per batch)."""
    batch = load_batch(batch_id)
    org = db.session.get(Organization, actor.org_id) if actor.org_id else None
    if org is None:
        raise Forbidden("只有企业可以申领创新券")
    _check_eligible(batch, org)
    if batch.status != "open" or batch.valid_until < _today():
        raise Conflict("该批次已停止申领")
    if amount > batch.max_amount:
        raise ValidationFailed(errors={"amount": [f"单张创新券额度不超过 {batch.max_amount:g} 万元"]})
    if db.session.scalar(select(Voucher.id).where(Voucher.batch_id == batch.id, Voucher.org_id == org.id)):
        raise Conflict("贵单位已申领过本批次创新券")
    with unit_of_work() as uow:
        voucher = Voucher(batch_id=batch.id, org_id=org.id, region=org.region, requested_amount=amount)
        voucher.purpose, voucher.status = purpose, "applied"
        db.session.add(voucher)
        db.session.flush()
        audit.record(actor, "voucher_apply", "voucher", voucher.id, amount=float(amount))
        notify(uow, "voucher.applied", f"voucher/{voucher.id}")
    return voucher


def can_see_voucher(actor: Actor, voucher: Voucher) -> bool:
    """The enterprise, its chosen provider, staff in scope of the enterprise, admins."""
    if policy.is_admin(actor) or policy.is_member(actor, voucher.org_id):
        return True
    provider = db.session.get(VoucherProvider, voucher.provider_id) if voucher.provider_id else None
    return policy.staff_covers(actor, voucher.region) or (
        provider is not None and policy.is_member(actor, provider.org_id)
    )


def load_voucher(voucher_id: int, *, actor: Actor) -> Voucher:
    """The voucher if the actor may see it (404 otherwise)."""
    voucher = db.session.get(Voucher, voucher_id)
    if voucher is None or not can_see_voucher(actor, voucher):
        raise NotFound("未找到该创新券")
    return voucher


def list_vouchers(*, actor: Actor, batch_id: int | None = None, status: str | None = None) -> list[Voucher]:
    """Mine (an enterprise's), or my region's (staff), or all (admin)."""
    stmt = select(Voucher).order_by(Voucher.id)
    if not policy.is_admin(actor):
        scope = actor.user.region_scope if actor.has_role("staff") and actor.user else None
        conds = [Voucher.org_id == actor.org_id] if actor.org_id else []
        conds += [region_clause(Voucher.region, scope)] if scope else []
        stmt = stmt.where(or_(*conds)) if conds else stmt.where(Voucher.id.is_(None))
    if batch_id is not None:
        stmt = stmt.where(Voucher.batch_id == batch_id)
    if status is not None:
        stmt = stmt.where(Voucher.status == status)
    return list(db.session.scalars(stmt))


def _move(voucher: Voucher, frm: str, to: str, **values: Any) -> None:
    """Change the voucher's status only if it is still ``frm`` (a second, concurrent decision gets 409)."""
    done = db.session.execute(
        update(Voucher).where(Voucher.id == voucher.id, Voucher.status == frm).values(status=to, **values)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("该创新券状态已变化，请刷新后重试")


def _reserve(batch_id: int, amount: Decimal) -> None:
    """Reserve the amount in the batch, only if the budget still holds it (one conditional UPDATE)."""
    B = VoucherBatch
    done = db.session.execute(
        update(B)
        .where(B.id == batch_id, B.status == "open", B.committed + amount <= B.budget)
        .values(committed=B.committed + amount)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("本批次创新券预算余额不足，不能再发放该额度")


def _give_back(batch_id: int, amount: Decimal, paid: Decimal = Decimal(0)) -> None:
    B = VoucherBatch
    db.session.execute(
        update(B).where(B.id == batch_id).values(committed=B.committed - amount, paid_out=B.paid_out + paid)
    )


def issue(voucher_id: int, *, actor: Actor, amount: Decimal, valid_until: date | None = None) -> Voucher:
    """Staff approve an application and issue the voucher; the batch's budget is never overspent."""
    voucher = load_voucher(voucher_id, actor=actor)
    _staff_for(actor, voucher.region, "发放创新券")
    batch = voucher.batch
    if amount > batch.max_amount:
        raise ValidationFailed(errors={"amount": [f"单张创新券额度不超过 {batch.max_amount:g} 万元"]})
    until = valid_until or batch.valid_until
    with unit_of_work() as uow:
        code = f"CXQ{batch.year}{voucher.id:05d}{secrets.token_hex(2).upper()}"
        _move(voucher, "applied", "issued", amount=amount, valid_until=until, issued_at=utcnow(), code=code)
        _reserve(batch.id, amount)
        audit.record(actor, "voucher_issue", "voucher", voucher.id, amount=float(amount))
        notify(uow, "voucher.issued", f"voucher/{voucher.id}")
    db.session.refresh(voucher)
    return voucher


def reject(voucher_id: int, *, actor: Actor, reason: str) -> Voucher:
    """Staff refuse an application, with the reason the enterprise reads."""
    voucher = load_voucher(voucher_id, actor=actor)
    _staff_for(actor, voucher.region, "审核创新券申请")
    with unit_of_work() as uow:
        _move(voucher, "applied", "rejected", reject_reason=reason)
        audit.record(actor, "voucher_reject", "voucher", voucher.id, reason=reason)
        notify(uow, "voucher.rejected", f"voucher/{voucher.id}")
    db.session.refresh(voucher)
    return voucher


def claim(voucher_id: int, *, actor: Actor, data: dict[str, Any]) -> Voucher:
    """The enterprise records the service bought from an approved provider and claims redemption (兑现)."""
    voucher = load_voucher(voucher_id, actor=actor)
    if not policy.is_member(actor, voucher.org_id):
        raise Forbidden("只有持券企业可以申请兑现")
    provider = db.session.get(VoucherProvider, data["provider_id"])
    if provider is None or provider.status != "approved":
        raise ValidationFailed(errors={"provider_id": ["请选择已审核通过的服务机构"]})
    if voucher.status == "issued" and voucher.valid_until and voucher.valid_until < _today():
        raise Conflict("该创新券已过有效期")
    if voucher.amount is not None and data["amount"] > voucher.amount:
        raise ValidationFailed(errors={"amount": [f"兑现金额不能超过券面额 {voucher.amount:g} 万元"]})
    service = {k: data[k] for k in ("contract_number", "invoice_number", "report") if k in data}
    with unit_of_work() as uow:
        _move(
            voucher,
            "issued",
            "claimed",
            provider_id=provider.id,
            service=service,
            claim_amount=data["amount"],
        )
        db.session.execute(update(Voucher).where(Voucher.id == voucher.id).values(claimed_at=utcnow()))
        audit.record(actor, "voucher_claim", "voucher", voucher.id, amount=float(data["amount"]))
        notify(uow, "voucher.claimed", f"voucher/{voucher.id}")
    db.session.refresh(voucher)
    return voucher


def pay_out(voucher_id: int, *, actor: Actor, amount: Decimal) -> Voucher:
    """Staff verify the claim and record the payout; what the voucher did not use returns to the budget."""
    voucher = load_voucher(voucher_id, actor=actor)
    _staff_for(actor, voucher.region, "核准创新券兑现")
    if voucher.claim_amount is not None and amount > voucher.claim_amount:
        raise ValidationFailed(errors={"amount": ["核准金额不能超过申请兑现金额"]})
    with unit_of_work() as uow:
        _move(voucher, "claimed", "redeemed", payout_amount=amount, redeemed_at=utcnow())
        _give_back(voucher.batch_id, Decimal(voucher.amount or 0) - amount, paid=amount)
        audit.record(actor, "voucher_payout", "voucher", voucher.id, amount=float(amount))
        notify(uow, "voucher.redeemed", f"voucher/{voucher.id}")
    db.session.refresh(voucher)
    return voucher


def expire_vouchers(*, actor: Actor, today: date | None = None) -> int:
    """Issued vouchers past their validity expire and give their amount back to the batch."""
    day = today or _today()
    due = list(
        db.session.scalars(select(Voucher).where(Voucher.status == "issued", Voucher.valid_until < day))
    )
    with unit_of_work() as uow:
        for voucher in due:
            _move(voucher, "issued", "expired", expired_at=utcnow())
            _give_back(voucher.batch_id, Decimal(voucher.amount or 0))
            audit.record(actor, "voucher_expire", "voucher", voucher.id)
            notify(uow, "voucher.expired", f"voucher/{voucher.id}")
    return len(due)


def remind_expiring(*, days: int = 30, today: date | None = None) -> int:
    """Tell holders of issued vouchers that expire within ``days`` (each voucher once)."""
    day = today or _today()
    stmt = select(Voucher).where(
        Voucher.status == "issued",
        Voucher.reminded_at.is_(None),
        Voucher.valid_until <= day + timedelta(days=days),
    )
    due = list(db.session.scalars(stmt))
    with unit_of_work() as uow:
        for voucher in due:
            voucher.reminded_at = utcnow()
            notify(uow, "voucher.expiring", f"voucher/{voucher.id}")
    return len(due)
