"""Conflicts of interest (利益冲突) between an expert and a challenge application.

Hard conflicts refuse the assignment: the expert's unit is the lead unit, a consortium member or the
posting unit; the expert is a co-applicant (submitted the application, or is its principal
investigator by contact details). Soft conflicts are flagged and need a reason from staff: a past
collaboration on a recorded agreement (a signed or registered match, or an earlier 揭榜挂帅 award)
between the expert's unit and an applicant unit, or an expert who merely shares the PI's name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from matchmaker.extensions import db
from matchmaker.models import ApplicationMember, Challenge, ChallengeApplication, ChallengeAward, Match, User

AGREED_MATCH_STATUSES = ("agreement_signed", "contract_registered")
_NOISE = re.compile(r"[\s·•.,，、\-—_]+")


@dataclass(frozen=True)
class Conflict:
    """One conflict of interest: a code, a Chinese message naming it, and whether it refuses."""

    code: str
    message: str
    hard: bool

    def as_flag(self) -> dict[str, str]:
        """The stored form of a flagged (soft) conflict."""
        return {"code": self.code, "message": self.message}


def normalise_name(name: str | None) -> str:
    """A unit or person name compared loosely: full-width folded, spaces and punctuation dropped."""
    return _NOISE.sub("", unicodedata.normalize("NFKC", name or "")).lower()


def _unit_conflicts(expert: User, application: ChallengeApplication) -> list[Conflict]:
    org = expert.org
    if org is None:
        return []
    found = []
    if org.id == application.lead_org_id:
        found.append(Conflict("lead_unit", f"专家所在单位“{org.name}”是该申请的牵头单位", True))
    name = normalise_name(org.name)
    for member in application.members:
        if member.org_id == org.id or (member.org_id is None and normalise_name(member.org_name) == name):
            found.append(Conflict("consortium_member", f"专家所在单位“{org.name}”是该申请的联合体成员", True))
            break
    challenge: Challenge = application.challenge
    posters = [challenge.org_id] + [p.get("org_id") for p in challenge.co_posters or []]
    poster_names = {normalise_name(p.get("name")) for p in challenge.co_posters or []}
    if org.id in posters or name in poster_names:
        found.append(Conflict("posting_unit", f"专家所在单位“{org.name}”是该榜单的发榜单位", True))
    return found


def _person_conflicts(expert: User, application: ChallengeApplication) -> list[Conflict]:
    if expert.id == application.submitted_by:
        return [Conflict("co_applicant", f"专家“{expert.name}”是该申请的提交人", True)]
    contacts = {c for c in (expert.email, expert.phone) if c}
    if contacts & {application.pi_email, application.pi_phone}:
        return [Conflict("co_applicant", f"专家“{expert.name}”是该申请的项目负责人", True)]
    if normalise_name(expert.name) and normalise_name(expert.name) == normalise_name(application.pi_name):
        return [
            Conflict("same_name_as_pi", f"专家与项目负责人同名（{expert.name}），请核实是否为同一人", False)
        ]
    return []


def _agreed_match_partners(org_id: int, applicant_orgs: set[int]) -> set[int]:
    stmt = select(Match.need_org_id, Match.output_org_id).where(
        Match.status.in_(AGREED_MATCH_STATUSES),
        or_(
            and_(Match.need_org_id == org_id, Match.output_org_id.in_(applicant_orgs)),
            and_(Match.output_org_id == org_id, Match.need_org_id.in_(applicant_orgs)),
        ),
    )
    return {other for pair in db.session.execute(stmt) for other in pair if other != org_id}


def _award_partners(org_id: int, applicant_orgs: set[int], current: int) -> set[int]:
    # only the awards the expert's unit took part in (poster, lead or consortium member), not all of them
    stmt = (
        select(ChallengeAward)
        .join(Challenge, Challenge.id == ChallengeAward.challenge_id)
        .join(ChallengeApplication, ChallengeApplication.id == ChallengeAward.application_id)
        .where(
            ChallengeAward.challenge_id != current,
            or_(
                Challenge.org_id == org_id,
                ChallengeApplication.lead_org_id == org_id,
                ChallengeApplication.members.any(ApplicationMember.org_id == org_id),
            ),
        )
    )
    partners: set[int] = set()
    for award in db.session.scalars(stmt).unique():
        parties = award.application.org_ids() | {award.challenge.org_id}
        if org_id in parties:
            partners |= (parties & applicant_orgs) - {org_id}
    return partners


def _collaboration_conflicts(expert: User, application: ChallengeApplication) -> list[Conflict]:
    if expert.org is None:
        return []
    applicants = application.org_ids() - {expert.org.id}
    if not applicants:
        return []
    names = {m.org_id: m.org_name for m in application.members if m.org_id}
    names[application.lead_org_id] = application.lead_org.name
    found = []
    matched = _agreed_match_partners(expert.org.id, applicants)
    if matched:
        units = "、".join(sorted(names[o] for o in matched))
        found.append(Conflict("past_agreement", f"专家所在单位曾与申请单位（{units}）签订合作协议", False))
    awarded = _award_partners(expert.org.id, applicants, application.challenge_id)
    if awarded:
        units = "、".join(sorted(names[o] for o in awarded))
        found.append(
            Conflict("past_award", f"专家所在单位曾与申请单位（{units}）共同承担揭榜挂帅项目", False)
        )
    return found


def conflicts_of(expert: User, application: ChallengeApplication) -> list[Conflict]:
    """Every conflict of interest between the expert and the application, hard ones first."""
    found = _unit_conflicts(expert, application) + _person_conflicts(expert, application)
    found += _collaboration_conflicts(expert, application)
    return sorted(found, key=lambda c: not c.hard)


def hard_conflict(expert: User, application: ChallengeApplication) -> bool:
    """True when the expert may not review the application at all."""
    return any(c.hard for c in _unit_conflicts(expert, application) + _person_conflicts(expert, application))
