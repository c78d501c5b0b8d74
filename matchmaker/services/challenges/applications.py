"""Applications (揭榜申请): a lead unit with up to four consortium members takes on a challenge.

Rules:
- researcher and enterprise users apply for their own unit, which leads; the posting unit and its
  co-posters never apply to their own challenge (403);
- a platform unit takes part in at most one live application per challenge, as lead or as member
  (409); a withdrawn application stays on record, so its lead unit cannot apply again;
- applications are created, edited, submitted and withdrawn only while the challenge is published
  and the window is open (checked against the clock on every request, so a deadline holds even
  before the closing job has run); afterwards 409 with a Chinese message;
- submitting needs the commitment (军令状) signed, a principal investigator, a plan and milestones.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce as notify
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import ApplicationMember, Challenge, ChallengeApplication, Organization
from matchmaker.services import audit
from matchmaker.services.challenges.lists import load_challenge, now
from matchmaker.services.challenges.reading import window_open
from matchmaker.services.uow import unit_of_work

LIVE = ("draft", "submitted", "shortlisted", "proposed", "awarded", "not_selected")


def ref(application: ChallengeApplication) -> str:
    """The notification reference of an application version."""
    return f"challenge_application/{application.id}@{application.version}"


def default_commitment(challenge: Challenge) -> str:
    """The 军令状 text a team signs unless it writes its own."""
    return (
        f"我单位牵头揭榜《{challenge.title}》，承诺在{challenge.time_limit_months or '约定'}个月内"
        "完成榜单全部核心指标，按期提交里程碑成果，规范使用榜单资金；未完成的，愿按约定接受相应处理。"
    )


def _window_or_409(challenge: Challenge) -> None:
    if challenge.status != "published":
        raise Conflict("该榜单当前不在揭榜申报期内")
    if not window_open(challenge):
        closes = challenge.apply_closes_at
        if closes is not None and now() >= closes:
            raise Conflict("揭榜申报已截止，不能再提交、修改或撤回申请")
        raise Conflict("揭榜申报尚未开始")


def _taken_orgs(challenge_id: int, except_id: int | None) -> set[int]:
    """Platform units already in a live application (lead or member) to the challenge."""
    stmt = select(ChallengeApplication).where(
        ChallengeApplication.challenge_id == challenge_id, ChallengeApplication.status.in_(LIVE)
    )
    taken: set[int] = set()
    for app in db.session.scalars(stmt):
        if app.id != except_id:
            taken |= app.org_ids()
    return taken


def _posters(challenge: Challenge) -> set[int]:
    return {challenge.org_id} | {int(c["org_id"]) for c in challenge.co_posters or [] if c.get("org_id")}


def _members(
    challenge: Challenge, lead_org_id: int, items: list[dict[str, Any]], except_id: int | None
) -> list[ApplicationMember]:
    taken, posters, seen = _taken_orgs(challenge.id, except_id), _posters(challenge), {lead_org_id}
    members = []
    for i, item in enumerate(items):
        org = db.session.get(Organization, item["org_id"]) if item.get("org_id") else None
        problem = None
        if item.get("org_id") and org is None:
            problem = "平台上没有该单位（unknown org_id）"
        elif org is not None and org.id in posters:
            problem = "发榜单位及共同发榜单位不能作为联合体成员"
        elif org is not None and org.id in seen:
            problem = "联合体成员重复，或与牵头单位相同"
        elif org is not None and org.id in taken:
            raise Conflict(f"{org.name}已参与该榜单的其他揭榜申请，同一单位只能参与一个揭榜团队")
        if problem:
            raise ValidationFailed(errors={"members": {str(i): [problem]}})
        if org is not None:
            seen.add(org.id)
        name = org.name if org is not None else item["name"].strip()
        members.append(
            ApplicationMember(position=i, org_id=org.id if org else None, org_name=name, role=item["role"])
        )
    return members


def _milestones(challenge: Challenge, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    limit = challenge.time_limit_months
    for i, item in enumerate(items):
        if limit and item["months"] > limit:
            raise ValidationFailed(
                errors={"milestones": {str(i): [f"里程碑时间不能超过榜单攻关期限（{limit}个月）"]}}
            )
    return [{**m, "budget": float(m["budget"])} for m in items]


def _apply(application: ChallengeApplication, challenge: Challenge, data: dict[str, Any]) -> list[str]:
    """Set the given fields (members and milestones replaced whole); the names that were given."""
    data = dict(data)
    if "members" in data:
        application.members = _members(
            challenge, application.lead_org_id, data.pop("members"), application.id
        )
    if "milestones" in data:
        data["milestones"] = _milestones(challenge, data["milestones"])
        application.budget_total = round(sum(m["budget"] for m in data["milestones"]), 2)
    for key, value in data.items():
        setattr(application, key, value)
    return sorted(data)


def create_application(challenge_id: int, *, actor: Actor, data: dict[str, Any]) -> ChallengeApplication:
    """A unit starts an application (a draft) to a published challenge while the window is open."""
    challenge = load_challenge(challenge_id, actor=actor)
    if not actor.has_role("researcher", "enterprise") or actor.org_id is None:
        raise Forbidden("只有高校院所科研人员或企业用户可以代表本单位揭榜")
    if actor.org_id in _posters(challenge):
        raise Forbidden("发榜单位及共同发榜单位不能揭自己的榜")
    _window_or_409(challenge)
    if actor.org_id in _taken_orgs(challenge.id, None) or db.session.scalar(
        select(ChallengeApplication.id).where(
            ChallengeApplication.challenge_id == challenge.id,
            ChallengeApplication.lead_org_id == actor.org_id,
        )
    ):
        raise Conflict("本单位已揭榜或已参与该榜单的揭榜申请，每个单位只能参与一个揭榜团队")
    assert actor.user_id is not None
    data = {"commitment": default_commitment(challenge), "members": [], **data}
    with unit_of_work():
        application = ChallengeApplication(
            challenge_id=challenge.id,
            lead_org_id=actor.org_id,
            submitted_by=actor.user_id,
            status="draft",
            version=1,
        )
        application.challenge = challenge
        db.session.add(application)
        with db.session.no_autoflush:
            _apply(application, challenge, data)
        db.session.flush()
        audit.record(actor, "create", "challenge_application", application.id, challenge_id=challenge.id)
    return application


def load_application(application_id: int, *, actor: Actor) -> ChallengeApplication:
    """The application if the actor may see it; NotFound otherwise."""
    application = db.session.get(ChallengeApplication, application_id)
    if application is None or not policy.can_see_application(actor, application):
        raise NotFound("未找到该揭榜申请")
    return application


def _editable(application_id: int, actor: Actor, what: str) -> ChallengeApplication:
    application = load_application(application_id, actor=actor)
    if not policy.can_edit_application(actor, application):
        raise Forbidden(f"只有牵头单位可以{what}揭榜申请")
    _window_or_409(application.challenge)
    return application


def update_application(application_id: int, *, actor: Actor, data: dict[str, Any]) -> ChallengeApplication:
    """The lead unit edits a draft or submitted application until the window closes."""
    application = _editable(application_id, actor, "修改")
    if application.status not in ("draft", "submitted"):
        raise Conflict("已撤回的揭榜申请不能修改")
    with unit_of_work():
        with db.session.no_autoflush:
            given = _apply(application, application.challenge, data)
        application.version += 1
        application.updated_at = now()
        audit.record(actor, "update", "challenge_application", application.id, fields=given)
    return application


def _submit_gaps(application: ChallengeApplication) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not application.commitment_signed or not (application.commitment or "").strip():
        errors["commitment_signed"] = ["请阅读并签署揭榜承诺书（军令状）后再提交"]
    if not (application.pi_name or "").strip():
        errors["pi_name"] = ["请填写项目负责人"]
    if not (application.plan or "").strip():
        errors["plan"] = ["请填写技术方案"]
    if not application.milestones:
        errors["milestones"] = ["请至少填写一个里程碑及其经费预算"]
    return errors


def submit_application(application_id: int, *, actor: Actor) -> ChallengeApplication:
    """The lead unit submits its application (commitment signed) before the deadline."""
    application = _editable(application_id, actor, "提交")
    if application.status != "draft":
        raise Conflict("只有草稿状态的揭榜申请可以提交")
    errors = _submit_gaps(application)
    if errors:
        raise ValidationFailed("揭榜申请尚不完整", errors=errors)
    with unit_of_work() as uow:
        application.status, application.submitted_at = "submitted", now()
        application.version += 1
        application.updated_at = now()
        audit.record(
            actor, "submit", "challenge_application", application.id, challenge_id=application.challenge_id
        )
        notify(uow, "challenge.application_submitted", ref(application))
    return application


def withdraw_application(
    application_id: int, *, actor: Actor, reason: str | None = None
) -> ChallengeApplication:
    """The lead unit withdraws its application before the deadline (final for this unit)."""
    application = _editable(application_id, actor, "撤回")
    if application.status not in ("draft", "submitted"):
        raise Conflict("该揭榜申请已撤回")
    was_submitted = application.status == "submitted"
    with unit_of_work() as uow:
        application.status = "withdrawn"
        application.version += 1
        application.updated_at = now()
        audit.record(actor, "withdraw", "challenge_application", application.id, reason=reason)
        if was_submitted:
            notify(uow, "challenge.application_withdrawn", ref(application))
    return application
