"""Taxonomy endpoints: GB/T 2260 regions, the industry field tree and the vocabularies."""

from __future__ import annotations


def test_provinces_at_top_level(client):
    r = client.get("/api/v1/taxonomy/regions")
    assert r.status_code == 200
    by_code = {item["code"]: item for item in r.json["items"]}
    assert by_code["320000"]["name"] == "江苏省" and by_code["320000"]["has_children"] is True
    assert {item["level"] for item in r.json["items"]} == {"province"}
    assert len(by_code) >= 31


def test_children_of_a_city(client):
    r = client.get("/api/v1/taxonomy/regions?parent=320800")
    items = {item["code"]: item for item in r.json["items"]}
    assert items["320831"]["name"] == "金湖县" and items["320830"]["full_name"] == "江苏省淮安市盱眙县"
    assert all(item["level"] == "county" and not item["has_children"] for item in items.values())


def test_one_region_with_its_path(client):
    r = client.get("/api/v1/taxonomy/regions/320831")
    assert r.status_code == 200 and r.json["full_name"] == "江苏省淮安市金湖县"
    assert [step["name"] for step in r.json["path"]] == ["江苏省", "淮安市", "金湖县"]


def test_unknown_region(client):
    r = client.get("/api/v1/taxonomy/regions/999999")
    assert r.status_code == 404 and r.json["message"] == "未知的行政区划代码"
    r = client.get("/api/v1/taxonomy/regions?parent=999999")
    assert r.status_code == 422 and "parent" in r.json["errors"]


def test_field_tree(client):
    r = client.get("/api/v1/taxonomy/fields")
    assert r.status_code == 200
    roots = {node["code"]: node for node in r.json["items"]}
    assert "instrument" in roots and "it" in roots
    assert roots["it"]["name"] == "新一代信息技术"
    assert "it.ai" in {child["code"] for child in roots["it"]["children"]}


def test_vocabularies(client):
    r = client.get("/api/v1/taxonomy/vocabularies")
    assert r.status_code == 200
    v = r.json
    assert v["coop_modes"]["joint_development"] == "合作开发"
    assert v["need_types"]["key_technology"] == "关键技术攻关"
    assert v["maturity_stages"]["pilot"] == "中试"
    assert v["trl_levels"]["6"].startswith("相关环境")
    assert v["roles"]["staff"] == "科技局工作人员"
    assert set(v) == {
        "org_kinds",
        "qualifications",
        "need_types",
        "coop_modes",
        "maturity_stages",
        "trl_levels",
        "ip_types",
        "roles",
    }
