"""Loaders of the later challenge stages' causes: who hears about a review, 公示, award or delivery step.

Experts in blind review hear only the challenge's title, never the applicant's name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import (
    Challenge,
    ChallengeApplication,
    ChallengeAward,
    DeliveryMilestone,
    ExtensionRequest,
    Objection,
    PaymentTranche,
    ProgressReport,
    ReviewAssignment,
    User,
)
from matchmaker.notifications.causes.builtin import link, org_users, ref_id, staff_in
from matchmaker.notifications.causes.registry import Event
from matchmaker.queries.challenges import reviewed_applications

Loader = Callable[[str, Mapping[str, Any]], Event | None]


def team_users(application: ChallengeApplication) -> list[int]:
    """Members of the lead unit and of every consortium member on the platform."""
    return org_users(sorted(application.org_ids()))


def _base(challenge: Challenge) -> dict[str, Any]:
    return {"title": challenge.title, "link": link(f"/challenges/{challenge.id}")}


def _by_team(challenge: Challenge, label_of: Callable[[ChallengeApplication], str]) -> Event:
    """Every applicant team hears its own outcome; the posting unit hears the list."""
    teams = reviewed_applications(challenge)
    outcome = {uid: label_of(a) for a in teams for uid in team_users(a)}
    winners = "、".join(a.lead_org.name for a in teams if a.status in ("proposed", "awarded"))
    poster = org_users([challenge.org_id])

    def per_user(user: User) -> dict[str, Any]:
        """The reader's own team's outcome, or the winners for the posting unit."""
        return {"outcome": outcome.get(user.id) or f"揭榜团队：{winners}"}

    return Event(recipients=sorted(set(outcome) | set(poster)), context=_base(challenge), per_user=per_user)


def load_assignment(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The assigned expert (blind-safe context)."""
    assignment = db.session.get(ReviewAssignment, ref_id(ref))
    if assignment is None:
        return None
    challenge = assignment.application.challenge
    return Event(recipients=[assignment.expert_id], context=_base(challenge))


def load_assignment_for_staff(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear that an expert submitted or declined."""
    assignment = db.session.get(ReviewAssignment, ref_id(ref))
    if assignment is None:
        return None
    challenge = assignment.application.challenge
    context = {**_base(challenge), "expert": assignment.expert.name}
    return Event(recipients=staff_in(challenge.region), context=context)


def load_publicity(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Applicant teams (proposed or not) and the posting unit hear that 公示 has started."""
    challenge = db.session.get(Challenge, ref_id(ref))
    if challenge is None or challenge.status != "publicity":
        return None
    ends = challenge.publicity_ends_at.date().isoformat() if challenge.publicity_ends_at else ""
    event = _by_team(
        challenge,
        lambda a: (
            "您单位被确定为拟揭榜团队，现予公示" if a.status == "proposed" else "您单位未进入拟揭榜名单"
        ),
    )
    event.context["ends"] = ends
    return event


def load_awarded(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Winners hear they lead the challenge (挂帅); the others that they were not selected."""
    challenge = db.session.get(Challenge, ref_id(ref))
    if challenge is None or challenge.status not in ("awarded", "finished"):
        return None
    return _by_team(challenge, lambda a: "您单位成功揭榜挂帅" if a.status == "awarded" else "您单位未被选定")


def load_objection_filed(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """Staff in scope hear of a new objection."""
    objection = db.session.get(Objection, ref_id(ref))
    challenge = db.session.get(Challenge, objection.challenge_id) if objection else None
    if objection is None or challenge is None:
        return None
    return Event(recipients=staff_in(challenge.region), context=_base(challenge))


def load_objection_handled(ref: str, extra: Mapping[str, Any]) -> Event | None:
    """The person who objected hears how it was handled."""
    objection = db.session.get(Objection, ref_id(ref))
    challenge = db.session.get(Challenge, objection.challenge_id) if objection else None
    if objection is None or challenge is None or objection.submitted_by is None:
        return None
    decision = "异议成立" if objection.status == "upheld" else "异议不成立"
    context = {**_base(challenge), "decision": decision, "note": objection.handling_note or ""}
    return Event(recipients=[objection.submitted_by], context=context)


def _award_event(award: ChallengeAward | None, *, team: bool, staff: bool, poster: bool, **extra: Any):
    if award is None:
        return None
    recipients: set[int] = set()
    if team:
        recipients |= set(team_users(award.application))
    if staff:
        recipients |= set(staff_in(award.region))
    if poster:
        recipients |= set(org_users([award.challenge.org_id]))
    context = {**_base(award.challenge), "team": award.application.lead_org.name, **extra}
    context["link"] = link(f"/challenge-awards/{award.id}")
    return Event(recipients=sorted(recipients), context=context)


def _award(award_id: int | None) -> ChallengeAward | None:
    return db.session.get(ChallengeAward, award_id) if award_id is not None else None


DECISIONS = {
    "accepted": "通过",
    "rejected": "未获批准",
    "approved": "已批准",
    "pass": "通过",
    "rectify": "限期整改",
    "fail": "不通过",
    "failed": "未通过（容错）",
    "terminated": "终止",
}
MODELS: dict[str, Any] = {
    "milestone": DeliveryMilestone,
    "report": ProgressReport,
    "extension": ExtensionRequest,
    "tranche": PaymentTranche,
    "award": ChallengeAward,
}


def _detail(row: Any) -> dict[str, Any]:
    """What the messages say about the object: its title, due date and decision."""
    state = row.verdict if isinstance(row, ProgressReport) else getattr(row, "status", None)
    return {
        "item": getattr(row, "title", ""),
        "due": str(getattr(row, "due_date", None) or getattr(row, "requested_until", None) or ""),
        "decision": DECISIONS.get(state or "", "已处理"),
        "amount": str(getattr(row, "amount", "") or ""),
    }


def loader_for(kind: str, *, team: bool = False, staff: bool = False, poster: bool = False) -> Loader:
    """A loader for a delivery object (milestone, report, extension, tranche, award) and who hears it."""

    def load(ref: str, extra: Mapping[str, Any]) -> Event | None:
        """Resolve the object to its award and address the chosen parties."""
        row = db.session.get(MODELS[kind], ref_id(ref))
        if row is None:
            return None
        award = row if isinstance(row, ChallengeAward) else _award(row.award_id)
        return _award_event(award, team=team, staff=staff, poster=poster, **_detail(row))

    return load
