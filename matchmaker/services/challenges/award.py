"""公示 and award (挂帅): propose the winners, take objections during the window, confirm the award.

揭榜挂帅 mode (``single``) names exactly one team; 赛马 mode (``race``) one to ``max_winners`` teams
that then work in parallel. An upheld objection against a proposed team removes it; staff may
propose another and restart 公示. After the window, with no open objection, staff confirm the
award: one ``ChallengeAward`` per winner with the agreement, milestones and payment tranches.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication, ChallengeAward, DeliveryMilestone, Objection
from matchmaker.services import audit, publicity
from matchmaker.services.challenges.lists import load_challenge, now
from matchmaker.services.challenges.payments import build_tranches
from matchmaker.services.challenges.stages import (
    add_months,
    application_of,
    decide_challenge,
    end_of_local_day,
    local_today,
    require_status,
    reviewed_applications,
)
from matchmaker.services.uow import unit_of_work

AFTER_REVIEW = ("publicity", "awarded", "finished")


def _check_winner_count(challenge: Challenge, count: int) -> None:
    if challenge.mode == "single" and count != 1:
        raise ValidationFailed(errors={"application_ids": ["揭榜挂帅模式只能确定一个揭榜团队"]})
    if challenge.mode == "race" and not 1 <= count <= challenge.max_winners:
        raise ValidationFailed(
            errors={"application_ids": [f"赛马制榜单可确定 1 至 {challenge.max_winners} 个团队"]}
        )


def open_objections(challenge_id: int) -> int:
    """How many objections to the challenge are still unhandled."""
    stmt = select(Objection.id).where(Objection.challenge_id == challenge_id, Objection.status == "open")
    return len(list(db.session.scalars(stmt)))


def start_publicity(
    challenge_id: int, *, actor: Actor, application_ids: list[int], ends_on: date | None = None
) -> Challenge:
    """Staff propose the winner(s) and open the 公示 window (default five working days)."""
    challenge = decide_challenge(challenge_id, actor=actor, action="确定拟揭榜团队并公示")
    require_status(challenge, "reviewing", "publicity", message="只有评审阶段或公示期内可以确定拟揭榜团队")
    if open_objections(challenge.id):
        raise Conflict("尚有未处理的异议，请先处理异议")
    chosen = {application_of(challenge, i, field="application_ids").id for i in application_ids}
    _check_winner_count(challenge, len(chosen))
    end = publicity.window_end(ends_on, today=local_today())
    with unit_of_work() as uow:
        for application in reviewed_applications(challenge):
            if application.id in chosen and application.status not in (
                "submitted",
                "shortlisted",
                "proposed",
            ):
                raise Conflict(f"申请 {application.id} 已被取消揭榜资格，不能再次公示")
            if application.id in chosen:
                application.status = "proposed"
            elif application.status == "proposed":
                application.status = "shortlisted"
        challenge.status, challenge.publicity_starts_at = "publicity", now()
        challenge.publicity_ends_at = end_of_local_day(end)
        audit.record(
            actor,
            "challenge_publicity",
            "challenge",
            challenge.id,
            application_ids=sorted(chosen),
            ends_on=end.isoformat(),
        )
        stamp = int(challenge.publicity_starts_at.timestamp())
        notify(uow, "challenge.publicity", f"challenge/{challenge.id}@{stamp}")
    return challenge


def _in_window(challenge: Challenge) -> bool:
    return challenge.status == "publicity" and publicity.in_window(challenge.publicity_ends_at, now=now())


def file_objection(challenge_id: int, *, actor: Actor, **data: Any) -> Objection:
    """Anyone signed in files an objection (异议) to the proposed winners during the 公示 window."""
    challenge = load_challenge(challenge_id, actor=actor)
    if not _in_window(challenge):
        raise Conflict("不在公示期内，不能提出异议")
    application_id = data.get("application_id")
    if application_id is not None:
        application = db.session.get(ChallengeApplication, application_id)
        if (
            application is None
            or application.challenge_id != challenge.id
            or application.status != "proposed"
        ):
            raise ValidationFailed(errors={"application_id": ["只能对公示中的拟揭榜团队提出异议"]})
    with unit_of_work() as uow:
        objection = Objection(challenge_id=challenge.id, submitted_by=actor.user_id, status="open", **data)
        db.session.add(objection)
        db.session.flush()
        audit.record(actor, "objection_file", "objection", objection.id, challenge_id=challenge.id)
        notify(uow, "challenge.objection_filed", f"objection/{objection.id}")
    return objection


def list_objections(challenge_id: int, *, actor: Actor) -> list[Objection]:
    """Staff in scope see every objection to the challenge; anyone else only their own."""
    challenge = load_challenge(challenge_id, actor=actor)
    stmt = select(Objection).where(Objection.challenge_id == challenge.id)
    if not policy.can_review_challenge(actor, challenge):
        stmt = stmt.where(Objection.submitted_by == actor.user_id)
    return list(db.session.scalars(stmt.order_by(Objection.id)))


def handle_objection(
    challenge_id: int, objection_id: int, *, actor: Actor, decision: str, note: str
) -> Objection:
    """Staff record how an objection was handled; upheld against a proposed team removes that team."""
    challenge = decide_challenge(challenge_id, actor=actor, action="处理异议")
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.challenge_id != challenge.id:
        raise NotFound("未找到该异议")
    if objection.status != "open":
        raise Conflict("该异议已处理")
    with unit_of_work() as uow:
        objection.status, objection.handling_note = decision, note
        objection.handled_by, objection.handled_at = actor.user_id, now()
        removed = None
        if decision == "upheld" and objection.application_id is not None:
            application = db.session.get(ChallengeApplication, objection.application_id)
            if application is not None and application.status == "proposed":
                application.status, removed = "not_selected", application.id
        audit.record(
            actor,
            "objection_handle",
            "objection",
            objection.id,
            decision=decision,
            removed_application=removed,
        )
        notify(uow, "challenge.objection_handled", f"objection/{objection.id}")
    return objection


def _milestones(application: ChallengeApplication, signed: date, given: list[dict] | None):
    if given is not None:
        items = given
    else:
        items = [
            {
                "title": m.get("title", ""),
                "deliverables": m.get("deliverable", ""),
                "due_date": add_months(signed, int(m.get("months") or 0)),
            }
            for m in application.milestones or []
        ]
    return [DeliveryMilestone(position=i, status="pending", **m) for i, m in enumerate(items)]


def _new_award(challenge: Challenge, application: ChallengeApplication, data: dict, actor: Actor):
    signed = data["agreement_date"]
    due = data.get("due_date") or add_months(signed, challenge.time_limit_months or 12)
    award = ChallengeAward(
        challenge_id=challenge.id,
        application_id=application.id,
        lead_org_id=application.lead_org_id,
        region=challenge.region,
        amount=data["amount"],
        agreement_date=signed,
        agreement_number=data.get("agreement_number"),
        due_date=due,
        status="delivering",
        confirmed_by=actor.user_id,
        confirmed_at=now(),
    )
    award.milestones = _milestones(application, signed, data.get("milestones"))
    db.session.add(award)
    db.session.flush()  # milestone ids, which milestone tranches refer to
    if data.get("tranches"):
        award.tranches = build_tranches(award, data["tranches"], data.get("tranche_reason"))
    return award


def confirm_award(challenge_id: int, *, actor: Actor, awards: list[dict[str, Any]]) -> list[ChallengeAward]:
    """After 公示 with no open objection: record each winner's agreement; the others are not selected."""
    challenge = decide_challenge(challenge_id, actor=actor, action="确认揭榜结果")
    require_status(challenge, "publicity", message="只有公示期结束后才能确认揭榜结果")
    publicity.require_closable(
        challenge.publicity_ends_at, open_objections(challenge.id), now=now(), what="确认揭榜结果"
    )
    proposed = {a.id: a for a in reviewed_applications(challenge) if a.status == "proposed"}
    if not proposed:
        raise Conflict("当前没有公示中的拟揭榜团队，请重新确定并公示")
    given = [a["application_id"] for a in awards]
    if len(set(given)) != len(given) or set(given) != set(proposed):
        raise ValidationFailed(errors={"awards": ["须且只须为每个公示无异议的拟揭榜团队登记协议"]})
    created = []
    with unit_of_work() as uow:
        for data in awards:
            created.append(_new_award(challenge, proposed[data["application_id"]], data, actor))
        for application in reviewed_applications(challenge):
            application.status = "awarded" if application.id in proposed else "not_selected"
        challenge.status, challenge.awarded_at = "awarded", now()
        db.session.flush()
        audit.record(actor, "challenge_award", "challenge", challenge.id, awards=[a.id for a in created])
        notify(uow, "challenge.awarded", f"challenge/{challenge.id}")
    return created


def result(challenge_id: int, *, actor: Actor) -> dict[str, Any]:
    """The public result once 公示 has started: the proposed or awarded teams, never other applications."""
    challenge = load_challenge(challenge_id, actor=actor)
    if challenge.status not in AFTER_REVIEW:
        raise NotFound("该榜单尚未公示揭榜结果")
    winners = [a for a in reviewed_applications(challenge) if a.status in ("proposed", "awarded")]
    return {
        "challenge_id": challenge.id,
        "title": challenge.title,
        "mode": challenge.mode,
        "status": challenge.status,
        "publicity_starts_at": challenge.publicity_starts_at,
        "publicity_ends_at": challenge.publicity_ends_at,
        "teams": [
            {
                "lead_org_name": a.lead_org.name,
                "members": [m.org_name for m in a.members],
                "pi_name": a.pi_name,
                "status": a.status,
                "score": float(a.score) if a.score is not None else None,
            }
            for a in winners
        ],
    }
