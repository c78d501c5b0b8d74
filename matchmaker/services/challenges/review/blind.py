"""How an application reads to a reviewer: with identities, or blind (匿名评审) with "申报单位A" labels."""

from __future__ import annotations

import re
from string import ascii_uppercase
from typing import Any

from matchmaker.models import Challenge, ChallengeApplication, ReviewAssignment
from matchmaker.services.challenges.stages import reviewed_applications


def label_for(index: int) -> str:
    """申报单位A, B, ... Z, then 申报单位27 onwards."""
    return f"申报单位{ascii_uppercase[index]}" if index < len(ascii_uppercase) else f"申报单位{index + 1}"


def labels(challenge: Challenge) -> dict[int, str]:
    """Stable labels per application id (submission order) for the challenge."""
    return {a.id: label_for(i) for i, a in enumerate(reviewed_applications(challenge))}


# Legal-form and organisational suffixes people drop when they name a unit in running text.
ORG_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团", "公司", "研究院", "研究所")
PERSON_TITLES = "教授|副教授|研究员|副研究员|博士|老师|院士|工程师|高工"
CONTACT = re.compile(r"1[3-9]\d{9}|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|0\d{2,3}-?\d{7,8}")


def _short_forms(name: str) -> list[str]:
    """The unit's name and the shorter forms running text uses (…科技有限公司 → …科技)."""
    name = name.strip()
    forms = [name]
    core = name
    for suffix in ORG_SUFFIXES:
        if core.endswith(suffix) and len(core) - len(suffix) >= 4:
            core = core[: -len(suffix)]
            forms.append(core)
    return [f for f in forms if len(f) >= 2]


def redaction_map(application: ChallengeApplication, label: str) -> list[tuple[str, str]]:
    """(identity, stand-in) pairs for blind review: lead unit, members, PI; longest first."""
    pairs = [(form, label) for form in _short_forms(application.lead_org.name)]
    for i, member in enumerate(application.members):
        pairs += [(form, f"联合单位{i + 1}") for form in _short_forms(member.org_name or "")]
    pi = (application.pi_name or "").strip()
    if len(pi) >= 2:
        pairs.append((pi, "项目负责人"))
    return sorted(set(pairs), key=lambda pair: -len(pair[0]))


def redact(text: str | None, pairs: list[tuple[str, str]], pi_name: str | None = None) -> str | None:
    """Free text with every identity replaced by its stand-in, contacts and "王教授"-style PI mentions too."""
    if not text:
        return text
    for identity, stand_in in pairs:
        text = text.replace(identity, stand_in)
    pi = (pi_name or "").strip()
    if len(pi) >= 2:
        text = re.sub(rf"{re.escape(pi[0])}(?:{PERSON_TITLES})", "项目负责人", text)
    return CONTACT.sub("（联系方式已隐去）", text)


def _redacted_milestones(milestones: list[Any], pairs: list[tuple[str, str]], pi: str | None) -> list[Any]:
    return [
        {k: redact(v, pairs, pi) if isinstance(v, str) else v for k, v in m.items()}
        if isinstance(m, dict)
        else m
        for m in milestones
    ]


def _members(application: ChallengeApplication, blind: bool) -> list[dict[str, Any]]:
    if blind:
        return [{"name": f"联合单位{i + 1}", "role": m.role} for i, m in enumerate(application.members)]
    return [{"name": m.org_name, "role": m.role} for m in application.members]


def for_reviewer(application: ChallengeApplication, *, blind: bool, label: str) -> dict[str, Any]:
    """What an expert reads: the plan and its basis; identities only when the review is not blind.

    Blind review is blind in the free text too: unit names (and their short forms), the PI's name
    and contact details in the plan, the basis and the milestones are replaced by stand-ins.
    """
    pairs = redaction_map(application, label) if blind else []
    pi = application.pi_name if blind else None
    text = (lambda value: redact(value, pairs, pi)) if blind else (lambda value: value)
    milestones = list(application.milestones or [])
    return {
        "id": application.id,
        "label": label,
        "lead_org_name": label if blind else application.lead_org.name,
        "members": _members(application, blind),
        "pi_name": "项目负责人" if blind else application.pi_name,
        "pi_title": application.pi_title,
        "plan": text(application.plan),
        "basis": text(application.basis),
        "milestones": _redacted_milestones(milestones, pairs, pi) if blind else milestones,
        "budget_total": application.budget_total,
        "commitment_signed": application.commitment_signed,
        "blind": blind,
    }


def for_staff(application: ChallengeApplication, *, label: str) -> dict[str, Any]:
    """What staff read: every identity, the PI's contacts and the aggregate score."""
    return {
        **for_reviewer(application, blind=False, label=label),
        "lead_org_id": application.lead_org_id,
        "member_org_ids": [m.org_id for m in application.members],
        "pi_phone": application.pi_phone,
        "pi_email": application.pi_email,
        "submitted_by": application.submitted_by,
        "status": application.status,
        "score": application.score,
        "rank": application.rank,
    }


def present_assignments(assignments: list[ReviewAssignment], *, as_staff: bool) -> list[dict[str, Any]]:
    """Several assignments as their reader sees them, labelling each challenge's applications once."""
    by_challenge: dict[int, dict[int, str]] = {}
    shown = []
    for a in assignments:
        if a.challenge_id not in by_challenge:
            by_challenge[a.challenge_id] = labels(a.application.challenge)
        shown.append(present_assignment(a, as_staff=as_staff, known=by_challenge[a.challenge_id]))
    return shown


def present_assignment(
    assignment: ReviewAssignment, *, as_staff: bool, known: dict[int, str] | None = None
) -> dict[str, Any]:
    """An assignment as its reader sees it: the expert never sees others' scores or, when blind, names.

    ``known`` is the challenge's labels when the caller has them (a list reads them once per
    challenge, not once per assignment).
    """
    application = assignment.application
    challenge = application.challenge
    label = (labels(challenge) if known is None else known).get(application.id, label_for(0))
    shown = (
        for_staff(application, label=label)
        if as_staff
        else for_reviewer(application, blind=bool(challenge.blind_review), label=label)
    )
    return {
        "id": assignment.id,
        "challenge_id": challenge.id,
        "challenge_title": challenge.title,
        "application": shown,
        "expert_id": assignment.expert_id,
        "expert_name": assignment.expert.name,
        "status": assignment.status,
        "criteria": list(challenge.criteria or []),
        "scores": dict(assignment.scores or {}),
        "comments": dict(assignment.comments or {}),
        "overall_comment": assignment.overall_comment,
        "total": float(assignment.total) if assignment.total is not None else None,
        "conflict_flags": list(assignment.conflict_flags or []) if as_staff else [],
        "override_reason": assignment.override_reason if as_staff else None,
        "created_at": assignment.created_at,
        "submitted_at": assignment.submitted_at,
    }
