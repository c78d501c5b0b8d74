"""Demo data for `flask seed-demo`: 淮安市 enterprises, Jiangsu universities, needs and outputs.

Everything is generated in code from word lists and templates with seeded random streams, so a
fresh database always gets the same organisations, logins and ids. Running again adds nothing.
The shared password below is for the demo only: never load this data into a production system.
"""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click
from flask import current_app
from sqlalchemy import func, select, update

from matchmaker.extensions import db
from matchmaker.models import Organization, ResearchOutput, TechnologyNeed, User
from matchmaker.models.common import utcnow
from matchmaker.taxonomy import regions

DEMO_PASSWORD = "Demo@2026"

# (role shown in the table, login e-mail local part) of the accounts a demo walks through.
_FEATURED = (
    ("企业（金湖县）", "qiye.jinhu"),
    ("企业（盱眙县）", "qiye.xuyi"),
    ("科研人员", "keyan"),
    ("科研人员", "keyan.nanjing"),
    ("科技局审核（金湖县）", "staff.jinhu"),
    ("科技局审核（盱眙县）", "staff.xuyi"),
    ("科技局审核（淮安市）", "staff.city"),
    ("平台管理员", "admin"),
)


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """One demo account to show in the README and at the end of `flask seed-demo`."""

    role: str
    name: str
    org: str
    email: str
    password: str = DEMO_PASSWORD


def demo_logins() -> list[DemoLogin]:
    """The featured demo accounts (stable across runs and machines)."""
    from tooling.demo.vocabulary import DEMO_DOMAIN
    from tooling.demo.world import build_world

    world = build_world(utcnow())
    members = {member.row["email"]: member for member in world.users}
    org_names = {org.uscc: org.row["name"] for org in world.orgs}
    logins = []
    for role, local in _FEATURED:
        member = members[f"{local}@{DEMO_DOMAIN}"]
        org = org_names.get(member.org_uscc or "", "—")
        logins.append(DemoLogin(role, member.row["name"], org, member.row["email"]))
    return logins


def seed(echo: Callable[[str], None] | None = None) -> str:
    """Load the demo data that is missing and return a Chinese summary with the demo logins."""
    from tooling.demo import challenges as demo_challenges
    from tooling.demo.listings import build_needs, build_outputs
    from tooling.demo.world import build_world
    from tooling.demo.writer import drain_search, write_all

    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("生产环境不加载演示数据：演示账号使用公开的统一密码。")
    say = echo or (lambda _message: None)
    started, now = time.perf_counter(), utcnow()
    say("正在生成演示数据……")
    world = build_world(now)
    needs, outputs = build_needs(world, now), build_outputs(world, now)
    say("正在写入数据库……")
    written = write_all(world, needs, outputs, DEMO_PASSWORD)
    say("正在写入揭榜挂帅榜单……")
    challenge_line = demo_challenges.seed(now)
    say("正在同步搜索索引……")
    search_line = drain_search(say)
    say("正在计算匹配……")
    match_line = _match_published_needs()
    from tooling.demo.events import seed_events

    events_line = seed_events(now)
    from tooling.demo.money import seed_money

    money_line = seed_money(now)
    from tooling.demo.campaigns import seed_campaigns

    campaign_line = seed_campaigns(now)
    from tooling.demo.pushes import seed_pushes

    push_line = seed_pushes(now)
    from tooling.demo.periodic_reports import seed_reports

    report_line = seed_reports(now)
    from tooling.demo.transfer_lists import seed_common_tech

    common_tech_line = seed_common_tech()
    from tooling.demo.placements import seed_placements

    placement_line = seed_placements(now)
    seconds = time.perf_counter() - started
    if written.anything:
        head = (
            f"演示数据已写入：新增单位 {written.orgs} 个、用户 {written.users} 个、"
            f"技术需求 {written.needs} 条、科技成果 {written.outputs} 条（用时 {seconds:.1f} 秒）。"
        )
    else:
        head = "演示数据已存在，本次未做任何更改。"
    lines = [
        head,
        _totals(),
        search_line,
        match_line,
        events_line,
        challenge_line,
        campaign_line,
        push_line,
        report_line,
        common_tech_line,
        placement_line,
        money_line,
    ]
    return "\n".join([*lines, "", login_table(demo_logins())])


def _match_published_needs() -> str:
    """Rank outputs for every published need that has no matches yet (as publishing would)."""
    from matchmaker.models import Match, MatchRun, PendingPush
    from matchmaker.services.matches.ranking import run_match

    matched = select(Match.need_id).distinct()
    ids = list(
        db.session.scalars(
            select(TechnologyNeed.id).where(
                TechnologyNeed.status == "published", TechnologyNeed.id.not_in(matched)
            )
        )
    )
    runs = [MatchRun(kind="need", object_id=need_id, reason="demo") for need_id in ids]
    db.session.add_all(runs)
    db.session.commit()
    last_push = db.session.scalar(select(func.max(PendingPush.id))) or 0
    for run in runs:
        run_match(run.id)
    # the demo's own history is not news: only matches made after seeding are pushed to people
    db.session.execute(
        update(PendingPush).where(PendingPush.id > last_push, PendingPush.delivered_at.is_(None))
        .values(delivered_at=utcnow())
    )  # fmt: skip
    _consent_to_notifications()
    db.session.commit()
    total = _count(select(func.count()).select_from(Match))
    if not runs:
        return f"匹配：无需重新计算（现有匹配 {total} 条）。"
    return f"匹配：已为 {len(runs)} 条已发布需求计算匹配，现有匹配 {total} 条。"


def _count(stmt: Any) -> int:
    return db.session.scalar(stmt) or 0


def _totals() -> str:
    """What the database now holds, for the summary."""
    orgs = _count(select(func.count()).select_from(Organization))
    counties = db.session.scalars(select(Organization.region).distinct()).all()
    local = sorted({code for code in counties if regions.level(code) == "county" and code.startswith("3208")})
    users = _count(select(func.count()).select_from(User))
    parts = []
    for label, model in (("技术需求", TechnologyNeed), ("科技成果", ResearchOutput)):
        total = _count(select(func.count()).select_from(model))
        shown = _count(select(func.count()).select_from(model).where(model.status == "published"))
        parts.append(f"{label} {total} 条（已发布 {shown} 条）")
    head = f"数据库现有：单位 {orgs} 个（覆盖淮安市 {len(local)} 个县区），用户 {users} 个，"
    return head + "，".join(parts) + "。"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def login_table(logins: list[DemoLogin]) -> str:
    """The demo accounts as an aligned plain-text table in Chinese."""
    header = ("角色", "姓名", "单位", "登录账号")
    rows = [header, *((item.role, item.name, item.org, item.email) for item in logins)]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    note = (
        f"演示账号（统一密码 {DEMO_PASSWORD}，仅供本地演示环境使用，切勿在生产环境加载演示数据）：",
        "其他演示账号：企业 qiye001@… 起编号，科研人员 keyan001@… 起编号，"
        "涟水、洪泽、淮安区、清江浦科技局为 staff.lianshui@ / staff.hongze@ / staff.huaian@ / "
        "staff.qingjiangpu@，域名同上，密码相同。",
    )
    return "\n".join([note[0], *lines, note[1]])


def _consent_to_notifications() -> None:
    """Demo users agree to e-mail and SMS notices, so the local outbox shows what would be sent."""
    from matchmaker.models.notifications import Consent
    from matchmaker.services.notifications import record_consent
    from tooling.demo.vocabulary import DEMO_DOMAIN

    consented = set(db.session.scalars(select(Consent.user_id).distinct()))
    for user_id in db.session.scalars(select(User.id).where(User.email.like(f"%@{DEMO_DOMAIN}"))):
        if user_id not in consented:
            for purpose in ("email", "sms"):
                record_consent(user_id=user_id, purpose=purpose, granted=True, source="demo-seed")
