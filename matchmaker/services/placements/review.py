"""County review, the province's decision, yearly work reports and the end-of-term assessment.

Staff whose scope holds the enterprise's county recommend an agreed placement to the province (推荐)
or decline it, then record what the province decided (立项 / 未立项). During an approved term the
researcher files one work report per year and the enterprise countersigns it; from a month before
the term ends staff assess it (优秀/合格/不合格). Each step is one conditional UPDATE: a concurrent
second decision gets 409.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from matchmaker.announce import announce
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Placement, PlacementReport
from matchmaker.models.common import utcnow
from matchmaker.models.placements import GRADES
from matchmaker.services import audit
from matchmaker.services.placements.access import load_placement, managed, move, parties_of, today
from matchmaker.services.uow import unit_of_work

ASSESS_BEFORE_END = timedelta(days=30)


def review(placement_id: int, *, actor: Actor, decision: str, comment: str | None) -> Placement:
    """County staff recommend the agreed placement to the province, or decline it with a reason."""
    placement = managed(placement_id, actor=actor, action="审核推荐科技副总")
    if decision == "decline" and not (comment and comment.strip()):
        raise ValidationFailed(errors={"comment": ["不予推荐时请说明原因"]})
    to = "recommended" if decision == "recommend" else "declined"
    with unit_of_work() as uow:
        move(
            placement, ("agreed",), "只有三方已确认、尚未审核的选派可以推荐",
            status=to, review_comment=comment or "", recommended_by=actor.user_id, recommended_at=utcnow(),
        )  # fmt: skip
        audit.record(actor, decision, "placement", placement.id, comment=comment)
        cause = "placement.province" if to == "recommended" else "placement.declined"
        announce(uow, cause, f"placement/{placement.id}@{to}")
    return placement


def record_province(placement_id: int, *, actor: Actor, outcome: str, note: str | None) -> Placement:
    """Staff record the province's decision on a recommended placement: 立项 or 未立项."""
    placement = managed(placement_id, actor=actor, action="登记省级立项结果")
    to = "approved" if outcome == "approved" else "not_approved"
    with unit_of_work() as uow:
        move(
            placement, ("recommended",), "只有已推荐、尚无省级结果的选派可以登记立项结果",
            status=to, province_note=note or "", province_decided_by=actor.user_id,
            province_decided_at=utcnow(),
        )  # fmt: skip
        audit.record(actor, f"province_{to}", "placement", placement.id, note=note)
        announce(uow, "placement.province", f"placement/{placement.id}@{to}")
    return placement


def assess(placement_id: int, *, actor: Actor, grade: str, comment: str) -> Placement:
    """Staff assess an approved placement at the end of its term (from a month before it ends)."""
    placement = managed(placement_id, actor=actor, action="考核科技副总")
    if today().date() < placement.ends_on - ASSESS_BEFORE_END:
        raise Conflict(f"任期届满前一个月起方可考核（任期至 {placement.ends_on.isoformat()}）")
    with unit_of_work() as uow:
        move(
            placement, ("approved",), "只有省级立项、尚未考核的选派可以考核",
            status="assessed", grade=grade, assessment_comment=comment, assessed_by=actor.user_id,
            assessed_at=utcnow(),
        )  # fmt: skip
        audit.record(actor, "assess", "placement", placement.id, grade=GRADES[grade])
        announce(uow, "placement.assessed", f"placement/{placement.id}")
    return placement


def file_report(placement_id: int, *, actor: Actor, data: dict) -> PlacementReport:
    """The researcher files the work report for one year of an approved term (once per year)."""
    placement = load_placement(placement_id, actor=actor)
    if "researcher" not in parties_of(actor, placement):
        raise Forbidden("年度工作报告由科技副总本人提交")
    if placement.status != "approved" or today().date() < placement.starts_on:
        raise Conflict("省级立项且任期开始后方可提交年度工作报告")
    if data["year"] > placement.term_years():
        raise ValidationFailed(errors={"year": [f"任期共 {placement.term_years()} 年"]})
    try:
        with unit_of_work():
            row = PlacementReport(placement_id=placement.id, **data)
            db.session.add(row)
            db.session.flush()
            audit.record(actor, "report", "placement", placement.id, year=row.year)
    except IntegrityError:
        raise Conflict(f"第 {data['year']} 年度工作报告已提交") from None
    return row


def countersign(placement_id: int, year: int, *, actor: Actor, comment: str) -> PlacementReport:
    """The enterprise countersigns the researcher's report for a year (once)."""
    placement = load_placement(placement_id, actor=actor)
    if "enterprise" not in parties_of(actor, placement):
        raise Forbidden("年度工作报告由用人企业签署意见")
    row = db.session.scalar(select(PlacementReport).filter_by(placement_id=placement.id, year=year))
    if row is None:
        raise NotFound("该年度工作报告尚未提交")
    with unit_of_work():
        done = db.session.execute(
            update(PlacementReport)
            .where(PlacementReport.id == row.id, PlacementReport.countersigned_at.is_(None))
            .values(countersigned_by=actor.user_id, countersigned_at=utcnow(), enterprise_comment=comment)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict("企业已签署该年度工作报告")
        db.session.refresh(row)
        audit.record(actor, "countersign", "placement", placement.id, year=year)
    return row
