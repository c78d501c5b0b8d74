"""Pure parts: search documents, the Elasticsearch query builder and highlighting (no server)."""

from __future__ import annotations

import pytest

from search.documents import cjk_bigrams, listing_document, region_path
from search.highlight import highlight, match_spans, snippet
from search.queries import (
    MAX_PER_PAGE,
    TRACK_TOTAL_HITS,
    SearchParams,
    Visibility,
    es_candidates_body,
    es_search_body,
    es_visibility_filter,
    rank_suggestions,
)
from search.query_terms import BIGRAM_BOOST, KEYWORDS_BOOST, TITLE_BOOST
from tests.search.conftest import CORPUS, listing


def test_document_adds_ids_paths_and_tokens():
    doc = listing_document(CORPUS[0])
    assert doc["doc_id"] == "need-1"
    assert doc["region_path"] == ["320000", "320800", "320831"]
    assert doc["field_path"] == ["instrument", "instrument.sensor"]
    assert {"传感器", "压力传感器", "补偿"} <= set(doc["title_seg"].split())
    assert "mems" in doc["keywords_seg"].split()
    assert "零点" in doc["body_seg"].split()
    assert "感器" in doc["bigrams"].split() and "me" not in doc["bigrams"].split()
    assert doc["suggest"] == ["压力传感器温漂补偿技术", "温度补偿", "mems"]
    assert doc["title"] == CORPUS[0]["title"] and doc["version"] == 1


def test_document_accepts_precomputed_paths_and_unknown_codes():
    doc = listing_document(listing("need", 1, "t", "s", region_path=["a", "b"], field_path=["f"]))
    assert (doc["region_path"], doc["field_path"]) == (["a", "b"], ["f"])
    assert region_path("329999") == ["320000", "329900", "329999"]  # structure of GB/T 2260 codes
    assert region_path(None) == []


def test_bigrams_only_for_chinese():
    assert cjk_bigrams("MEMS压力传感器 pt100") == ["压力", "力传", "传感", "感器"]


def test_params_clamp_and_validate():
    params = SearchParams(page=0, per_page=1000, kinds=["need"], fields="nev")
    assert (params.page, params.per_page, params.kinds, params.fields) == (
        1,
        MAX_PER_PAGE,
        ("need",),
        ("nev",),
    )
    assert SearchParams(page=9999, per_page=20).offset == 10_000 - 20
    with pytest.raises(ValueError):
        SearchParams(sort="price")
    assert SearchParams(q="  ").effective_sort == "newest"


def _text_clause(body: dict) -> dict:
    return body["query"]["bool"]["must"][0]["bool"]


def test_search_body_boosts_fields_and_keeps_bigrams_as_a_safety_net():
    body = es_search_body(SearchParams(q="压力传感器"))
    seg, grams = _text_clause(body)["should"]
    assert seg["multi_match"]["fields"] == [
        f"title_seg^{TITLE_BOOST}",
        f"keywords_seg^{KEYWORDS_BOOST}",
        "body_seg^1.0",
    ]
    assert "传感器" in seg["multi_match"]["query"].split()
    assert grams["match"]["bigrams"]["boost"] == BIGRAM_BOOST < 1.0
    assert TITLE_BOOST > KEYWORDS_BOOST > 1.0
    assert body["sort"][0] == "_score" and body["track_total_hits"] == TRACK_TOTAL_HITS
    assert set(body["aggs"]) == {"kind", "field", "region", "maturity"}


def test_search_body_without_text_matches_all_newest_first():
    body = es_search_body(SearchParams(page=3, per_page=10))
    assert body["query"]["bool"]["must"] == []
    assert body["sort"][0] == {"published_at": {"order": "desc", "missing": "_last"}}
    assert (body["from"], body["size"]) == (20, 10)


def test_text_without_tokens_matches_nothing():
    assert es_search_body(SearchParams(q="！？"))["query"]["bool"]["must"] == [{"match_none": {}}]


def test_search_body_filters():
    params = SearchParams(
        kinds=["need"], fields=["nev"], region="320800", maturity=["pilot"], modes=["license"], budget_min=10
    )
    filters = es_search_body(params)["query"]["bool"]["filter"]
    assert {"terms": {"kind": ["need"]}} in filters
    assert {"terms": {"field_path": ["nev"]}} in filters
    assert {"term": {"region_path": "320800"}} in filters
    assert {"terms": {"maturity": ["pilot"]}} in filters and {"terms": {"modes": ["license"]}} in filters
    budget = next(f for f in filters if "bool" in f and "range" in f["bool"]["should"][0])
    assert budget["bool"]["should"][0] == {"range": {"budget_max": {"gte": 10}}}


def test_visibility_filter():
    anonymous = es_visibility_filter(Visibility())
    assert anonymous == {
        "bool": {"should": [{"terms": {"status": ["published"]}}], "minimum_should_match": 1}
    }
    staff = es_visibility_filter(Visibility(org_ids=[3], region_scopes=["320800"]))
    assert staff is not None
    assert {"terms": {"org_id": [3]}} in staff["bool"]["should"]
    assert {"terms": {"region_path": ["320800"]}} in staff["bool"]["should"]
    assert es_visibility_filter(Visibility(everything=True)) is None


def test_candidates_body():
    body = es_candidates_body("output", ["电池", "电池", " "], 20, exclude_org=7)
    assert body["size"] == 20 and body["query"]["bool"]["must_not"] == [{"term": {"org_id": 7}}]
    assert body["query"]["bool"]["must"][0]["bool"]["should"][0]["multi_match"]["query"] == "电池"


def test_rank_suggestions_prefers_frequent_then_short():
    rows = [("压力传感器标定", ["压力传感器"]), ("压力容器", ["压力传感器"]), ("其他", [])]
    assert rank_suggestions("压力", rows, 2) == ["压力传感器", "压力容器"]


def test_rank_suggestions_puts_what_starts_with_the_text_before_what_holds_it():
    rows = [("温度传感器校准", []), ("传感器网络", []), ("气体传感器", ["气体传感器"])]
    assert rank_suggestions("传感", rows, 3) == ["传感器", "传感器网络", "气体传感器"]


def test_highlight_longest_match_and_merge():
    assert highlight("压力传感器", ["传感", "传感器", "压力"]) == "<em>压力传感器</em>"
    assert highlight("ＭＥＭＳ芯片", ["mems"]) == "<em>ＭＥＭＳ</em>芯片"
    assert match_spans("abc", []) == []


def test_snippet_windows_around_the_first_match():
    text = "甲" * 200 + "传感器" + "乙" * 200
    out = snippet(text, ["传感器"])
    assert out.startswith("…") and out.endswith("…") and "<em>传感器</em>" in out
    assert len(out.replace("<em>", "").replace("</em>", "")) == 122
    assert snippet("短文本<b>", ["无"]) == "短文本&lt;b&gt;"
