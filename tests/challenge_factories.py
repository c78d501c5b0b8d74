"""Test data for 揭榜挂帅 challenges, written straight to the database (no workflow, no outbox)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from matchmaker.extensions import db
from matchmaker.models import (
    ApplicationMember,
    Challenge,
    ChallengeApplication,
    ChallengeIndicator,
    ExpertProfile,
    Organization,
    User,
)
from matchmaker.models.common import utcnow

DEFAULT_CRITERIA = [
    {"code": "plan", "name": "技术方案先进性与可行性", "weight": 40},
    {"code": "basis", "name": "研究基础与团队实力", "weight": 30},
    {"code": "budget", "name": "经费预算合理性", "weight": 15},
    {"code": "schedule", "name": "进度安排与交付保障", "weight": 15},
]


def make_challenge(
    org: Organization, owner: User | None = None, *, status: str = "published", **kw: Any
) -> Challenge:
    """A complete 榜单 (two quantified indicators, time limit, IP terms, bounty) in the given state."""
    now = utcnow()
    public = status not in ("draft", "submitted", "rejected", "cancelled")
    values: dict[str, Any] = {
        "title": "高精度MEMS压力传感器温漂补偿技术攻关",
        "fields": ["instrument.sensor"],
        "keywords": ["MEMS", "压力传感器", "温度补偿"],
        "industry_chain": "智能传感器",
        "region": org.region,
        "background": "企业现有压力变送器在高低温环境下漂移较大，影响石化客户使用。",
        "problem": "在-40℃至125℃范围内将压力传感器温漂控制在0.05%FS以内，并实现批量生产。",
        "time_limit_months": 18,
        "ip_ownership": "shared",
        "bounty_enterprise": 300,
        "bounty_subsidy": 100,
        "payment_terms": "签订合同后拨付60%，通过验收后拨付40%。",
        "conditions": "牵头单位须为高校、科研院所或具有研发能力的企业。",
        "contact_name": "张敏",
        "contact_phone": "13900000001",
        "contact_email": "zhangmin@example.cn",
        "mode": "single",
        "max_winners": 1,
        "criteria": DEFAULT_CRITERIA,
        "blind_review": False,
        "status": status,
        "apply_opens_at": now - timedelta(days=10) if public else None,
        "apply_closes_at": now + timedelta(days=20)
        if status in ("published", "draft", "submitted")
        else None,
        "published_at": now - timedelta(days=10) if public else None,
        "submitted_at": now - timedelta(days=12) if status != "draft" else None,
    }
    if status not in ("published", "draft", "submitted", "rejected", "cancelled"):
        values["apply_closes_at"] = now - timedelta(days=1)
        values["closed_at"] = now - timedelta(days=1)
    values.update(kw)
    challenge = Challenge(org_id=org.id, owner_id=owner.id if owner else None, version=1, **values)
    challenge.indicators = [
        ChallengeIndicator(position=0, name="全温区温漂", comparator="<=", target=0.05, unit="%FS"),
        ChallengeIndicator(position=1, name="批量良品率", comparator=">=", target=95, unit="%"),
    ]
    db.session.add(challenge)
    db.session.commit()
    return challenge


def make_application(
    challenge: Challenge,
    lead: Organization,
    user: User,
    *,
    status: str = "submitted",
    members: list[Organization | str] = (),  # type: ignore[assignment]
    **kw: Any,
) -> ChallengeApplication:
    """An application by the lead unit with consortium members (platform orgs or bare names)."""
    values: dict[str, Any] = {
        "pi_name": user.name,
        "pi_title": "教授",
        "plan": "采用多点温度标定与数字补偿算法，结合封装应力优化。",
        "basis": "团队长期从事MEMS传感器研究，已有相关发明专利3项。",
        "milestones": [
            {"title": "样机研制", "months": 9, "deliverable": "样机及测试报告", "budget": 150},
            {"title": "中试与批量验证", "months": 18, "deliverable": "中试线及验收报告", "budget": 250},
        ],
        "budget_total": 400,
        "commitment": "我单位承诺按期完成榜单全部核心指标，未完成的愿接受相应处理。",
        "commitment_signed": True,
        "status": status,
        "submitted_at": utcnow() if status != "draft" else None,
    }
    values.update(kw)
    application = ChallengeApplication(
        challenge_id=challenge.id, lead_org_id=lead.id, submitted_by=user.id, version=1, **values
    )
    application.members = [
        ApplicationMember(
            position=i,
            org_id=m.id if isinstance(m, Organization) else None,
            org_name=m.name if isinstance(m, Organization) else m,
            role="联合攻关",
        )
        for i, m in enumerate(members)
    ]
    db.session.add(application)
    db.session.commit()
    return application


def make_expert_profile(user: User, fields: list[str] | None = None, **kw: Any) -> ExpertProfile:
    """Put a user (who should hold the ``expert`` role) in the expert pool."""
    profile = ExpertProfile(
        user_id=user.id, fields=fields or ["instrument.sensor"], title=kw.pop("title", "教授"), **kw
    )
    db.session.add(profile)
    db.session.commit()
    return profile


# --- review, award and delivery (stages 4–6) ------------------------------------------------------


def make_expert(org: Organization | None, name: str, fields: list[str] | None = None, **kw: Any) -> User:
    """A user with the expert role, in the expert pool."""
    from tests.factories import make_user

    user = make_user(org, ["researcher", "expert"], name=name)
    make_expert_profile(user, fields, **kw)
    return user


def make_award(application: ChallengeApplication, staff: User, *, amount: float = 400, **kw: Any) -> Any:
    """A confirmed award of the application (challenge awarded, application awarded) with two milestones."""
    from datetime import date

    from matchmaker.models import ChallengeAward, DeliveryMilestone

    today = date.today()
    award = ChallengeAward(
        challenge_id=application.challenge_id,
        application_id=application.id,
        lead_org_id=application.lead_org_id,
        region=application.challenge.region,
        amount=amount,
        agreement_date=kw.pop("agreement_date", today),
        agreement_number=kw.pop("agreement_number", "JHKJ-2026-001"),
        due_date=kw.pop("due_date", today + timedelta(days=540)),
        status="delivering",
        confirmed_by=staff.id,
        **kw,
    )
    award.milestones = [
        DeliveryMilestone(position=0, title="样机研制", deliverables="样机及测试报告",
                          due_date=today + timedelta(days=270), status="pending"),
        DeliveryMilestone(position=1, title="中试与批量验证", deliverables="中试线及验收报告",
                          due_date=today + timedelta(days=540), status="pending"),
    ]  # fmt: skip
    application.status = "awarded"
    application.challenge.status = "awarded"
    application.challenge.awarded_at = utcnow()
    db.session.add(award)
    db.session.commit()
    return award


def review_scene(world: Any, **challenge_kw: Any) -> Any:
    """A 金湖 challenge by alice's firm under review with two submitted applications and two experts.

    app_a: 江苏传感技术研究院 (PI 王立新) with the name-only member 淮安智能传感产业研究所;
    app_b: 淮阴理工学院 (PI 刘海涛) with the platform member 盱眙精密制造有限公司.
    Experts: rita (东南理工大学, sensors) and sun (南京仪器研究所, pressure instruments).
    """
    from types import SimpleNamespace

    from tests.factories import auth, make_org, make_user

    s = SimpleNamespace(world=world)
    challenge_kw.setdefault("status", "reviewing")
    s.challenge = make_challenge(world.ent_a, world.alice, **challenge_kw)
    s.inst_a = make_org("institute", "320800", "江苏传感技术研究院")
    s.inst_b = make_org("university", "320800", "淮阴理工学院")
    s.member_b = make_org("enterprise", "320830", "盱眙精密制造有限公司")
    s.wang = make_user(s.inst_a, ["researcher"], name="王立新")
    s.liu = make_user(s.inst_b, ["researcher"], name="刘海涛")
    s.app_a = make_application(
        s.challenge, s.inst_a, s.wang, members=["淮安智能传感产业研究所"],
        pi_phone="13700000011", pi_email="wanglx@jsst.example.cn",
    )  # fmt: skip
    s.app_b = make_application(s.challenge, s.inst_b, s.liu, members=[s.member_b], pi_phone="13700000022")
    make_expert_profile(world.rita, ["instrument.sensor"], specialties="MEMS 传感器 温度补偿")
    s.sun_org = make_org("institute", "320102", "南京仪器研究所")
    s.sun = make_expert(s.sun_org, "孙志远", ["instrument.pressure_temp"])
    s.h_wang, s.h_liu, s.h_sun = auth(s.wang), auth(s.liu), auth(s.sun)
    return s
