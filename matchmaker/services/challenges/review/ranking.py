"""Ranking of challenge applications by the weighted average of submitted reviews, and the shortlist."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, NotFound
from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication, ReviewAssignment
from matchmaker.services import audit
from matchmaker.services.challenges.stages import (
    application_of,
    decide_challenge,
    require_status,
    reviewed_applications,
    staff_read_challenge,
)
from matchmaker.services.uow import unit_of_work

AFTER_REVIEW = ("publicity", "awarded", "finished")


def _submitted_totals(challenge_id: int) -> dict[int, list[float]]:
    stmt = select(ReviewAssignment.application_id, ReviewAssignment.total).where(
        ReviewAssignment.challenge_id == challenge_id,
        ReviewAssignment.status == "submitted",
        ReviewAssignment.total.is_not(None),
    )
    totals: dict[int, list[float]] = {}
    for application_id, total in db.session.execute(stmt):
        totals.setdefault(application_id, []).append(float(total or 0))
    return totals


def recompute_ranking(challenge: Challenge) -> None:
    """Store each application's average of submitted weighted totals and its rank (1 = best)."""
    totals = _submitted_totals(challenge.id)
    applications = reviewed_applications(challenge)
    for application in applications:
        scores = totals.get(application.id)
        application.score = round(sum(scores) / len(scores), 3) if scores else None
        application.rank = None
    scored = sorted(
        (a for a in applications if a.score is not None), key=lambda a: (-float(a.score or 0), a.id)
    )
    for position, application in enumerate(scored, start=1):
        application.rank = position


def _row(application: ChallengeApplication, totals: list[float]) -> dict[str, Any]:
    return {
        "application_id": application.id,
        "lead_org_name": application.lead_org.name,
        "status": application.status,
        "score": float(application.score) if application.score is not None else None,
        "rank": application.rank,
        "reviews": len(totals),
        "spread": round(max(totals) - min(totals), 3) if totals else None,
    }


def ranking(challenge_id: int, *, actor: Actor) -> dict[str, Any]:
    """Applications best first with review count and spread (max − min): staff in scope only."""
    challenge = staff_read_challenge(challenge_id, actor=actor)
    totals = _submitted_totals(challenge.id)
    rows = [_row(a, totals.get(a.id, [])) for a in reviewed_applications(challenge)]
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["application_id"]))
    return {"challenge_id": challenge.id, "criteria": challenge.criteria or [], "items": rows}


def shortlist(challenge_id: int, *, actor: Actor, application_ids: list[int]) -> dict[str, Any]:
    """Staff mark exactly these applications shortlisted (others under review go back to submitted)."""
    challenge = decide_challenge(challenge_id, actor=actor, action="确定入围名单")
    require_status(challenge, "reviewing", message="只有评审阶段可以调整入围名单")
    chosen = {application_of(challenge, i, field="application_ids").id for i in application_ids}
    with unit_of_work():
        for application in reviewed_applications(challenge):
            if application.status in ("submitted", "shortlisted"):
                application.status = "shortlisted" if application.id in chosen else "submitted"
            elif application.id in chosen:
                raise Conflict(f"申请 {application.id} 已不在评审中")
        audit.record(actor, "challenge_shortlist", "challenge", challenge.id, application_ids=sorted(chosen))
    return ranking(challenge.id, actor=actor)


def my_result(challenge_id: int, *, actor: Actor) -> dict[str, Any]:
    """The actor's own application's review summary (score, rank, averages), once 公示 has started."""
    challenge = db.session.get(Challenge, challenge_id)
    stmt = select(ChallengeApplication).where(ChallengeApplication.challenge_id == challenge_id)
    mine = [a for a in db.session.scalars(stmt).unique() if policy.is_applicant(actor, a)]
    if challenge is None or not mine:
        raise NotFound("未找到您单位对该榜单的申请")
    if challenge.status not in AFTER_REVIEW:
        raise Conflict("评审结果尚未公布")
    application = mine[0]
    reviews = select(ReviewAssignment).where(
        ReviewAssignment.application_id == application.id, ReviewAssignment.status == "submitted"
    )
    rows = list(db.session.scalars(reviews).unique())
    averages = {
        c["code"]: round(sum(float(r.scores[c["code"]]) for r in rows) / len(rows), 2) if rows else None
        for c in challenge.criteria or []
    }
    return {
        "application_id": application.id,
        "status": application.status,
        "score": float(application.score) if application.score is not None else None,
        "rank": application.rank,
        "ranked": sum(1 for a in reviewed_applications(challenge) if a.rank is not None),
        "reviews": len(rows),
        "criteria": [{**c, "average": averages[c["code"]]} for c in challenge.criteria or []],
        "comments": [r.overall_comment for r in rows if r.overall_comment],
    }
