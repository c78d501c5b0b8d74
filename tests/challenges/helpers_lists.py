"""Helpers for the list and application tests: a complete 榜单 body and the API steps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

LIST_BODY: dict[str, Any] = {
    "title": "高精度MEMS压力传感器温漂补偿技术攻关",
    "fields": ["instrument.sensor"],
    "keywords": ["MEMS", "压力传感器", "温度补偿"],
    "industry_chain": "智能传感器",
    "background": "企业现有压力变送器在高低温环境下漂移较大，影响石化客户使用。",
    "problem": "在-40℃至125℃范围内将压力传感器温漂控制在0.05%FS以内，并实现批量生产，良品率不低于95%。",
    "indicators": [
        {"name": "全温区温漂", "comparator": "<=", "target": 0.05, "unit": "%FS"},
        {"name": "批量良品率", "comparator": ">=", "target": 95, "unit": "%"},
    ],
    "time_limit_months": 18,
    "ip_ownership": "shared",
    "bounty_enterprise": 300,
    "bounty_subsidy": 100,
    "payment_terms": "签订合同后拨付60%，通过验收后拨付40%。",
    "conditions": "牵头单位须为高校、科研院所或具有研发能力的企业。",
    "contact_phone": "13900000001",
}
APPLICATION_BODY: dict[str, Any] = {
    "pi_name": "陈教授",
    "pi_title": "教授",
    "pi_phone": "13912345678",
    "pi_email": "chen@seu.example.cn",
    "plan": "采用多点温度标定与数字补偿算法，结合封装应力优化。",
    "basis": "团队长期从事MEMS传感器研究，已有相关发明专利3项。",
    "milestones": [
        {"title": "样机研制", "months": 9, "deliverable": "样机及测试报告", "budget": 150},
        {"title": "中试与批量验证", "months": 18, "deliverable": "中试线及验收报告", "budget": 250},
    ],
    "commitment_signed": True,
}


def closes_in(days: float = 20) -> str:
    """An ISO time `days` from now, for the publish window."""
    return (datetime.now(UTC) + timedelta(days=days)).isoformat()


def draft(client, headers, **extra: Any) -> dict[str, Any]:
    """Create a draft list through the API; returns its JSON."""
    response = client.post("/api/v1/challenges", json={**LIST_BODY, **extra}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def published(client, world, **extra: Any) -> int:
    """Alice posts and submits a complete list; 金湖 staff publish it for 20 days. Returns its id."""
    cid = draft(client, world.h_alice, **extra)["id"]
    response = client.post(f"/api/v1/challenges/{cid}/submit", headers=world.h_alice)
    assert response.status_code == 200, response.json
    body = {"apply_closes_at": closes_in(20)}
    response = client.post(f"/api/v1/challenges/{cid}/publish", json=body, headers=world.h_staff_jinhu)
    assert response.status_code == 200, response.json
    return cid


def apply(client, cid: int, headers, **extra: Any):
    """Start an application to the challenge; returns the response."""
    return client.post(
        f"/api/v1/challenges/{cid}/applications", json={**APPLICATION_BODY, **extra}, headers=headers
    )
