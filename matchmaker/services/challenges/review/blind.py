"""How an application reads to a reviewer: with identities, or blind (匿名评审) with "申报单位A" labels."""

from __future__ import annotations

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


def _members(application: ChallengeApplication, blind: bool) -> list[dict[str, Any]]:
    if blind:
        return [{"name": f"联合单位{i + 1}", "role": m.role} for i, m in enumerate(application.members)]
    return [{"name": m.org_name, "role": m.role} for m in application.members]


def for_reviewer(application: ChallengeApplication, *, blind: bool, label: str) -> dict[str, Any]:
    """What an expert reads: the plan and its basis; identities only when the review is not blind."""
    return {
        "id": application.id,
        "label": label,
        "lead_org_name": label if blind else application.lead_org.name,
        "members": _members(application, blind),
        "pi_name": "项目负责人" if blind else application.pi_name,
        "pi_title": application.pi_title,
        "plan": application.plan,
        "basis": application.basis,
        "milestones": list(application.milestones or []),
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


def present_assignment(assignment: ReviewAssignment, *, as_staff: bool) -> dict[str, Any]:
    """An assignment as its reader sees it: the expert never sees others' scores or, when blind, names."""
    application = assignment.application
    challenge = application.challenge
    label = labels(challenge).get(application.id, label_for(0))
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
