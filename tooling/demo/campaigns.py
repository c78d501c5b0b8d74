"""Demo need collection campaign (需求征集) in 金湖县, under way, with visits and an audit trail.

The 金湖 needs of the last 120 days are attributed to the campaign (every fourth one as collected
by the county officer on a visit), all 金湖 enterprises are invited (rows only: the demo's history is
not news), and the county officer's review of those needs is written to the audit log.
Idempotent: skipped when the campaign exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditLog, Campaign, CampaignInvitation, Organization, TechnologyNeed, User
from matchmaker.models.common import CHINA

JINHU = "320831"
TITLE = "2026年金湖县企业技术需求征集"
STAFF_EMAIL = "staff.jinhu@demo.matchmaker.cn"
QUESTIONS = [
    {"key": "rd_staff", "label": "企业研发人员数", "required": False},
    {"key": "cooperation", "label": "是否已有合作高校院所", "required": False},
]


def _attribute(campaign: Campaign, staff: User, since: datetime) -> list[TechnologyNeed]:
    stmt = (
        select(TechnologyNeed)
        .where(TechnologyNeed.region == JINHU, TechnologyNeed.created_at >= since)
        .order_by(TechnologyNeed.created_at, TechnologyNeed.id)
    )
    needs = list(db.session.scalars(stmt).unique())
    for n, need in enumerate(needs):
        need.campaign_id = campaign.id
        need.answers = {"rd_staff": str(5 + n % 20), "cooperation": "是" if n % 3 == 0 else "否"}
        if n % 4 == 0:
            need.collected_by, need.source = staff.id, "visit"
    return needs


def _audit(staff: User, needs: list[TechnologyNeed]) -> None:
    for need in needs:
        rows = [(need.owner_id, "create", need.created_at)]
        if need.published_at is not None:
            rows.append((staff.id, "publish", need.published_at))
        for actor_id, action, at in rows:
            db.session.add(
                AuditLog(actor_id=actor_id, action=action, object_type="need", object_id=need.id, at=at)
            )


def seed_campaigns(now: datetime) -> str:
    """Create the demo campaign unless it exists; a one-line Chinese summary."""
    if db.session.scalar(select(Campaign.id).where(Campaign.title == TITLE)) is not None:
        return "需求征集：演示活动已存在。"
    staff = db.session.scalar(select(User).where(User.email == STAFF_EMAIL))
    if staff is None:
        return "需求征集：未找到金湖县科技局演示账号，跳过。"
    today = now.astimezone(CHINA).date()
    campaign = Campaign(
        title=TITLE,
        description="面向全县规上工业企业和高新技术企业征集技术需求，汇编后推送给合作高校院所。",
        region=JINHU, counties=[JINHU], industries=[], questions=QUESTIONS,
        starts_on=today - timedelta(days=120), ends_on=today + timedelta(days=30),
        target_count=60, status="open", created_by=staff.id,
    )  # fmt: skip
    db.session.add(campaign)
    db.session.flush()
    firms = select(Organization.id).where(Organization.kind == "enterprise", Organization.region == JINHU)
    for org_id in db.session.scalars(firms):
        db.session.add(CampaignInvitation(campaign_id=campaign.id, org_id=org_id, invited_by=staff.id))
    needs = _attribute(campaign, staff, now - timedelta(days=120))
    _audit(staff, needs)
    db.session.commit()
    visits = sum(1 for n in needs if n.collected_by is not None)
    return f"需求征集：《{TITLE}》进行中，已征集 {len(needs)} 项（走访代录 {visits} 项），目标 60 项。"
