"""Need collection campaigns (需求征集): create, invite enterprises, collect needs (also on a visit).

Staff whose scope holds the campaign's region run it; the campaign's counties must lie inside that
scope. Enterprises in the campaign's counties (invited or not) may file needs into it while it is
open; staff collect a need on a firm's behalf during a visit (走访): the need belongs to the firm,
records the officer, and goes straight to review (after the intake check).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from matchmaker.announce import announce
from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden, NotFound, ValidationFailed
from matchmaker.extensions import db
from matchmaker.models import Campaign, CampaignInvitation, NeedIndicator, Organization, TechnologyNeed
from matchmaker.models.common import utcnow
from matchmaker.queries.audit import register_scope
from matchmaker.queries.scope import region_clause
from matchmaker.services import audit
from matchmaker.services.intake import replace_indicators
from matchmaker.services.listings import intake
from matchmaker.services.listings.workflow import check_rules, create_listing
from matchmaker.services.outbox import record_change
from matchmaker.services.uow import unit_of_work
from matchmaker.taxonomy import regions

MAX_INVITES = 500
register_scope("campaign", Campaign)


def can_manage(actor: Actor, campaign: Campaign) -> bool:
    """Staff whose scope holds the campaign's region, and admins."""
    return policy.is_admin(actor) or policy.staff_covers(actor, campaign.region)


def covers_org(campaign: Campaign, org: Organization) -> bool:
    """Is the organisation in one of the campaign's counties (or its region when none are named)?"""
    return any(regions.within(code, org.region) for code in campaign.counties or [campaign.region])


def load_campaign(campaign_id: int, *, actor: Actor) -> Campaign:
    """The campaign for staff who run it, and for enterprises it covers; NotFound otherwise."""
    campaign = db.session.get(Campaign, campaign_id)
    org = actor.user.org if actor.user is not None else None
    if campaign is None or not (
        can_manage(actor, campaign) or (org is not None and covers_org(campaign, org))
    ):
        raise NotFound("未找到该需求征集活动")
    return campaign


def managed_campaign(campaign_id: int, *, actor: Actor) -> Campaign:
    """The campaign for staff who run it (and admins); 404 unknown, 403 outside their scope."""
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound("未找到该需求征集活动")
    if not can_manage(actor, campaign):
        raise Forbidden("该征集活动不在您的辖区内")
    return campaign


def _check(data: dict[str, Any], region: str) -> None:
    errors: dict[str, list[str]] = {}
    if data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = ["结束日期不能早于开始日期"]
    outside = [c for c in data.get("counties") or [] if not regions.within(region, c)]
    if outside:
        errors["counties"] = [f"以下地区不在征集范围（{regions.full_name(region)}）内：{'、'.join(outside)}"]
    keys = [q["key"] for q in data.get("questions") or []]
    if len(keys) != len(set(keys)):
        errors["questions"] = ["附加问题的 key 不能重复"]
    if errors:
        raise ValidationFailed(errors=errors)


def create_campaign(*, actor: Actor, data: dict[str, Any]) -> Campaign:
    """Staff open a campaign in their region (or a part of it)."""
    if not actor.has_role("staff", "admin"):
        raise Forbidden("只有科技局工作人员可以发起需求征集")
    region = policy.staff_region(actor, data.pop("region", None))
    if region is None:
        raise Forbidden("征集范围超出您的辖区")
    _check(data, region)
    with unit_of_work():
        campaign = Campaign(region=region, created_by=actor.user_id, status="open", **data)
        db.session.add(campaign)
        db.session.flush()
        audit.record(actor, "create", "campaign", campaign.id, target=campaign.target_count)
    return campaign


def close_campaign(campaign_id: int, *, actor: Actor) -> Campaign:
    """Staff close the campaign: no more needs are filed into it."""
    campaign = managed_campaign(campaign_id, actor=actor)
    with unit_of_work():
        campaign.status = "closed"
        audit.record(actor, "close", "campaign", campaign.id)
    return campaign


def list_campaigns(*, actor: Actor) -> list[Campaign]:
    """Staff: the campaigns of their region; enterprises: the open campaigns covering them."""
    stmt = select(Campaign).order_by(Campaign.starts_on.desc(), Campaign.id.desc())
    if policy.is_admin(actor):
        return list(db.session.scalars(stmt))
    if actor.has_role("staff"):
        return [c for c in db.session.scalars(stmt) if can_manage(actor, c)]
    org = actor.user.org if actor.user is not None else None
    if org is None:
        return []
    return [c for c in db.session.scalars(stmt.where(Campaign.status == "open")) if covers_org(c, org)]


def _eligible(campaign: Campaign) -> Any:
    conds = [Organization.kind == "enterprise"]
    codes = campaign.counties or [campaign.region]
    return select(Organization).where(*conds, db.or_(*(region_clause(Organization.region, c) for c in codes)))


def invite(campaign_id: int, *, actor: Actor, org_ids: list[int] | None) -> list[CampaignInvitation]:
    """Invite enterprises (the given ones, or every enterprise the campaign covers); each is told once."""
    campaign = managed_campaign(campaign_id, actor=actor)
    if campaign.status != "open":
        raise Conflict("征集活动已结束，不能再邀请企业")
    stmt = _eligible(campaign)
    if org_ids is not None:
        stmt = stmt.where(Organization.id.in_(org_ids))
    orgs = list(db.session.scalars(stmt.limit(MAX_INVITES)).unique())
    if org_ids is not None and len(orgs) != len(set(org_ids)):
        raise ValidationFailed(errors={"org_ids": ["只能邀请征集范围内的企业"]})
    done = set(db.session.scalars(select(CampaignInvitation.org_id).filter_by(campaign_id=campaign.id)))
    created = []
    with unit_of_work() as uow:
        for org in orgs:
            if org.id in done:
                continue
            row = CampaignInvitation(campaign_id=campaign.id, org_id=org.id, invited_by=actor.user_id)
            db.session.add(row)
            created.append(row)
            announce(uow, "campaign.invited", f"campaign/{campaign.id}@{org.id}")
        audit.record(actor, "invite", "campaign", campaign.id, orgs=[r.org_id for r in created])
    return created


def _open_for(campaign: Campaign, today: date | None = None) -> None:
    today = today or date.today()
    if campaign.status != "open" or not (campaign.starts_on <= today <= campaign.ends_on):
        raise Conflict("该需求征集活动不在征集期内")


def check_answers(campaign: Campaign, answers: dict[str, Any] | None) -> dict[str, Any]:
    """The answers to the campaign's extra questions: required ones present, unknown keys refused."""
    answers = answers or {}
    known = {q["key"]: q for q in campaign.questions or []}
    errors = {k: ["征集活动没有这个问题"] for k in answers if k not in known}
    for key, q in known.items():
        if q.get("required") and not str(answers.get(key) or "").strip():
            errors[key] = [f"请回答：{q['label']}"]
    if errors:
        raise ValidationFailed(errors={"answers": errors})
    return answers


def file_need(campaign_id: int, *, actor: Actor, data: dict[str, Any]) -> TechnologyNeed:
    """An enterprise the campaign covers files a need into it (a draft, submitted as usual)."""
    campaign = load_campaign(campaign_id, actor=actor)
    org = actor.user.org if actor.user is not None else None
    if org is None or org.kind != "enterprise" or not covers_org(campaign, org):
        raise Forbidden("只有征集范围内的企业可以提交需求")
    _open_for(campaign)
    answers = check_answers(campaign, data.pop("answers", None))
    need = create_listing("need", actor=actor, data={**data, "campaign_id": campaign.id, "answers": answers})
    return need


def _visit_need(campaign: Campaign, org: Organization, actor: Actor, data: dict[str, Any]) -> TechnologyNeed:
    indicators = data.pop("indicators", None) or []
    answers = check_answers(campaign, data.pop("answers", None))
    check_rules("need", data)
    need = TechnologyNeed(
        **{k: v for k, v in data.items() if v is not None},
        org_id=org.id,
        region=org.region,
        campaign_id=campaign.id,
        collected_by=actor.user_id,
        answers=answers,
        source="visit",
        status="submitted",
        submitted_at=utcnow(),
        version=1,
    )
    need.org = org
    replace_indicators(need, indicators, NeedIndicator)
    report = intake.check(need, intake.siblings_of(need))
    if not report.ready:
        raise ValidationFailed("需求信息尚不完整，请按提示修改后再提交", errors=report.errors())
    return need


def collect_on_visit(campaign_id: int, *, actor: Actor, org_id: int, data: dict[str, Any]) -> TechnologyNeed:
    """Staff enter a need a firm stated during a visit (走访): owned by the firm, sent to review."""
    campaign = managed_campaign(campaign_id, actor=actor)
    _open_for(campaign)
    org = db.session.get(Organization, org_id)
    if org is None or org.kind != "enterprise" or not covers_org(campaign, org):
        raise ValidationFailed(errors={"org_id": ["只能为征集范围内的企业代录需求"]})
    defaults = {"contact_name": "", "contact_phone": "", "contact_email": ""}
    with unit_of_work() as uow:
        need = _visit_need(campaign, org, actor, {**defaults, **data})
        db.session.add(need)
        db.session.flush()
        audit.record(actor, "collect_on_visit", "need", need.id, campaign_id=campaign.id, org_id=org.id)
        record_change(uow, need)
    return need
