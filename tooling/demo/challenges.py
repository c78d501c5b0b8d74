"""Write the demo's 揭榜挂帅 challenges (one at every stage) and the expert pool, idempotently.

Rows are written directly, the way the workflow would have left them; a challenge whose title is
already present is skipped, so running seed-demo twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import (
    ApplicationMember,
    Challenge,
    ChallengeApplication,
    ChallengeIndicator,
    ExpertProfile,
    Organization,
    OutboxEvent,
    ResearchOutput,
    User,
)
from matchmaker.models.challenges.lists import CHALLENGE_PUBLIC_STATUSES
from tooling.demo import challenge_stages as stages
from tooling.demo import challenge_texts as texts
from tooling.demo.vocabulary import DEMO_DOMAIN

STAFF_BY_REGION = {
    "320831": "staff.jinhu",
    "320830": "staff.xuyi",
    "320826": "staff.lianshui",
    "320813": "staff.hongze",
    "320803": "staff.huaian",
    "320812": "staff.qingjiangpu",
}
REVIEWED = ("reviewing", "publicity", "awarded", "finished")


def _user(login: str) -> User:
    user = db.session.scalar(select(User).where(User.email == f"{login}@{DEMO_DOMAIN}"))
    if user is None:
        raise LookupError(f"演示账号 {login} 不存在")
    return user


def seed_expert_pool(now: datetime) -> int:
    """Give every demo user with the expert role a profile, with the fields of their outputs."""
    have = set(db.session.scalars(select(ExpertProfile.user_id)))
    experts = [u for u in db.session.scalars(select(User).order_by(User.id)).unique() if u.has_role("expert")]
    added = 0
    for user in experts:
        if user.id in have:
            continue
        owned = db.session.scalars(select(ResearchOutput.fields).where(ResearchOutput.owner_id == user.id))
        fields = sorted({code for row in owned for code in row or []}) or list(
            user.org.fields if user.org else []
        )
        db.session.add(
            ExpertProfile(
                user_id=user.id,
                fields=fields[:6],
                title=user.title or "教授",
                specialties="、".join(fields[:3]),
                created_at=now,
                updated_at=now,
            )
        )
        added += 1
    return added


def seed_challenges(now: datetime) -> list[Challenge]:
    """Write the challenges that are missing; returns the ones written."""
    existing = set(db.session.scalars(select(Challenge.title)))
    written = []
    for spec in texts.SPECS:
        if spec["title"] not in existing:
            written.append(_write(spec, now))
    restored = _restore_publicity_stage(now)
    return written + ([restored] if restored else [])


def _restore_publicity_stage(now: datetime) -> Challenge | None:
    """Keep one challenge whose 公示 is over and not yet awarded (the README's 挂帅 walk-through
    starts there): when the walk-through took the demo's on to 挂帅, write another round of it."""
    spec = next(s for s in texts.SPECS if s["stage"] == "publicity")
    rounds = list(db.session.scalars(select(Challenge).where(Challenge.title.startswith(spec["title"]))))
    if not rounds or any(c.status == "publicity" for c in rounds):
        return None
    return _write({**spec, "title": f"{spec['title']}（第{len(rounds) + 1}批）"}, now)


def _write(spec: dict[str, Any], now: datetime) -> Challenge:
    poster = _user(spec["poster"])
    stage = spec["stage"]
    challenge = _challenge(spec, poster, now)
    db.session.add(challenge)
    db.session.flush()
    apps = [
        _application(challenge, login, members, status, now)
        for login, members, status in spec.get("applicants", [])
    ]
    db.session.flush()
    if stage in REVIEWED:
        staff = _user(STAFF_BY_REGION.get(challenge.region, "staff.city"))
        stages.review(challenge, apps, staff, now, complete=stage != "reviewing")
        if stage != "reviewing":
            stages.publicity(challenge, apps, staff, now, _user("qiye.xuyi"))
        if stage in ("awarded", "finished"):
            stages.award(challenge, apps, staff, now, finished=stage == "finished")
    return challenge


def _challenge(spec: dict[str, Any], poster: User, now: datetime) -> Challenge:
    stage = spec["stage"]
    ago = {
        "draft": 2,
        "submitted": 5,
        "rejected": 12,
        "published": 25,
        "reviewing": 60,
        "publicity": 75,
        "awarded": 200,
        "finished": 480,
    }[stage]
    created = now - timedelta(days=ago)
    enterprise, subsidy = spec["bounty"]
    challenge = Challenge(
        org_id=poster.org_id,
        owner_id=poster.id,
        title=spec["title"],
        fields=spec["fields"],
        keywords=spec["keywords"],
        industry_chain=spec["chain"],
        region=poster.org.region if poster.org else "320800",
        background=spec["background"],
        problem=spec["problem"],
        time_limit_months=spec["months"],
        ip_ownership=spec["ip"],
        bounty_enterprise=enterprise,
        bounty_subsidy=subsidy,
        payment_terms=spec["payment"],
        conditions=texts.CONDITIONS,
        contact_name=poster.name,
        contact_phone=poster.phone or "",
        contact_email=poster.email,
        mode=spec.get("mode", "single"),
        max_winners=spec.get("max_winners", 1),
        criteria=stages.CRITERIA,
        blind_review=spec.get("blind", False),
        status=stage,
        reject_reason=spec.get("reject_reason"),
        version=1,
        created_at=created,
        updated_at=created,
        submitted_at=None if stage == "draft" else created + timedelta(days=1),
    )
    challenge.indicators = [
        ChallengeIndicator(position=i, name=name, comparator=cmp, target=target, unit=unit)
        for i, (name, cmp, target, unit) in enumerate(spec["indicators"])
    ]
    if stage in CHALLENGE_PUBLIC_STATUSES:
        challenge.published_at = challenge.apply_opens_at = created + timedelta(days=3)
        challenge.apply_closes_at = (
            now + timedelta(days=20) if stage == "published" else created + timedelta(days=33)
        )
        challenge.reviewed_by = _user(STAFF_BY_REGION.get(challenge.region, "staff.city")).id
        if stage != "published":
            challenge.closed_at = challenge.apply_closes_at
    return challenge


def _application(
    challenge: Challenge, login: str, members: list[str], status: str, now: datetime
) -> ChallengeApplication:
    user = _user(login)
    org_ids = {
        o.name: o.id for o in db.session.scalars(select(Organization).where(Organization.name.in_(members)))
    }
    budget = float(challenge.bounty_total or 0)
    milestones = [
        {
            "title": m["title"],
            "months": round((challenge.time_limit_months or 12) * (i + 1) / len(texts.MILESTONES)),
            "deliverable": m["deliverable"],
            "budget": round(budget * m["share"], 2),
        }
        for i, m in enumerate(texts.MILESTONES)
    ]
    application = ChallengeApplication(
        challenge_id=challenge.id,
        lead_org_id=user.org_id,
        submitted_by=user.id,
        pi_name=user.name,
        pi_title=user.title or "教授",
        pi_phone=user.phone or "",
        pi_email=user.email,
        plan=f"围绕“{challenge.title}”，团队拟从机理分析、关键工艺和工程验证三方面开展攻关。",
        basis=f"{user.org.name if user.org else user.name}在{challenge.industry_chain}领域"
        "承担过多项省部级项目，具备中试条件。",
        milestones=milestones,
        budget_total=budget,
        commitment=texts.COMMITMENT,
        commitment_signed=status != "draft",
        status=status,
        version=1,
        created_at=challenge.created_at + timedelta(days=5),
        updated_at=challenge.created_at + timedelta(days=6),
        submitted_at=None if status == "draft" else challenge.created_at + timedelta(days=6),
    )
    application.members = [
        ApplicationMember(position=i, org_id=org_ids.get(name), org_name=name, role="联合攻关、中试验证")
        for i, name in enumerate(members)
    ]
    db.session.add(application)
    return application


STAGE_LABELS = {
    "draft": "草稿",
    "submitted": "待审核",
    "rejected": "退回修改",
    "published": "揭榜征集中",
    "reviewing": "专家评审中",
    "publicity": "公示中",
    "awarded": "实施中",
    "finished": "已验收",
}


def seed(now: datetime) -> str:
    """Write the expert pool and the challenges that are missing; a one-line Chinese summary."""
    experts = seed_expert_pool(now)
    db.session.flush()
    written = seed_challenges(now)
    db.session.flush()
    # the search drain that follows indexes them like the listings
    db.session.add_all(
        OutboxEvent(topic="search", kind="challenge", object_id=c.id, version=c.version, op="upsert")
        for c in written
    )
    db.session.commit()
    if not written and not experts:
        return "揭榜挂帅：演示榜单已存在，未做更改。"
    stages = "、".join(STAGE_LABELS[c.status] for c in written)
    return f"揭榜挂帅：新增榜单 {len(written)} 个（{stages}），专家库新增 {experts} 人。"
