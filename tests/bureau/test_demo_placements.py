"""The demo's 科技副总: five placements in 金湖 and 盱眙 at different stages, the units' administrators."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from matchmaker.auth.passwords import hash_password
from matchmaker.extensions import db
from matchmaker.models import Placement, User
from matchmaker.models.common import utcnow
from tests import factories as f
from tests.conftest import JINHU, XUYI
from tooling.demo.placements import seed_placements

DOMAIN = "demo.matchmaker.cn"


def _demo_user(org, local: str, roles: list[str], name: str) -> User:
    user = User(
        org_id=org.id if org else None, name=name, email=f"{local}@{DOMAIN}", roles=roles,
        password_hash=hash_password("Demo@2026"), region_scope=getattr(org, "scope", None),
    )  # fmt: skip
    db.session.add(user)
    db.session.commit()
    return user


def _demo_world() -> None:
    bureau = f.make_org("bureau", "320800", "淮安市科学技术局")
    for local, scope in (("staff.jinhu", JINHU), ("staff.xuyi", XUYI), ("staff.city", "320800")):
        bureau.scope = scope
        _demo_user(bureau, local, ["staff"], local)
    hyit = f.make_org("university", "320812", "淮阴工学院")
    seu = f.make_org("university", "320102", "东南大学")
    _demo_user(hyit, "keyan", ["researcher"], "陆春燕")
    for unit, n in ((hyit, 2), (seu, 3)):
        for i in range(n):
            f.make_user(unit, ["researcher"], name=f"{unit.name}研究员{i}")
    for region, count, local in ((JINHU, 3, "qiye.jinhu"), (XUYI, 2, "qiye.xuyi")):
        for i in range(count):
            firm = f.make_org("enterprise", region, f"{region}测试企业{i}")
            if i == 0:
                _demo_user(firm, local, ["enterprise"], local)


def test_demo_placements_cover_every_stage_once(client, app):
    _demo_world()
    line = seed_placements(utcnow())
    assert "金湖县 3 项" in line and "盱眙县 2 项" in line
    rows = list(db.session.scalars(select(Placement)).unique())
    assert Counter(p.status for p in rows) == Counter(
        {"approved": 1, "assessed": 1, "not_approved": 1, "recommended": 1, "consenting": 1}
    )
    keyan = db.session.scalar(select(User).where(User.email == f"keyan@{DOMAIN}"))
    assert all(p.researcher_id != keyan.id for p in rows)  # left for the README walk-through
    active = next(p for p in rows if p.status == "approved")
    assert active.reports[0].countersigned_at is not None and active.province_status == "立项"
    assert next(p for p in rows if p.status == "assessed").grade == "excellent"
    # the units' administrators sign in and see their unit's placements, and only those
    token = client.post(
        "/api/v1/auth/login", json={"login": f"kejichu.seu@{DOMAIN}", "password": "Demo@2026"}
    ).json["token"]
    seen = client.get("/api/v1/placements", headers={"Authorization": f"Bearer {token}"}).json["items"]
    assert {p["unit_name"] for p in seen} == {"东南大学"} and len(seen) == 3
    assert seed_placements(utcnow()) == "科技副总：演示数据已存在。"
    assert len(db.session.scalars(select(Placement.id)).all()) == 5
