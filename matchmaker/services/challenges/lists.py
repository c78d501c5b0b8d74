"""Challenges (揭榜挂帅榜单): create and edit the list, its indicators, co-posters and review criteria.

Who posts: enterprise users for their own organisation, and bureau staff on behalf of an industry
(their bureau is the posting unit and the region must lie in their scope). Edits:
- draft, submitted, rejected: anything (a submitted list stays in the review queue);
- published without applications: contact fields in place; anything else sends the list back to
  review (status ``submitted``, out of the public catalogue until staff publish it again);
- published with applications, or later: only contact fields; anything else is refused (409),
  since teams are already working against the published terms;
- cancelled: nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from matchmaker import etags
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Challenge, ChallengeApplication, ChallengeIndicator, Organization
from matchmaker.models.common import utcnow
from matchmaker.services import audit
from matchmaker.services.intake import replace_indicators
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy import regions

CONTACT_FIELDS = frozenset({"contact_name", "contact_phone", "contact_email"})
DEFAULT_CRITERIA = (
    {"code": "plan", "name": "技术方案先进性与可行性", "weight": 40.0},
    {"code": "basis", "name": "研究基础与团队实力", "weight": 30.0},
    {"code": "budget", "name": "经费预算合理性", "weight": 15.0},
    {"code": "schedule", "name": "进度安排与交付保障", "weight": 15.0},
)


def now() -> datetime:
    """The challenge clock; tests inject CHALLENGE_CLOCK (a callable returning an aware datetime)."""
    clock: Callable[[], datetime] | None = current_app.config.get("CHALLENGE_CLOCK")
    return clock() if clock else utcnow()


def etag(challenge: Challenge) -> str:
    """Strong ETag for a challenge version."""
    return f'"challenge-{challenge.id}-v{challenge.version}"'


def load_challenge(challenge_id: int, *, actor: Actor) -> Challenge:
    """The challenge if the actor may know it exists; NotFound otherwise."""
    challenge = db.session.get(Challenge, challenge_id)
    if challenge is None or not policy.can_see_challenge(actor, challenge):
        raise NotFound("未找到该榜单")
    return challenge


def active_applications(challenge_id: int) -> int:
    """How many applications (drafts included, withdrawn ones not) a challenge has."""
    stmt = select(func.count(ChallengeApplication.id)).where(
        ChallengeApplication.challenge_id == challenge_id, ChallengeApplication.status != "withdrawn"
    )
    return db.session.scalar(stmt) or 0


def _co_posters(items: list[dict[str, Any]], org_id: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for i, item in enumerate(items):
        if item.get("org_id"):
            org = db.session.get(Organization, item["org_id"])
            if org is None:
                raise ValidationFailed(
                    errors={"co_posters": {str(i): ["平台上没有该单位（unknown org_id）"]}}
                )
            if org.id == org_id:
                raise ValidationFailed(errors={"co_posters": {str(i): ["发榜单位本身不必列为共同发榜单位"]}})
            out.append({"org_id": org.id, "name": org.name})
        else:
            out.append({"org_id": None, "name": item["name"].strip()})
    return out


def _criteria(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = [c["code"] for c in items]
    if len(set(codes)) != len(codes):
        raise ValidationFailed(errors={"criteria": ["评审指标代码不能重复"]})
    return [{"code": c["code"], "name": c["name"], "weight": float(c["weight"])} for c in items]


def _mode(data: dict[str, Any], current: Challenge | None) -> None:
    """Fill and check mode / max_winners: one winner in 揭榜挂帅, at least two in 赛马."""
    if current is not None and "mode" not in data and "max_winners" not in data:
        return
    mode = data.get("mode") or (current.mode if current else "single")
    winners = data.get("max_winners")
    if winners is None and current is not None and "mode" not in data:
        winners = current.max_winners
    if mode == "race":
        winners = 2 if winners is None else winners
        if winners < 2:
            raise ValidationFailed(errors={"max_winners": ["赛马制至少要选定 2 个团队并行攻关"]})
    elif winners not in (None, 1):
        raise ValidationFailed(
            errors={"max_winners": ["揭榜挂帅（单一团队）模式只能选定 1 个团队；多个团队并行请选赛马制"]}
        )
    data["mode"], data["max_winners"] = mode, winners or 1


def _region(actor: Actor, data: dict[str, Any], org: Organization) -> str:
    """Enterprises post in their own region; staff anywhere inside their scope (default: the scope)."""
    if actor.has_role("staff") and actor.user is not None and actor.user.region_scope:
        region = data.get("region") or actor.user.region_scope
        if not regions.within(actor.user.region_scope, region):
            raise ValidationFailed(errors={"region": ["发榜地区须在您的辖区之内"]})
        return region
    if data.get("region") and data["region"] != org.region:
        raise ValidationFailed(errors={"region": ["企业发榜的地区即本单位所在地区，不能另选"]})
    return org.region


def _apply(challenge: Challenge, data: dict[str, Any]) -> set[str]:
    """Set the changed fields (lists replaced whole); returns the names that changed."""
    changed: set[str] = set()
    if "indicators" in data and replace_indicators(challenge, data.pop("indicators"), ChallengeIndicator):
        changed.add("indicators")
    for key, value in data.items():
        current = getattr(challenge, key)
        same = current == value or (
            current is not None
            and value is not None
            and key.startswith("bounty")
            and float(current) == float(value)
        )
        if not same:
            setattr(challenge, key, value)
            changed.add(key)
    return changed


def _prepare(data: dict[str, Any], org_id: int, current: Challenge | None) -> dict[str, Any]:
    data = dict(data)
    if "co_posters" in data:
        data["co_posters"] = _co_posters(data["co_posters"], org_id)
    if "criteria" in data:
        data["criteria"] = _criteria(data["criteria"]) or [dict(c) for c in DEFAULT_CRITERIA]
    _mode(data, current)
    return data


def create_challenge(*, actor: Actor, data: dict[str, Any]) -> Challenge:
    """Create a draft 榜单 posted by the actor's organisation."""
    if not actor.has_role("enterprise", "staff") or actor.user is None or actor.user.org is None:
        raise Forbidden("只有企业用户（为本单位）或科技局工作人员（代产业发榜）可以发布榜单")
    org = actor.user.org
    data = _prepare(data, org.id, None)
    data["region"] = _region(actor, data, org)
    data.setdefault("criteria", [dict(c) for c in DEFAULT_CRITERIA])
    data.setdefault("contact_name", actor.user.name)
    data.setdefault("contact_phone", actor.user.phone or "")
    data.setdefault("contact_email", actor.user.email)
    with unit_of_work() as uow:
        challenge = Challenge(org_id=org.id, owner_id=actor.user_id, status="draft", version=1)
        challenge.org = org
        _apply(challenge, {k: v for k, v in data.items() if v is not None})
        db.session.add(challenge)
        db.session.flush()
        audit.record(actor, "create", "challenge", challenge.id)
        record_change(uow, challenge)
    return challenge


def _edit_rule(challenge: Challenge, changed: set[str]) -> bool:
    """Raise when the edit is not allowed now; True when it sends a published list back to review."""
    substantive = bool(changed - CONTACT_FIELDS)
    if challenge.status == "cancelled":
        raise Conflict("已取消的榜单不能修改")
    if not substantive or challenge.status in ("draft", "submitted", "rejected"):
        return False
    if challenge.status != "published":
        raise Conflict("申报已截止，榜单内容不能再修改（联系方式除外）")
    if active_applications(challenge.id):
        raise Conflict("已有团队揭榜，榜单内容不能再修改（联系方式除外）；如确需调整请联系科技局")
    return True


def update_challenge(
    challenge_id: int, *, actor: Actor, data: dict[str, Any], if_match: str | None
) -> Challenge:
    """Partial update by the posting unit (rules in the module docstring)."""
    challenge = load_challenge(challenge_id, actor=actor)
    if not policy.can_edit_challenge(actor, challenge):
        raise Forbidden("只能修改本单位发布的榜单")
    etags.require_match(if_match, etag(challenge))
    if "region" in data and data["region"] != challenge.region:
        raise ValidationFailed(errors={"region": ["榜单地区创建后不能修改"]})
    data = _prepare(data, challenge.org_id, challenge)
    with unit_of_work() as uow:
        with db.session.no_autoflush:
            changed = _apply(challenge, data)
            if not changed:
                return challenge
            back_to_review = _edit_rule(challenge, changed)
        if back_to_review:
            challenge.status, challenge.submitted_at = "submitted", now()
            challenge.apply_opens_at = challenge.apply_closes_at = None
        challenge.version += 1
        challenge.updated_at = now()
        audit.record(
            actor, "update", "challenge", challenge.id, fields=sorted(changed), back_to_review=back_to_review
        )
        record_change(uow, challenge)
    return challenge


def delete_challenge(challenge_id: int, *, actor: Actor) -> None:
    """Delete a draft or rejected list; anything submitted or published is cancelled instead."""
    challenge = load_challenge(challenge_id, actor=actor)
    if not policy.can_edit_challenge(actor, challenge):
        raise Forbidden("只能删除本单位的榜单")
    if challenge.status not in ("draft", "rejected"):
        raise Conflict("只有草稿或被退回的榜单可以删除；已提交或已发布的请取消")
    with unit_of_work() as uow:
        challenge.version += 1
        record_change(uow, challenge, op="delete")
        audit.record(actor, "delete", "challenge", challenge.id)
        db.session.delete(challenge)
