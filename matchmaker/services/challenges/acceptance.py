"""Acceptance (验收) of an award by a panel against the challenge's core indicators, and its outcome.

Each core indicator gets the achieved value; ``met`` follows from its comparator. ``accepted``
needs every indicator met; ``failed`` needs a failure-tolerance note (容错说明), ``terminated`` a
reason. The award closes with the verdict; once every award of the challenge is closed, the
challenge is ``finished``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from matchmaker.announce import announce as notify
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Acceptance, ChallengeAward, ChallengeIndicator
from matchmaker.services import audit
from matchmaker.services.challenges.lists import now
from matchmaker.services.challenges.stages import decide_award, require_delivering
from matchmaker.services.uow import unit_of_work

ACCEPTANCE_VERDICTS = {"accepted": "通过验收", "failed": "未通过验收（容错）", "terminated": "终止"}


def indicator_met(indicator: ChallengeIndicator, achieved: float) -> bool:
    """Whether the achieved value reaches the target under the indicator's comparator (>=, <=, =)."""
    value, target = Decimal(str(achieved)), Decimal(str(indicator.target))
    if indicator.comparator == "<=":
        return value <= target
    if indicator.comparator == "=":
        return value == target
    return value >= target


def _results(award: ChallengeAward, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    indicators = {i.id: i for i in award.challenge.indicators}
    given = {item["indicator_id"]: item["achieved"] for item in items}
    unknown = sorted(set(given) - set(indicators))
    if unknown:
        raise ValidationFailed(errors={"results": [f"不是该榜单的核心指标：{unknown}"]})
    missing = [i.name for i in indicators.values() if i.id not in given]
    if missing:
        raise ValidationFailed(errors={"results": [f"以下核心指标尚未填写实测值：{'、'.join(missing)}"]})
    return [
        {
            "indicator_id": i.id,
            "name": i.name,
            "comparator": i.comparator,
            "target": float(i.target),
            "unit": i.unit,
            "achieved": float(given[i.id]),
            "met": indicator_met(i, given[i.id]),
        }
        for i in indicators.values()
    ]


def _check_verdict(verdict: str, note: str, results: list[dict[str, Any]]) -> None:
    if verdict == "accepted" and not all(r["met"] for r in results):
        unmet = "、".join(r["name"] for r in results if not r["met"])
        raise ValidationFailed(errors={"verdict": [f"核心指标未全部达到（{unmet}），不能判定为通过验收"]})
    if verdict == "failed" and not note.strip():
        raise ValidationFailed(errors={"note": ["未通过验收时须填写容错说明"]})
    if verdict == "terminated" and not note.strip():
        raise ValidationFailed(errors={"note": ["终止项目时须说明原因"]})


def _close_challenge_if_done(award: ChallengeAward) -> bool:
    stmt = select(ChallengeAward.status).where(ChallengeAward.challenge_id == award.challenge_id)
    if all(status != "delivering" for status in db.session.scalars(stmt)):
        award.challenge.status, award.challenge.finished_at = "finished", now()
        return True
    return False


def record_acceptance(award_id: int, *, actor: Actor, data: dict[str, Any]) -> Acceptance:
    """Staff record the panel's acceptance; the award closes with the verdict (once per award)."""
    award = decide_award(award_id, actor=actor, action="组织项目验收")
    require_delivering(award)
    results = _results(award, data["results"])
    note = data.get("note") or ""
    _check_verdict(data["verdict"], note, results)
    try:
        with unit_of_work() as uow:
            acceptance = Acceptance(
                award_id=award.id,
                panel=data["panel"],
                results=results,
                verdict=data["verdict"],
                note=note,
                recorded_by=actor.user_id,
                held_on=data["held_on"],
            )
            db.session.add(acceptance)
            award.status, award.outcome_note, award.closed_at = data["verdict"], note, now()
            db.session.flush()
            finished = _close_challenge_if_done(award)
            audit.record(
                actor,
                "challenge_acceptance",
                "challenge_award",
                award.id,
                verdict=data["verdict"],
                met=[r["met"] for r in results],
                challenge_finished=finished,
            )
            notify(uow, "challenge.acceptance_recorded", f"award/{award.id}")
    except IntegrityError:
        raise Conflict("该项目已完成验收") from None
    return acceptance


def acceptances_of(award_ids: list[int]) -> dict[int, Acceptance]:
    """Award id -> acceptance record, for the awards that hold one (one query)."""
    held = db.session.scalars(select(Acceptance).where(Acceptance.award_id.in_(award_ids)))
    return {record.award_id: record for record in held}


def acceptance_of(award: ChallengeAward) -> Acceptance | None:
    """The award's acceptance record, if held."""
    return db.session.scalar(select(Acceptance).where(Acceptance.award_id == award.id))
