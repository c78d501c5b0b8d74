"""Candidate researchers for an enterprise's talent need or direct request, for those who may ask."""

from __future__ import annotations

from typing import Any

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Organization, TechnologyNeed
from matchmaker.queries.placement_candidates import Candidate, direct_request, rank_researchers


def _may_ask(actor: Actor, org: Organization) -> bool:
    return policy.is_admin(actor) or policy.is_member(actor, org.id) or policy.staff_covers(actor, org.region)


def candidates(*, actor: Actor, data: dict[str, Any]) -> list[Candidate]:
    """Researchers ranked for a talent need (``need_id``) or a direct request (``title`` and the rest)."""
    if data.get("need_id") is not None:
        need = db.session.get(TechnologyNeed, data["need_id"])
        if need is None or not _may_ask(actor, need.org):
            raise NotFound("未找到该需求")
        if need.need_type != "talent":
            raise ValidationFailed(errors={"need_id": ["应为人才需求（科技副总）"]})
        return rank_researchers(need, top=data["top"])
    org_id = data.get("org_id") or actor.org_id
    org = db.session.get(Organization, org_id) if org_id else None
    if org is None or org.kind != "enterprise":
        raise ValidationFailed(errors={"org_id": ["请指定提出需求的企业"]})
    if not _may_ask(actor, org):
        raise Forbidden("只能为本企业或本辖区的企业推荐科技副总人选")
    if not data.get("title"):
        raise ValidationFailed(errors={"title": ["请填写需求名称或选择人才需求"]})
    return rank_researchers(direct_request(org, data), top=data["top"])
