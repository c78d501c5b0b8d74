"""产学研合作项目备案: an enterprise files a cooperation project; staff in scope check it and decide.

The filing can start pre-filled from a connected match (the output's unit is the partner) or from
a 揭榜挂帅 award (the winning team's lead unit, category ``challenge``). The enterprise edits it
while draft or returned and submits it with at least the contract scan; staff tick the checklist
and either return it with reasons or approve it with a 备案编号.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import ChallengeAward, CooperationFiling, FilingAttachment, Match, Organization
from matchmaker.models.common import utcnow
from matchmaker.models.contracts.filings import CHECKLIST
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.contracts import attachments
from matchmaker.services.contracts.register import find
from matchmaker.services.uow import unit_of_work

EDITABLE = ("draft", "returned")


def _prefill(data: dict[str, Any], org_id: int) -> dict[str, Any]:
    if data.get("match_id") is not None:
        match = db.session.get(Match, data["match_id"])
        if match is None or match.need_org_id != org_id or match.connected_at is None:
            raise ValidationFailed(errors={"match_id": ["只能从本企业已对接的匹配发起备案"]})
        base = {
            "title": match.need.title,
            "partner_org_id": match.output_org_id,
            "amount": match.agreement_amount,
        }
        return {k: v for k, v in base.items() if v is not None} | data
    if data.get("challenge_award_id") is not None:
        award = db.session.get(ChallengeAward, data["challenge_award_id"])
        if award is None or award.challenge.org_id != org_id:
            raise ValidationFailed(errors={"challenge_award_id": ["只能从本企业发布的揭榜挂帅项目发起备案"]})
        base = {"title": award.challenge.title, "partner_org_id": award.lead_org_id, "category": "challenge"}
        return base | {"amount": award.amount} | data
    return data


def _apply(filing: CooperationFiling, data: dict[str, Any]) -> None:
    for key, value in data.items():
        setattr(filing, key, value)
    if data.get("partner_org_id") is not None:
        partner = db.session.get(Organization, data["partner_org_id"])
        if partner is None or partner.kind not in ("university", "institute"):
            raise ValidationFailed(errors={"partner_org_id": ["合作方应为平台上的高校或科研院所"]})
        filing.partner_name = partner.name
    if not filing.partner_name:
        raise ValidationFailed(errors={"partner_name": ["请选择或填写合作高校院所"]})
    contract = find(filing.contract_number) if filing.contract_number else None
    filing.contract_id = contract.id if contract else None
    if filing.ends_on and filing.starts_on and filing.ends_on < filing.starts_on:
        raise ValidationFailed(errors={"ends_on": ["结束日期不能早于开始日期"]})
    filing.payments = [
        {"paid_on": p["paid_on"].isoformat(), "amount": float(p["amount"])} for p in data.get("payments", [])
    ] or filing.payments


def create_filing(*, actor: Actor, data: dict[str, Any]) -> CooperationFiling:
    """An enterprise user drafts a filing for their unit (optionally from a match or an award)."""
    org = db.session.get(Organization, actor.org_id) if actor.org_id else None
    if org is None or org.kind != "enterprise":
        raise Forbidden("只有企业可以备案产学研合作项目")
    data = _prefill(dict(data), org.id)
    for required in ("title", "amount"):
        if data.get(required) is None:
            raise ValidationFailed(errors={required: ["必填"]})
    with unit_of_work():
        filing = CooperationFiling(org_id=org.id, region=org.region, status="draft", created_by=actor.user_id)
        filing.partner_name = data.pop("partner_name", "") or ""
        _apply(filing, data)
        db.session.add(filing)
        db.session.flush()
        audit.record(actor, "filing_create", "filing", filing.id)
    return filing


def can_see_filing(actor: Actor, filing: CooperationFiling) -> bool:
    """The filing enterprise, staff in scope and admins."""
    return (
        policy.is_admin(actor)
        or policy.is_member(actor, filing.org_id)
        or policy.staff_covers(actor, filing.region)
    )


def load_filing(filing_id: int, *, actor: Actor) -> CooperationFiling:
    """The filing if the actor may see it (404 otherwise)."""
    filing = db.session.get(CooperationFiling, filing_id)
    if filing is None or not can_see_filing(actor, filing):
        raise NotFound("未找到该备案项目")
    return filing


def _own(filing_id: int, actor: Actor, action: str) -> CooperationFiling:
    filing = load_filing(filing_id, actor=actor)
    if not policy.is_member(actor, filing.org_id):
        raise Forbidden(f"只有备案企业可以{action}")
    if filing.status not in EDITABLE:
        raise Conflict("备案已提交或已通过，不能修改")
    return filing


def update_filing(filing_id: int, *, actor: Actor, data: dict[str, Any]) -> CooperationFiling:
    """The enterprise edits its draft or returned filing."""
    filing = _own(filing_id, actor, "修改备案")
    with unit_of_work():
        _apply(filing, data)
        audit.record(actor, "filing_update", "filing", filing.id, fields=sorted(data))
    return filing


def add_attachment(
    filing_id: int, *, actor: Actor, kind: str, filename: str, content: bytes
) -> FilingAttachment:
    """Attach a contract scan, invoice or payment voucher (PDF or image, at most 5 MB)."""
    filing = _own(filing_id, actor, "上传附件")
    mime = attachments.sniff(content)
    with unit_of_work():
        row = FilingAttachment(
            filing_id=filing.id, kind=kind, filename=filename[:200] or "附件", content_type=mime
        )
        row.size, row.storage_key, row.uploaded_by = len(content), attachments.store(content), actor.user_id
        db.session.add(row)
        db.session.flush()
        audit.record(actor, "filing_attach", "filing", filing.id, attachment=row.id, kind=kind)
    return row


def read_attachment(filing_id: int, attachment_id: int, *, actor: Actor) -> tuple[FilingAttachment, bytes]:
    """An attachment's bytes, for the filing enterprise and staff in scope only."""
    filing = load_filing(filing_id, actor=actor)
    row = db.session.get(FilingAttachment, attachment_id)
    if row is None or row.filing_id != filing.id:
        raise NotFound("未找到该附件")
    return row, attachments.read(row.storage_key)


def submit_filing(filing_id: int, *, actor: Actor) -> CooperationFiling:
    """The enterprise submits the filing for review; the contract scan must be attached."""
    filing = _own(filing_id, actor, "提交备案")
    if not any(a.kind == "contract" for a in filing.attachments):
        raise ValidationFailed(errors={"attachments": ["请先上传合同扫描件"]})
    with unit_of_work() as uow:
        filing.status, filing.submitted_at = "submitted", utcnow()
        audit.record(actor, "filing_submit", "filing", filing.id)
        notify(uow, "filing.submitted", f"filing/{filing.id}@{int(filing.submitted_at.timestamp())}")
    return filing


def _number(filing: CooperationFiling) -> str:
    year = utcnow().year
    prefix = f"CXY{filing.region}{year}"
    count = (
        db.session.scalar(select(func.count()).where(CooperationFiling.filing_number.like(f"{prefix}%"))) or 0
    )
    return f"{prefix}{count + 1:04d}"


def check_filing(
    filing_id: int, *, actor: Actor, checklist: dict[str, bool], decision: str, reasons: list[str]
):
    """Staff in scope tick the checklist, then approve (every item holds) or return it with reasons."""
    filing = load_filing(filing_id, actor=actor)
    if not (policy.is_admin(actor) or policy.staff_covers(actor, filing.region)):
        raise Forbidden("只有备案企业所在地区的科技局工作人员可以审核备案")
    if filing.status != "submitted":
        raise Conflict("只有已提交的备案可以审核")
    failed = [CHECKLIST[key] for key in CHECKLIST if not checklist.get(key)]
    if decision == "approve" and failed:
        raise ValidationFailed(errors={"checklist": [f"以下核查项未通过，不能备案：{'、'.join(failed)}"]})
    if decision == "return" and not (reasons or failed):
        raise ValidationFailed(errors={"reasons": ["退回时请说明原因"]})
    with unit_of_work() as uow:
        filing.checklist, filing.decided_by, filing.decided_at = dict(checklist), actor.user_id, utcnow()
        if decision == "approve":
            filing.status, filing.filing_number, filing.return_reasons = "approved", _number(filing), []
        else:
            filing.status, filing.return_reasons = "returned", [*failed, *reasons]
        audit.record(actor, f"filing_{decision}", "filing", filing.id, checklist=checklist, reasons=reasons)
        cause = "filing.approved" if decision == "approve" else "filing.returned"
        notify(uow, cause, f"filing/{filing.id}@{int(filing.decided_at.timestamp())}")
    return filing


def list_filings(*, actor: Actor, status: str | None = None) -> list[CooperationFiling]:
    """My unit's filings, my region's (staff), or all (admin)."""
    stmt = select(CooperationFiling).order_by(CooperationFiling.id)
    if not policy.is_admin(actor):
        scope = actor.user.region_scope if actor.has_role("staff") and actor.user else None
        conds = [CooperationFiling.org_id == actor.org_id] if actor.org_id else []
        conds += [region_clause(CooperationFiling.region, scope)] if scope else []
        stmt = stmt.where(or_(*conds)) if conds else stmt.where(CooperationFiling.id.is_(None))
    if status:
        stmt = stmt.where(CooperationFiling.status == status)
    return list(db.session.scalars(stmt))
