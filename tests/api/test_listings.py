"""Listing workflow: draft, submit, review, resubmit, publish, close; edits, deletes, ETags, audit log."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.models import AuditLog
from tests import factories as f

NEED = {
    "title": "锂电池隔膜涂覆工艺优化",
    "summary": "现有陶瓷涂覆隔膜一致性差，寻求涂覆工艺优化与在线检测方案。",
    "detail": "现有产线速度 60 米/分钟，涂层厚度波动 ±1.5 微米，目标 ±0.5 微米。",
    "fields": ["nev"],
    "need_type": "process_improvement",
    "modes": ["joint_development"],
    "budget_min": 30,
    "budget_max": 80,
}


def _post(client, url, headers, body=None):
    return client.post(url, json=body, headers=headers)


def test_full_review_workflow(client, world):
    r = client.post("/api/v1/needs", json=NEED, headers=world.h_alice)
    assert r.status_code == 201 and r.json["status"] == "draft"
    url = f"/api/v1/needs/{r.json['id']}"
    assert client.get(url).status_code == 404  # a draft is not public

    assert _post(client, f"{url}/submit", world.h_alice).json["status"] == "submitted"
    assert client.get(url).status_code == 404

    r = _post(client, f"{url}/reject", world.h_staff_jinhu, {"reason": "请补充现有产线参数与验收指标"})
    assert r.status_code == 200 and r.json["status"] == "rejected"
    owner_view = client.get(url, headers=world.h_alice).json
    assert owner_view["reject_reason"] == "请补充现有产线参数与验收指标"
    assert client.get(url, headers=world.h_bob).status_code == 404
    assert client.get(url).status_code == 404

    r = _post(client, f"{url}/submit", world.h_alice)
    assert r.json["status"] == "submitted" and r.json["reject_reason"] is None
    r = _post(client, f"{url}/publish", world.h_staff_jinhu)
    assert r.status_code == 200 and r.json["status"] == "published" and r.json["published_at"]

    public = client.get(url)
    assert public.status_code == 200 and public.json["status"] == "published"
    assert "reject_reason" not in public.json
    assert [item["id"] for item in client.get("/api/v1/needs").json["items"]] == [public.json["id"]]

    r = _post(client, f"{url}/close", world.h_alice)
    assert r.status_code == 200 and r.json["status"] == "closed" and r.json["closed_at"]


def test_output_workflow_by_researcher_and_admin(client, world):
    body = {
        "title": "高强韧铝合金铸造工艺",
        "abstract": "通过微合金化与半固态成形，使铸造铝合金抗拉强度提高 30%，延伸率翻倍。",
        "fields": ["materials"],
        "maturity": "pilot",
        "trl": 6,
        "price": 120,
    }
    r = client.post("/api/v1/outputs", json=body, headers=world.h_rita)
    assert r.status_code == 201
    url = f"/api/v1/outputs/{r.json['id']}"
    assert _post(client, f"{url}/submit", world.h_rita).json["status"] == "submitted"
    assert _post(client, f"{url}/publish", world.h_admin).json["status"] == "published"
    assert client.get(url).json["abstract"] == body["abstract"]


def test_reject_requires_a_reason(client, world):
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    for reason in (None, {}, {"reason": ""}, {"reason": "   "}):
        r = _post(client, f"/api/v1/needs/{need.id}/reject", world.h_staff_jinhu, reason)
        assert r.status_code == 422 and "reason" in r.json["errors"], reason
    assert client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).json["status"] == "submitted"


def test_unpublish_takes_a_listing_down_with_a_reason(client, world):
    need = f.make_need(world.ent_a, world.alice)
    url = f"/api/v1/needs/{need.id}"
    assert _post(client, f"{url}/unpublish", world.h_staff_jinhu).status_code == 422
    r = _post(client, f"{url}/unpublish", world.h_staff_jinhu, {"reason": "联系方式失效"})
    assert r.status_code == 200 and r.json["status"] == "rejected"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=world.h_alice).json["reject_reason"] == "联系方式失效"


INVALID_TRANSITIONS = [
    ("draft", "publish", "staff_jinhu"),
    ("draft", "reject", "staff_jinhu"),
    ("published", "submit", "alice"),
    ("published", "publish", "staff_jinhu"),
    ("submitted", "submit", "alice"),
    ("submitted", "unpublish", "staff_jinhu"),
    ("rejected", "publish", "staff_jinhu"),
    ("closed", "close", "alice"),
    ("closed", "submit", "alice"),
    ("expired", "publish", "staff_jinhu"),
]


def test_invalid_transitions_conflict(client, world):
    for status, action, who in INVALID_TRANSITIONS:
        need = f.make_need(world.ent_a, world.alice, status=status)
        r = _post(client, f"/api/v1/needs/{need.id}/{action}", getattr(world, f"h_{who}"), {"reason": "原因"})
        assert r.status_code == 409 and r.json["code"] == "conflict", (status, action, r.json)
        after = client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).json
        assert after["status"] == status and after["version"] == 1


def test_delete_only_draft_or_rejected(client, world):
    for status in ("draft", "rejected"):
        need = f.make_need(world.ent_a, world.alice, status=status)
        assert client.delete(f"/api/v1/needs/{need.id}", headers=world.h_alice).status_code == 200
        assert client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).status_code == 404
    for status in ("submitted", "published", "closed"):
        need = f.make_need(world.ent_a, world.alice, status=status)
        r = client.delete(f"/api/v1/needs/{need.id}", headers=world.h_alice)
        assert r.status_code == 409 and "关闭" in r.json["message"], status
        assert client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).status_code == 200


def test_editing_published_content_sends_it_back_to_review(client, world):
    need = f.make_need(world.ent_a, world.alice)
    url = f"/api/v1/needs/{need.id}"
    r = client.patch(
        url,
        json={"summary": "需求调整：除温漂补偿外，还需解决长期稳定性问题。"},
        headers=f.if_match(client, url, world.h_alice),
    )
    assert r.status_code == 200 and r.json["status"] == "submitted"
    assert client.get(url).status_code == 404
    assert client.get("/api/v1/needs").json["items"] == []
    queue = client.get("/api/v1/needs?status=submitted", headers=world.h_staff_jinhu).json["items"]
    assert [item["id"] for item in queue] == [need.id]


def test_editing_contact_or_deadline_keeps_it_published(client, world):
    for change in (
        {"contact_phone": "13900002222"},
        {"contact_email": "sales@example.com", "contact_name": "刘经理"},
        {"deadline": (date.today() + timedelta(days=30)).isoformat()},
    ):
        need = f.make_need(world.ent_a, world.alice)
        r = client.patch(
            f"/api/v1/needs/{need.id}",
            json=change,
            headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
        )
        assert r.status_code == 200 and r.json["status"] == "published" and r.json["version"] == 2, change
        public = client.get(f"/api/v1/needs/{need.id}", headers=world.h_alice).json
        assert {key: public[key] for key in change} == change
        assert client.get(f"/api/v1/needs/{need.id}").status_code == 200


def test_editing_a_closed_listing_conflicts(client, world):
    need = f.make_need(world.ent_a, world.alice, status="closed")
    r = client.patch(
        f"/api/v1/needs/{need.id}",
        json={"title": "重新开放的需求"},
        headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
    )
    assert r.status_code == 409


def test_draft_edit_keeps_other_fields(client, world):
    need = f.make_need(world.ent_a, world.alice, status="draft")
    r = client.patch(
        f"/api/v1/needs/{need.id}",
        json={"title": "压力传感器长期稳定性提升"},
        headers=f.if_match(client, f"/api/v1/needs/{need.id}", world.h_alice),
    )
    assert r.status_code == 200 and r.json["status"] == "draft"
    assert r.json["keywords"] == ["压力传感器", "温度补偿"] and r.json["modes"] == ["joint_development"]
    assert r.json["summary"] == need.summary


# ETag and If-Match


def test_etag_and_if_match(client, world):
    need = f.make_need(world.ent_a, world.alice, status="draft")
    url = f"/api/v1/needs/{need.id}"
    etag = client.get(url, headers=world.h_alice).headers["ETag"]
    assert etag

    r = client.patch(url, json={"title": "别人先改了标题"}, headers={**world.h_alice, "If-Match": etag})
    assert r.status_code == 200 and r.headers["ETag"] != etag
    new_etag = r.headers["ETag"]
    assert client.get(url, headers=world.h_alice).headers["ETag"] == new_etag

    stale = client.patch(url, json={"title": "基于旧版本的修改"}, headers={**world.h_alice, "If-Match": etag})
    assert stale.status_code == 412 and stale.json["code"] == "precondition_failed"
    assert client.get(url, headers=world.h_alice).json["title"] == "别人先改了标题"

    r = client.post(f"{url}/submit", headers=world.h_alice)
    assert r.headers["ETag"] not in (etag, new_etag)


def test_an_update_without_if_match_is_refused_with_428_and_changes_nothing(client, world):
    for kind in ("needs", "outputs"):
        listing = (f.make_need if kind == "needs" else f.make_output)(
            world.ent_a if kind == "needs" else world.uni, world.alice if kind == "needs" else world.rita
        )
        url, who = f"/api/v1/{kind}/{listing.id}", world.h_alice if kind == "needs" else world.h_rita
        for headers in (who, {**who, "If-Match": "  "}):
            r = client.patch(url, json={"title": "没有读取就直接覆盖的标题"}, headers=headers)
            assert r.status_code == 428, (kind, r.json)
            assert set(r.json) == {"code", "status", "message", "errors"}
            assert r.json["code"] == "precondition_required" and "If-Match" in r.json["message"]
        assert client.get(url, headers=who).json["version"] == listing.version
        # another firm still hears 403/404 first: the precondition says nothing about the object
        assert client.patch(url, json={"title": "别人改的"}, headers=world.h_bob).status_code in (403, 404)
        assert (
            client.patch(
                url, json={"title": "明确覆盖任何版本"}, headers={**who, "If-Match": "*"}
            ).status_code
            == 200
        )


# audit log


def _audit(action: str, object_id: int) -> AuditLog:
    row = db.session.scalar(
        select(AuditLog).where(AuditLog.action == action, AuditLog.object_id == object_id)
    )
    assert row is not None, f"no audit row for {action} #{object_id}"
    return row


def test_every_state_change_is_audited_with_request_id_and_address(client, world):
    steps = [
        ("create", "alice", "post", "/api/v1/needs", NEED),
        ("update", "alice", "patch", "/api/v1/needs/{id}", {"title": "锂电池隔膜涂覆一致性提升"}),
        ("submit", "alice", "post", "/api/v1/needs/{id}/submit", None),
        ("reject", "staff_jinhu", "post", "/api/v1/needs/{id}/reject", {"reason": "请补充指标"}),
        ("submit", "alice", "post", "/api/v1/needs/{id}/submit", None),
        ("publish", "staff_city", "post", "/api/v1/needs/{id}/publish", None),
        ("close", "alice", "post", "/api/v1/needs/{id}/close", None),
    ]
    need_id = None
    for n, (action, who, method, url, body) in enumerate(steps):
        rid = f"req-{n}-{action}"
        headers = {**getattr(world, f"h_{who}"), "X-Request-ID": rid}
        if method == "patch":
            headers = f.if_match(client, url.format(id=need_id), headers)
        r = getattr(client, method)(
            url.format(id=need_id), json=body, headers=headers, environ_base={"REMOTE_ADDR": f"203.0.113.{n}"}
        )
        assert r.status_code in (200, 201), r.json
        assert r.headers["X-Request-ID"] == rid
        need_id = r.json["id"]
        row = db.session.scalar(select(AuditLog).where(AuditLog.request_id == rid))
        assert row is not None, action
        assert (row.action, row.object_type, row.object_id) == (action, "need", need_id)
        assert row.actor_id == getattr(world, who).id and row.ip == f"203.0.113.{n}"
    assert _audit("reject", need_id).detail["reason"] == "请补充指标"


def test_delete_is_audited(client, world):
    need = f.make_need(world.ent_a, world.alice, status="draft")
    client.delete(f"/api/v1/needs/{need.id}", headers=world.h_alice)
    assert _audit("delete", need.id).actor_id == world.alice.id


def test_request_id_is_generated_when_missing_or_malformed(client, world):
    r = client.get("/api/v1/needs", headers={"X-Request-ID": "bad id <script>"})
    generated = r.headers["X-Request-ID"]
    assert generated and "<" not in generated and " " not in generated
    assert client.get("/api/v1/needs").headers["X-Request-ID"] not in ("", generated)


def test_failed_attempt_changes_nothing_and_leaves_no_audit(client, world):
    need = f.make_need(world.ent_a, world.alice, status="submitted")
    client.post(f"/api/v1/needs/{need.id}/publish", headers=world.h_staff_xuyi)
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "publish")) is None


# list filters and paging


def test_list_filters_and_paging(client, world):
    far = date.today() + timedelta(days=200)
    f.make_need(world.ent_a, world.alice, title="金湖需求一", budget_min=10, budget_max=20)
    f.make_need(world.ent_b, world.bob, title="盱眙需求一", fields=["materials"], deadline=far)
    f.make_need(world.ent_b, world.bob, title="盱眙需求二", budget_min=100, budget_max=300)

    def titles(query):
        r = client.get(f"/api/v1/needs?{query}")
        assert r.status_code == 200, r.json
        return sorted(item["title"] for item in r.json["items"])

    assert titles("region=320830") == ["盱眙需求一", "盱眙需求二"]
    assert titles("region=320800") == ["盱眙需求一", "盱眙需求二", "金湖需求一"]
    assert titles("field=materials") == ["盱眙需求一"]
    assert titles("budget_min=200") == ["盱眙需求二"]
    assert titles(f"deadline_after={(far - timedelta(days=1)).isoformat()}") == ["盱眙需求一"]
    assert titles(f"org_id={world.ent_a.id}") == ["金湖需求一"]
    page = client.get("/api/v1/needs?per_page=2&page=2").json
    assert page["total"] == 3 and len(page["items"]) == 1 and page["page"] == 2


def test_audit_address_ignores_forwarded_for_without_a_configured_proxy(client, world):
    # Behind TRUSTED_PROXIES the address comes from ProxyFix: tests/ops/test_proxy.py.
    spoofed = {**world.h_alice, "X-Forwarded-For": "10.9.9.9, 198.51.100.20"}
    first = f.make_need(world.ent_a, world.alice, status="draft")
    client.post(
        f"/api/v1/needs/{first.id}/submit", headers=spoofed, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    )
    assert _audit("submit", first.id).ip == "127.0.0.1"
