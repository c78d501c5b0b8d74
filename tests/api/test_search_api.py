"""GET /api/v1/search and /search/suggest through the app: Chinese queries, highlights, facets, visibility."""

from __future__ import annotations

from tests import factories as f
from tests.conftest import XUYI

_index = f.index_listings


def _ids(page):
    return {(hit["kind"], hit["id"]) for hit in page["hits"]}


def test_chinese_query_finds_published_listings_with_highlights_and_facets(client, world):
    need = f.make_need(world.ent_a, world.alice, title="压力传感器温漂补偿技术")
    output = f.make_output(
        world.uni, world.rita, title="动力电池热管理系统", abstract="新能源汽车动力电池液冷热管理。",
        fields=["nev"], keywords=["动力电池"],
    )  # fmt: skip
    _index(need, output)
    r = client.get("/api/v1/search", query_string={"q": "传感器"})
    assert r.status_code == 200
    assert ("need", need.id) in _ids(r.json)
    hit = next(h for h in r.json["hits"] if h["id"] == need.id)
    assert "<em>传感器</em>" in hit["highlights"]["title"]
    assert r.json["facets"]["kind"]["need"] >= 1 and "320800" in r.json["facets"]["region"]
    assert r.json["total_exact"] is True  # two listings: far below the candidate cap
    r = client.get("/api/v1/search", query_string={"q": "新能源汽车电池"})
    assert ("output", output.id) in _ids(r.json)
    r = client.get("/api/v1/search", query_string={"q": "传感器", "region": XUYI})
    assert r.json["total"] == 0  # the need is in 金湖县, not 盱眙县


def test_drafts_are_found_only_by_their_owner_and_staff_in_scope(client, world):
    draft = f.make_need(world.ent_a, world.alice, status="submitted", title="光纤光栅传感器封装工艺")
    _index(draft)
    q = {"q": "光纤光栅"}
    assert client.get("/api/v1/search", query_string=q).json["total"] == 0
    assert client.get("/api/v1/search", query_string=q, headers=world.h_bob).json["total"] == 0
    assert client.get("/api/v1/search", query_string=q, headers=world.h_staff_xuyi).json["total"] == 0
    for headers in (world.h_alice, world.h_staff_jinhu, world.h_staff_city, world.h_admin):
        assert ("need", draft.id) in _ids(client.get("/api/v1/search", query_string=q, headers=headers).json)


def test_suggest_completes_titles_and_rejects_bad_parameters(client, world):
    _index(f.make_need(world.ent_a, world.alice, title="压力传感器温漂补偿技术"))
    r = client.get("/api/v1/search/suggest", query_string={"q": "压力"})
    assert r.status_code == 200 and "压力传感器温漂补偿技术" in r.json["suggestions"]
    assert client.get("/api/v1/search/suggest").status_code == 422
    r = client.get("/api/v1/search", query_string={"sort": "price"})
    assert r.status_code == 422 and "sort" in r.json["errors"]


def test_queries_with_punctuation_between_single_characters_answer_200(client, world):
    # Found by benchmarks/load_bench.py: a character alone between quotes or a middle dot was a 500.
    need = f.make_need(world.ent_a, world.alice, title="钢-混结合段新词代换技术")
    _index(need)
    for q in ('代 "新"词', "唐·伊德", "钢-混结合段 粒子模拟", "停”拌种"):
        r = client.get("/api/v1/search", query_string={"q": q})
        assert r.status_code == 200, (q, r.json)
    assert ("need", need.id) in _ids(client.get("/api/v1/search", query_string={"q": "钢-混结合段"}).json)
