"""Shared set-up for the 科技副总 tests: a talent need, two universities with their administrators."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from tests import factories as f

URL = "/api/v1/placements"


def parties(world: Any) -> SimpleNamespace:
    """Rita's unit administrator, a second university (its researcher and administrator), a talent need."""
    other_uni = f.make_org("university", "320106", "江淮农业大学")
    p = SimpleNamespace(
        uni_admin=f.make_user(world.uni, ["unit_admin"], name="东南理工大学科研院 刘老师"),
        other_uni=other_uni,
        other_admin=f.make_user(other_uni, ["unit_admin"], name="江淮农业大学科研院 孙老师"),
        other_researcher=f.make_user(other_uni, ["researcher"], name="吴教授"),
    )
    for key in ("uni_admin", "other_admin", "other_researcher"):
        setattr(p, f"h_{key}", f.auth(getattr(p, key)))
    p.output = f.make_output(world.uni, world.rita)
    f.make_output(
        other_uni, p.other_researcher, title="稻虾共作生态种养技术",
        abstract="稻田养殖小龙虾的生态种养模式。", fields=["food"], keywords=["稻虾共作"],
    )  # fmt: skip
    p.need = f.make_need(
        world.ent_a, world.alice, title="诚聘压力传感器温度补偿方向科技副总", need_type="talent",
        summary="拟柔性引进高校专家担任科技副总，牵头解决压力传感器温漂补偿问题。",
    )  # fmt: skip
    f.index_listings(p.output, p.need)
    return p


def terms(**extra: Any) -> dict[str, Any]:
    """Two-year terms starting today."""
    start = date.today()
    return {
        "duties": "指导企业压力传感器温度补偿算法研发，培养研发团队，每季度开展一次技术培训。",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=730)).isoformat(),
        "days_per_month": 4,
        "pay": 8,
        **extra,
    }


def file_placement(client: Any, world: Any, p: SimpleNamespace, headers: Any = None, **extra: Any) -> dict:
    """The 金湖 officer files a placement of Rita in 金湖仪表 from its talent need."""
    body = terms(**{"org_id": world.ent_a.id, "researcher_id": world.rita.id, "need_id": p.need.id, **extra})
    r = client.post(URL, json=body, headers=headers or world.h_staff_jinhu)
    assert r.status_code == 201, r.json
    return r.json


def agree(client: Any, world: Any, p: SimpleNamespace, pid: int) -> dict:
    """All three parties confirm."""
    for headers in (world.h_alice, world.h_rita, p.h_uni_admin):
        r = client.post(f"{URL}/{pid}/confirm", json={}, headers=headers)
        assert r.status_code == 200, r.json
    return r.json


def approve(client: Any, world: Any, p: SimpleNamespace, pid: int) -> dict:
    """Agreed, recommended by 金湖 and 立项 recorded by the city."""
    agree(client, world, p, pid)
    r = client.post(f"{URL}/{pid}/review", json={"decision": "recommend"}, headers=world.h_staff_jinhu)
    assert r.status_code == 200, r.json
    r = client.post(f"{URL}/{pid}/province", json={"outcome": "approved"}, headers=world.h_staff_city)
    assert r.status_code == 200, r.json
    return r.json
