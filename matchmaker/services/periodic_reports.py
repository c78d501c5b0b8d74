"""Periodic county reports (月报/季报): county staff file and submit, city staff return or approve.

Who: staff whose scope holds the county file, edit and submit its report; staff whose scope holds
the county but is wider (the city) return it with a comment or approve it; admins do both. An
approved report is locked: a correction is a new version, and approving that one supersedes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import PeriodicReport
from matchmaker.models.common import utcnow
from matchmaker.models.periodic_reports import period_days
from matchmaker.queries.audit import register_scope
from matchmaker.services import audit
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy import regions

register_scope("periodic_report", PeriodicReport)
EDITABLE = ("draft", "returned")


def can_file(actor: Actor, region: str) -> bool:
    """Staff whose scope holds the county (and admins) file its report."""
    return policy.is_admin(actor) or policy.staff_covers(actor, region)


def can_review(actor: Actor, report: PeriodicReport) -> bool:
    """Staff over the county (a wider scope than the county itself) and admins review its report."""
    if policy.is_admin(actor):
        return True
    scope = actor.user.region_scope if actor.user is not None else None
    return policy.staff_covers(actor, report.region) and scope != report.region


def load_report(report_id: int, *, actor: Actor) -> PeriodicReport:
    """The report for staff in scope and admins; NotFound for anyone else."""
    report = db.session.get(PeriodicReport, report_id)
    if report is None or not can_file(actor, report.region):
        raise NotFound("未找到该报表")
    return report


def create_report(*, actor: Actor, data: dict[str, Any]) -> PeriodicReport:
    """Open the county's report for a period (one open version per county and period)."""
    region = data.pop("region", None) or (actor.user.region_scope if actor.user else None)
    if not region or not actor.has_role("staff", "admin") or not can_file(actor, region):
        raise Forbidden("只能填报本辖区的报表")
    if regions.level(region) != "county":
        raise ValidationFailed(errors={"region": ["报表按县（区）填报，请选择县（区）"]})
    if period_days(data["period_kind"], data["period"]) is None:
        raise ValidationFailed(errors={"period": ["期次格式应为 2026-11（月报）或 2026-Q4（季报）"]})
    exists = db.session.scalar(
        select(func.count()).select_from(PeriodicReport).filter_by(region=region, period=data["period"])
    )
    if exists:
        raise Conflict("该期报表已存在；已审定的报表请提交更正版本")
    with unit_of_work():
        report = PeriodicReport(region=region, version=1, status="draft", created_by=actor.user_id, **data)
        db.session.add(report)
        db.session.flush()
        audit.record(actor, "create", "periodic_report", report.id, period=report.period)
    return report


def _editable(report_id: int, actor: Actor) -> PeriodicReport:
    report = load_report(report_id, actor=actor)
    if report.status not in EDITABLE:
        raise Conflict("已提交或已审定的报表不能修改；已审定的报表请提交更正版本")
    return report


def update_report(report_id: int, *, actor: Actor, data: dict[str, Any]) -> PeriodicReport:
    """Change the manual fields or the summary of a draft or returned report."""
    report = _editable(report_id, actor)
    with unit_of_work():
        for key, value in data.items():
            setattr(report, key, value)
        audit.record(actor, "update", "periodic_report", report.id, fields=sorted(data))
    return report


def submit(
    report_id: int, *, actor: Actor, figures: Callable[[PeriodicReport], dict[str, Any]]
) -> PeriodicReport:
    """Freeze the platform figures (``figures`` computes them) and send the report to the city."""
    report = _editable(report_id, actor)
    with unit_of_work():
        report.figures = figures(report)
        report.status, report.submitted_by, report.submitted_at = "submitted", actor.user_id, utcnow()
        audit.record(actor, "submit", "periodic_report", report.id)
    return report


def review(report_id: int, *, actor: Actor, decision: str, comment: str | None) -> PeriodicReport:
    """The city approves (locking it, superseding earlier versions) or returns it with a comment."""
    report = load_report(report_id, actor=actor)
    if not can_review(actor, report):
        raise Forbidden("报表由上级科技局审核")
    if report.status != "submitted":
        raise Conflict("只有已提交的报表可以审核")
    if decision == "return" and not (comment and comment.strip()):
        raise ValidationFailed(errors={"comment": ["退回时请填写修改意见"]})
    with unit_of_work():
        report.reviewed_by, report.reviewed_at = actor.user_id, utcnow()
        report.status, report.comment = (
            ("approved", "") if decision == "approve" else ("returned", comment or "")
        )
        if decision == "approve":
            older = select(PeriodicReport).filter_by(
                region=report.region, period=report.period, status="approved"
            )
            for row in db.session.scalars(older.where(PeriodicReport.id != report.id)):
                row.status = "superseded"
        audit.record(actor, decision, "periodic_report", report.id, comment=comment)
    return report


def correct(report_id: int, *, actor: Actor) -> PeriodicReport:
    """A new draft version of an approved report, carrying its manual fields and summary."""
    report = load_report(report_id, actor=actor)
    if report.status != "approved":
        raise Conflict("只有已审定的报表需要提交更正版本")
    latest = db.session.scalar(
        select(func.max(PeriodicReport.version)).filter_by(region=report.region, period=report.period)
    )
    if latest != report.version:
        raise Conflict("该报表已有更正版本")
    with unit_of_work():
        fresh = PeriodicReport(
            region=report.region, period_kind=report.period_kind, period=report.period,
            version=report.version + 1, status="draft", manual=list(report.manual),
            summary=report.summary, created_by=actor.user_id,
        )  # fmt: skip
        db.session.add(fresh)
        db.session.flush()
        audit.record(actor, "correct", "periodic_report", fresh.id, corrects=report.id)
    return fresh


def list_reports(*, actor: Actor, period: str | None) -> list[PeriodicReport]:
    """Reports of the actor's region, newest period first."""
    if not actor.has_role("staff", "admin"):
        raise Forbidden("只有科技局工作人员可以查看报表")
    stmt = select(PeriodicReport).order_by(
        PeriodicReport.period.desc(), PeriodicReport.region, PeriodicReport.version
    )
    if period:
        stmt = stmt.where(PeriodicReport.period == period)
    return [r for r in db.session.scalars(stmt) if can_file(actor, r.region)]
