"""Demo 共性关键技术需求: the 金湖 officer marks 石油装备 needs and the 盱眙 officer one 凹土新材料 need,
so every 技术转移清单 has rows. Marked through the service (audited as in use). Idempotent: skipped
when any mark exists.
"""

from __future__ import annotations

from sqlalchemy import func, select

from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.models import CommonTechMark, TechnologyNeed, User
from matchmaker.queries.scope import json_list_contains
from matchmaker.services.transfer_lists import mark_need

# (officer, county, field of the needs, how many, chain, why they are common to the chain)
MARKS = (
    (
        "staff.jinhu", "320831", "equipment.petroleum", 3, "石油装备",
        ("县内多家石油装备企业共同面临，单个企业难以独立攻关",
         "制约抽油机、压裂装备等主导产品升级的共性技术瓶颈",
         "事关产业链关键零部件自主可控，拟列入县重点攻关方向"),
    ),
    (
        "staff.xuyi", "320830", "materials.inorganic", 1, "凹土新材料",
        ("凹土深加工企业普遍存在的提纯与改性难题",),
    ),
)  # fmt: skip


def _needs(region: str, field: str, limit: int) -> list[int]:
    stmt = (
        select(TechnologyNeed.id)
        .where(
            TechnologyNeed.region == region,
            TechnologyNeed.status == "published",
            json_list_contains(TechnologyNeed.fields, field, prefix=True),
        )
        .order_by(TechnologyNeed.published_at.desc(), TechnologyNeed.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def seed_common_tech() -> str:
    """Mark the demo's common key technology needs unless some are marked; a one-line Chinese summary."""
    if db.session.scalar(select(func.count()).select_from(CommonTechMark)):
        return "共性关键技术需求：演示标记已存在。"
    counts = []
    for local, region, field, limit, chain, notes in MARKS:
        staff = db.session.scalar(select(User).where(User.email == f"{local}@demo.matchmaker.cn"))
        if staff is None:
            return "共性关键技术需求：未找到演示科技局账号，跳过。"
        actor = Actor(user=staff, request_id="seed-demo")
        ids = _needs(region, field, limit)
        for n, need_id in enumerate(ids):
            mark_need(need_id, actor=actor, chain=chain, note=notes[n % len(notes)])
        counts.append(f"{chain}产业链 {len(ids)} 项")
    return f"共性关键技术需求：已标记{'、'.join(counts)}。"
