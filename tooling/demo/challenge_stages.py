"""Later stages of the demo challenges: expert review, 公示, award and delivery, as left by the workflow."""

from __future__ import annotations

import re
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    Acceptance,
    ChallengeApplication,
    ChallengeAward,
    DeliveryMilestone,
    ExpertProfile,
    Objection,
    PaymentTranche,
    ProgressReport,
    ReviewAssignment,
    User,
)
from matchmaker.models.challenges.lists import Challenge
from matchmaker.models.challenges.review import weighted_total
from tooling.demo import challenge_texts as texts

CRITERIA: list[dict[str, Any]] = [
    {"code": "plan", "name": "技术方案先进性与可行性", "weight": 40},
    {"code": "basis", "name": "研究基础与团队实力", "weight": 30},
    {"code": "budget", "name": "经费预算合理性", "weight": 15},
    {"code": "schedule", "name": "进度安排与交付保障", "weight": 15},
]


def _score(*parts: object) -> float:
    """A stable pseudo-random expert score between 70 and 95."""
    return 70 + zlib.crc32("/".join(map(str, parts)).encode()) % 26


def _reviewers(apps: list[ChallengeApplication], poster_org: int) -> list[User]:
    """Three pool experts whose organisation is neither an applicant, a member nor the poster."""
    busy = {poster_org}.union(*(a.org_ids() for a in apps))
    names = {m.org_name for a in apps for m in a.members}
    stmt = select(User).join(ExpertProfile, ExpertProfile.user_id == User.id).order_by(User.id)
    pool = [
        u
        for u in db.session.scalars(stmt).unique()
        if u.org_id not in busy and u.org and u.org.name not in names
    ]
    return pool[:3]


def review(
    challenge: Challenge, apps: list[ChallengeApplication], staff: User, now: datetime, *, complete: bool
) -> None:
    """Assign three experts to every application; all scored, or (while reviewing) only the first expert."""
    closed = challenge.closed_at
    assert closed is not None
    key = re.sub(r"（第\d+批）$", "", challenge.title)  # a later round scores like the first
    for app in apps:
        totals = []
        for n, expert in enumerate(_reviewers(apps, challenge.org_id)):
            done = complete or n == 0
            scores = {c["code"]: _score(key, app.lead_org_id, expert.id, c["code"]) for c in CRITERIA}
            totals.append(weighted_total(scores, CRITERIA) or 0.0)
            db.session.add(
                ReviewAssignment(
                    challenge_id=challenge.id,
                    application_id=app.id,
                    expert_id=expert.id,
                    assigned_by=staff.id,
                    status="submitted" if done else "assigned",
                    scores=scores if done else {},
                    comments={c["code"]: "论证较充分。" for c in CRITERIA} if done else {},
                    overall_comment="方案思路清晰，建议加强工程化验证。" if done else "",
                    total=weighted_total(scores, CRITERIA) if done else None,
                    created_at=closed,
                    submitted_at=closed + timedelta(days=7) if done else None,
                )
            )
        if complete and totals:
            app.score = round(sum(totals) / len(totals), 3)
    if complete:
        for rank, app in enumerate(sorted(apps, key=lambda a: -float(a.score or 0)), start=1):
            app.rank = rank


def publicity(
    challenge: Challenge, apps: list[ChallengeApplication], staff: User, now: datetime, objector: User
) -> None:
    winners = sorted(apps, key=lambda a: a.rank or 99)[: challenge.max_winners]
    if challenge.status == "publicity":  # 公示 ended yesterday: staff can confirm the award now
        challenge.publicity_starts_at, challenge.publicity_ends_at = (
            now - timedelta(days=8),
            now - timedelta(days=1),
        )
    else:
        assert challenge.closed_at is not None
        challenge.publicity_starts_at = challenge.closed_at + timedelta(days=20)
        challenge.publicity_ends_at = challenge.closed_at + timedelta(days=27)
    started = challenge.publicity_starts_at
    assert started is not None
    for app in apps:
        app.status = (
            "proposed"
            if app in winners
            else ("shortlisted" if challenge.status == "publicity" else "not_selected")
        )
    db.session.add(
        Objection(
            challenge_id=challenge.id,
            application_id=winners[0].id,
            submitted_by=objector.id,
            contact_name=objector.name,
            contact_phone=objector.phone or "",
            content=texts.OBJECTION_TEXT,
            status="dismissed",
            handling_note=texts.OBJECTION_NOTE,
            handled_by=staff.id,
            created_at=started + timedelta(days=1),
            handled_at=started + timedelta(days=2),
        )
    )


def award(
    challenge: Challenge, apps: list[ChallengeApplication], staff: User, now: datetime, *, finished: bool
) -> None:
    """Confirm the proposed teams and record their delivery so far."""
    assert challenge.publicity_ends_at is not None
    signed = challenge.publicity_ends_at + timedelta(days=3)
    challenge.status, challenge.awarded_at = ("finished" if finished else "awarded"), signed
    amount = float(challenge.bounty_total or 0) / challenge.max_winners
    for n, app in enumerate(a for a in apps if a.status == "proposed"):
        app.status = "awarded"
        award = ChallengeAward(
            challenge_id=challenge.id,
            application_id=app.id,
            lead_org_id=app.lead_org_id,
            region=challenge.region,
            amount=amount,
            agreement_date=signed.date(),
            agreement_number=f"JBGS-{signed:%Y}-{challenge.id:03d}-{n + 1}",
            due_date=signed.date() + timedelta(days=30 * (challenge.time_limit_months or 12)),
            status="delivering",
            confirmed_by=staff.id,
            confirmed_at=signed,
        )
        db.session.add(award)
        _delivery(
            award, app, staff, signed, now, outcome=("accepted" if n == 0 else "failed") if finished else None
        )
    for app in apps:
        if app.status != "awarded":
            app.status = "not_selected"
    if finished:
        challenge.finished_at = now - timedelta(days=20)


def _delivery(
    award: ChallengeAward,
    app: ChallengeApplication,
    staff: User,
    signed: datetime,
    now: datetime,
    *,
    outcome: str | None,
) -> None:
    """Milestones, tranches, a progress report, the mid-term check and (when finished) acceptance."""
    assert award.due_date is not None and award.amount is not None
    span = (award.due_date - signed.date()).days
    for i, plan in enumerate(app.milestones):
        due = signed.date() + timedelta(days=round(span * (i + 1) / len(app.milestones)))
        done = outcome is not None or due < now.date()
        award.milestones.append(
            DeliveryMilestone(
                position=i,
                title=plan["title"],
                deliverables=plan["deliverable"],
                due_date=due,
                status="accepted" if done else "pending",
                submitted_at=_at(due - timedelta(days=3)) if done else None,
                decided_at=_at(due) if done else None,
            )
        )
    total = float(award.amount)
    stages = [("signing", 0.6), ("midterm", 0.2), ("acceptance", 0.2)]
    for i, (condition, share) in enumerate(stages):
        midterm_done = outcome is not None or (now - signed).days > span // 2 + 7
        paid = condition == "signing" or (condition == "midterm" and midterm_done) or outcome == "accepted"
        award.tranches.append(
            PaymentTranche(
                position=i,
                amount=round(total * share, 2),
                condition=condition,
                status="paid" if paid else "planned",
                paid_at=signed + timedelta(days=10 + 200 * i) if paid else None,
                paid_by=staff.id if paid else None,
            )
        )
    db.session.flush()
    reporter = app.submitted_by
    db.session.add(
        ProgressReport(
            award_id=award.id,
            kind="progress",
            content="已完成方案设计和关键技术验证，正在开展样机研制。",
            submitted_by=reporter,
            created_at=signed + timedelta(days=90),
        )
    )
    if outcome is not None or (now - signed).days > span // 2 + 7:
        db.session.add(
            ProgressReport(
                award_id=award.id,
                kind="midterm",
                content="中期进展：样机完成初步测试，主要指标接近目标值。",
                submitted_by=reporter,
                created_at=signed + timedelta(days=span // 2),
                verdict="pass",
                verdict_note="进度符合计划，同意拨付中期款。",
                decided_by=staff.id,
                decided_at=signed + timedelta(days=span // 2 + 7),
            )
        )
    if outcome is not None:
        _accept(award, staff, outcome, now)


def _accept(award: ChallengeAward, staff: User, outcome: str, now: datetime) -> None:
    ok = outcome == "accepted"
    results = []
    for indicator in award.challenge.indicators:
        target = float(indicator.target)
        better = target * (0.99 if indicator.comparator == "<=" else 1.01)
        worse = target * (1.6 if indicator.comparator == "<=" else 0.95)
        achieved = better if ok or indicator.position == 0 else worse
        results.append(
            {
                "indicator_id": indicator.id,
                "achieved": round(achieved, 3),
                "met": achieved <= target if indicator.comparator == "<=" else achieved >= target,
            }
        )
    held = now.date() - timedelta(days=25)
    db.session.add(
        Acceptance(
            award_id=award.id,
            results=results,
            verdict=outcome,
            held_on=held,
            recorded_by=staff.id,
            panel=[
                {"name": "验收专家组组长 王建国", "title": "正高级工程师", "org": "江苏省计量科学研究院"},
                {"name": "李红", "title": "教授", "org": "南京理工大学"},
                {"name": "赵伟", "title": "高级工程师", "org": "发榜单位技术中心"},
            ],
            note="各项核心指标均达到榜单要求，同意通过验收。" if ok else texts.FAILURE_NOTE,
        )
    )
    award.status, award.closed_at = outcome, _at(held)
    award.outcome_note = "通过验收。" if ok else texts.FAILURE_NOTE


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)
