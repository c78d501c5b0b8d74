"""The expert pool (专家库): experts keep their own profile; staff list it and get suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden, NotFound
from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication, ExpertProfile, User
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.challenges.review.conflicts import conflicts_of, hard_conflict
from matchmaker.services.challenges.stages import reviewed_applications, staff_read_challenge
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy import fields as field_tree


@dataclass
class PoolEntry:
    """An expert as staff see them in the pool, with conflicts when asked about an application."""

    profile: ExpertProfile
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)


def _require_expert(actor: Actor) -> User:
    if actor.user is None or not actor.has_role("expert"):
        raise Forbidden("只有具有评审专家身份的用户可以维护专家信息")
    return actor.user


def my_profile(*, actor: Actor) -> ExpertProfile:
    """The actor's own expert profile (404 until it is filled in)."""
    user = _require_expert(actor)
    profile = db.session.get(ExpertProfile, user.id)
    if profile is None:
        raise NotFound("尚未填写专家信息")
    return profile


def save_profile(*, actor: Actor, data: dict[str, Any]) -> ExpertProfile:
    """Create or update the actor's own expert profile (fields, specialties, title, active)."""
    user = _require_expert(actor)
    with unit_of_work():
        profile = db.session.get(ExpertProfile, user.id)
        if profile is None:
            profile = ExpertProfile(user_id=user.id, fields=[], specialties="", title="", active=True)
            db.session.add(profile)
        for key, value in data.items():
            setattr(profile, key, value)
        profile.updated_at = utcnow()
        audit.record(actor, "expert_profile_save", "expert_profile", user.id, fields=profile.fields)
    return profile


def _require_pool_reader(actor: Actor) -> None:
    if not (policy.is_admin(actor) or actor.has_role("staff")):
        raise Forbidden("只有科技局工作人员和管理员可以查看专家库")


def _active_profiles(field_code: str | None = None) -> list[ExpertProfile]:
    stmt = (
        select(ExpertProfile)
        .join(User, User.id == ExpertProfile.user_id)
        .where(ExpertProfile.active.is_(True), User.is_active.is_(True))
    )
    profiles = [p for p in db.session.scalars(stmt.order_by(ExpertProfile.user_id)).unique()]
    profiles = [p for p in profiles if p.user.has_role("expert")]
    if field_code:
        profiles = [p for p in profiles if any(field_code in field_tree.path(f) for f in p.fields or [])]
    return profiles


def list_pool(
    *, actor: Actor, field: str | None = None, application_id: int | None = None
) -> list[PoolEntry]:
    """Active experts (optionally in a field); with an application, conflicted ones are left out."""
    _require_pool_reader(actor)
    entries = [PoolEntry(profile=p) for p in _active_profiles(field)]
    if application_id is None:
        return entries
    application = db.session.get(ChallengeApplication, application_id)
    if application is None or not policy.can_review_challenge(actor, application.challenge):
        raise NotFound("未找到该申请")
    kept = []
    for entry in entries:
        found = conflicts_of(entry.profile.user, application)
        if not any(c.hard for c in found):
            entry.conflicts = [c.as_flag() for c in found]
            kept.append(entry)
    return kept


def field_overlap(expert_fields: list[str], wanted: list[str]) -> tuple[float, list[str]]:
    """How well an expert's fields cover a challenge's: 1 per exact field, 0.5 per shared parent."""
    score, reasons = 0.0, []
    for code in wanted:
        if code in expert_fields:
            score += 1.0
            reasons.append(f"同属{field_tree.name(code)}领域")
            continue
        ancestors = set(field_tree.path(code)[:-1])
        shared = [f for f in expert_fields if ancestors & set(field_tree.path(f))]
        if shared:
            score += 0.5
            reasons.append(f"相近领域：{field_tree.name(shared[0])}")
    return score, reasons


def _keyword_hits(profile: ExpertProfile, challenge: Challenge) -> list[str]:
    return [k for k in challenge.keywords or [] if k and k in (profile.specialties or "")]


def suggest(challenge_id: int, *, actor: Actor, limit: int = 10) -> list[PoolEntry]:
    """Pool experts ranked for a challenge by field and specialty overlap, minus hard conflicts."""
    challenge = staff_read_challenge(challenge_id, actor=actor)
    applications = reviewed_applications(challenge)
    ranked = []
    for profile in _active_profiles():
        score, reasons = field_overlap(list(profile.fields or []), list(challenge.fields or []))
        hits = _keyword_hits(profile, challenge)
        if hits:
            score += 0.25 * len(hits)
            reasons.append(f"专长涉及：{'、'.join(hits)}")
        if score <= 0 or profile.user.org_id == challenge.org_id:
            continue
        blocked = [a for a in applications if hard_conflict(profile.user, a)]
        if applications and len(blocked) == len(applications):
            continue
        conflicts = [
            {"application_id": a.id, **c.as_flag()}
            for a in blocked
            for c in conflicts_of(profile.user, a)
            if c.hard
        ]
        ranked.append(PoolEntry(profile=profile, score=round(score, 3), reasons=reasons, conflicts=conflicts))
    ranked.sort(key=lambda e: (-(e.score or 0), e.profile.user_id))
    return ranked[:limit]
