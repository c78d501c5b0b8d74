"""Plain factory functions for tests: organisations, users, tokens and listings with realistic data."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from matchmaker.auth.passwords import hash_password
from matchmaker.auth.tokens import issue_token
from matchmaker.extensions import db
from matchmaker.models import Organization, ResearchOutput, TechnologyNeed, User
from matchmaker.models.common import utcnow
from matchmaker.taxonomy.validators import uscc_with_check

_seq = itertools.count(1)
PASSWORD = "Passw0rd!2026"


def make_org(
    kind: str = "enterprise", region: str = "320831", name: str | None = None, **kw: Any
) -> Organization:
    """An organisation with a valid unified social credit code, verified unless verified=False is given."""
    n = next(_seq)
    kw.setdefault("verified", True)
    org = Organization(
        kind=kind,
        name=name or f"测试单位{n}",
        region=region,
        uscc=uscc_with_check(f"91320800MA{n:07d}"),
        fields=kw.pop("fields", ["instrument"]),
        **kw,
    )
    db.session.add(org)
    db.session.commit()
    return org


def make_user(
    org: Organization | None, roles: list[str], *, region_scope: str | None = None, name: str | None = None
) -> User:
    """A user with a unique e-mail and mobile number; the password is PASSWORD."""
    n = next(_seq)
    user = User(
        org_id=org.id if org else None,
        name=name or f"用户{n}",
        email=f"user{n}@example.com",
        phone=f"139{n:08d}",
        password_hash=hash_password(PASSWORD),
        roles=roles,
        region_scope=region_scope,
    )
    db.session.add(user)
    db.session.commit()
    return user


def auth(user: User) -> dict[str, str]:
    """Authorization header with a fresh token for the user."""
    plain, _ = issue_token(user, 1)
    db.session.commit()
    return {"Authorization": f"Bearer {plain}"}


def if_match(client: Any, url: str, headers: dict[str, str]) -> dict[str, str]:
    """The caller's headers plus If-Match with the ETag that caller reads at url (as a real client edits)."""
    etag = client.get(url, headers=headers).headers.get("ETag")
    assert etag, f"no ETag at {url}"
    return {**headers, "If-Match": etag}


def make_need(
    org: Organization, owner: User | None = None, *, status: str = "published", **kw: Any
) -> TechnologyNeed:
    """A need in the given workflow state (written directly, without the outbox)."""
    data: dict[str, Any] = dict(
        title="压力传感器温漂补偿技术攻关",
        summary="我公司生产的压力传感器在高低温环境下温漂明显，寻求温度补偿算法与工艺改进方案。",
        detail="现有产品温漂 0.05%FS/℃，目标 0.01%FS/℃；可提供样品与测试平台。",
        fields=["instrument"],
        keywords=["压力传感器", "温度补偿"],
        modes=["joint_development"],
        need_type="key_technology",
        region=org.region,
        budget_min=20,
        budget_max=50,
        deadline=date.today() + timedelta(days=90),
        contact_name="王经理",
        contact_phone="13812345678",
        contact_email="wang@example.com",
        status=status,
        published_at=utcnow() if status == "published" else None,
    )
    data.update(kw)
    need = TechnologyNeed(org_id=org.id, owner_id=owner.id if owner else None, **data)
    db.session.add(need)
    db.session.commit()
    return need


def make_output(
    org: Organization, owner: User | None = None, *, status: str = "published", **kw: Any
) -> ResearchOutput:
    """An output in the given workflow state (written directly, without the outbox)."""
    data: dict[str, Any] = dict(
        title="MEMS 压力传感器温度漂移数字补偿方法",
        abstract="提出一种基于多项式拟合的 MEMS 压力传感器温度漂移补偿方法，可将温漂降低一个数量级。",
        detail="已在两家企业中试验证，补偿后温漂小于 0.01%FS/℃。",
        fields=["instrument.sensor"],
        keywords=["传感器", "温度补偿"],
        modes=["license", "joint_development"],
        maturity="pilot",
        trl=6,
        region=org.region,
        price=30,
        negotiable=True,
        team_lead="李教授",
        contact_name="李老师",
        contact_phone="13900001111",
        contact_email="li@example.edu.cn",
        status=status,
        published_at=utcnow() if status == "published" else None,
    )
    data.update(kw)
    output = ResearchOutput(org_id=org.id, owner_id=owner.id if owner else None, **data)
    db.session.add(output)
    db.session.commit()
    return output


def index_listings(*listings: Any) -> None:
    """Record listings in the search outbox as publishing does (the inline drain indexes them)."""
    from matchmaker.services.outbox import record_change
    from matchmaker.services.uow import unit_of_work

    for listing in listings:
        with unit_of_work() as uow:
            record_change(uow, listing)


def make_matching_outputs(world: Any) -> tuple[ResearchOutput, ResearchOutput]:
    """Rita's sensor output (answers the sensor need) and an unrelated one, both indexed."""
    good = make_output(world.uni, world.rita, title="MEMS 压力传感器温度漂移数字补偿方法")
    other = make_output(
        world.uni, world.rita, title="盱眙龙虾冷链保鲜工艺", abstract="一种小龙虾冷链保鲜与杀菌工艺。",
        fields=["food"], keywords=["保鲜"],
    )  # fmt: skip
    index_listings(good, other)
    return good, other


SENSOR_NEED = {
    "title": "压力传感器温漂补偿技术攻关",
    "summary": "我公司压力传感器高低温温漂明显，寻求温度补偿算法。",
    "fields": ["instrument.sensor"],
    "keywords": ["传感器", "温度补偿"],
    "need_type": "key_technology",
    "modes": ["license"],
}


def publish_sensor_need(client: Any, world: Any, **extra: Any) -> int:
    """Alice creates and submits the sensor need through the API; 金湖 staff publish it. Returns its id."""
    need = client.post("/api/v1/needs", json={**SENSOR_NEED, **extra}, headers=world.h_alice).json
    client.post(f"/api/v1/needs/{need['id']}/submit", headers=world.h_alice)
    response = client.post(f"/api/v1/needs/{need['id']}/publish", headers=world.h_staff_jinhu)
    assert response.status_code == 200, response.json
    return need["id"]
