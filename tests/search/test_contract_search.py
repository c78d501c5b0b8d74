"""Contract: searching, filtering, sorting, paging, facets, highlights and visibility, on both engines."""

from __future__ import annotations

from search.queries import SearchParams, Visibility
from tests.search.conftest import HUAIAN, JINHU, PUBLISHED, SUQIAN, docs, listing


def ids(result) -> list[str]:
    """Document ids of a result page in order."""
    return [h.doc_id for h in result.hits]


def test_chinese_word_inside_a_longer_title_is_found(loaded):
    result = loaded.search(SearchParams(q="传感器"))
    assert ids(result)[0] == "need-1"
    assert "need-6" not in ids(result)  # pending review: not public


def test_related_words_find_a_listing_worded_differently(loaded):
    result = loaded.search(SearchParams(q="新能源汽车电池"))
    assert ids(result)[0] == "output-2"
    assert "need-5" not in ids(result)  # a draft


def test_hit_carries_object_fields(loaded):
    hit = loaded.search(SearchParams(q="碳纤维")).hits[0]
    assert (hit.doc_id, hit.kind, hit.id) == ("output-4", "output", 4)
    assert hit.title == "高性能碳纤维复合材料成型工艺" and hit.score > 0
    assert hit.source["org_name"] == "南京某大学" and "title_seg" not in hit.source


def test_query_without_any_match_returns_nothing(loaded):
    assert loaded.search(SearchParams(q="量子计算芯片封装")).total == 0


def test_query_of_punctuation_only_returns_nothing(loaded):
    result = loaded.search(SearchParams(q="！？……"))
    assert (result.total, result.hits) == (0, [])
    assert result.facets == {"kind": {}, "field": {}, "region": {}, "maturity": {}}


def test_empty_query_lists_every_public_listing_newest_first(loaded):
    result = loaded.search(SearchParams())
    assert ids(result) == ["output-4", "need-1", "output-7", "output-2", "need-3"]
    assert result.total == len(PUBLISHED)


def test_kind_filter(loaded):
    assert set(ids(loaded.search(SearchParams(kinds=["output"])))) == {"output-2", "output-4", "output-7"}


def test_field_filter_includes_child_fields(loaded):
    assert ids(loaded.search(SearchParams(fields=["nev"]))) == ["output-2"]
    assert ids(loaded.search(SearchParams(fields=["instrument.sensor"]))) == ["need-1"]
    assert set(ids(loaded.search(SearchParams(fields=["instrument", "materials"])))) == {"need-1", "output-4"}


def test_region_filter_is_hierarchical(loaded):
    assert ids(loaded.search(SearchParams(region=JINHU))) == ["need-1"]
    assert set(ids(loaded.search(SearchParams(region=HUAIAN)))) == {"need-1", "need-3"}
    assert set(ids(loaded.search(SearchParams(region="320000")))) == PUBLISHED - {"output-7"}
    assert ids(loaded.search(SearchParams(region="310000"))) == ["output-7"]


def test_budget_ranges_overlap(loaded):
    assert set(ids(loaded.search(SearchParams(budget_min=60)))) == {"output-2", "need-3"}
    assert ids(loaded.search(SearchParams(budget_max=15))) == ["output-7"]
    assert set(ids(loaded.search(SearchParams(budget_min=40, budget_max=60)))) == {"need-1", "need-3"}


def test_budget_with_one_bound_is_open_on_the_other(engine):
    engine.bulk_upsert(
        docs([listing("need", 8, "无上限预算", "x", budget_min=200), listing("need", 9, "面议", "y")])
    )
    assert ids(engine.search(SearchParams(budget_min=500))) == ["need-8"]
    assert ids(engine.search(SearchParams(budget_max=100))) == []


def test_maturity_and_mode_filters(loaded):
    assert set(ids(loaded.search(SearchParams(maturity=["pilot"])))) == {"need-1", "output-4"}
    assert set(ids(loaded.search(SearchParams(modes=["transfer"])))) == {"output-2", "output-7"}
    assert ids(loaded.search(SearchParams(q="电池", modes=["license"], kinds=["output"]))) == ["output-2"]


def test_sort_by_deadline_puts_listings_without_one_last(loaded):
    assert ids(loaded.search(SearchParams(sort="deadline")))[:2] == ["need-3", "need-1"]


def test_newest_sort_with_text(loaded):
    assert ids(loaded.search(SearchParams(q="材料 传感器", sort="newest"))) == [
        "output-4",
        "need-1",
        "output-7",
    ]


def test_relevance_prefers_title_over_summary(engine):
    engine.bulk_upsert(
        docs(
            [
                listing("need", 1, "温度控制", "控制器，用于传感器"),
                listing("need", 2, "传感器标定", "温度控制"),
            ]
        )
    )
    assert ids(engine.search(SearchParams(q="传感器"))) == ["need-2", "need-1"]


def test_pages_partition_the_results(loaded):
    pages = [loaded.search(SearchParams(per_page=2, page=p)) for p in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [2, 2, 1, 0]
    assert {p.total for p in pages} == {5}
    assert sorted(i for p in pages for i in ids(p)) == sorted(PUBLISHED)


def test_facets_count_the_whole_match_set(loaded):
    result = loaded.search(SearchParams(per_page=1))
    assert result.facets["kind"] == {"need": 2, "output": 3}
    assert result.facets["maturity"] == {"pilot": 2, "industrial": 2, "bench": 1}
    assert result.facets["region"]["320000"] == 4 and result.facets["region"][HUAIAN] == 2
    assert result.facets["field"]["nev"] == 1 and result.facets["field"]["nev.battery"] == 1


def test_facets_follow_filters(loaded):
    assert loaded.search(SearchParams(kinds=["need"])).facets["kind"] == {"need": 2}


def test_highlights_mark_matches_and_escape_html(engine):
    summary = "本项目" + "背景介绍。" * 40 + "研制<高精度>压力传感器 & 变送器。"
    engine.bulk_upsert(docs([listing("need", 1, "压力传感器<芯片>", summary)]))
    hit = engine.search(SearchParams(q="传感器")).hits[0]
    assert hit.highlights["title"] == "压力<em>传感器</em>&lt;芯片&gt;"
    snippet = hit.highlights["summary"]
    assert snippet.startswith("…") and "<em>传感器</em>" in snippet and "&lt;高精度&gt;" in snippet
    assert "&amp;" in snippet and len(snippet) < 200


def test_anonymous_sees_published_only(loaded):
    assert set(ids(loaded.search(SearchParams(per_page=50)))) == PUBLISHED


def test_organisation_sees_its_own_drafts(loaded):
    mine = SearchParams(q="锂电池隔膜", visibility=Visibility(org_ids=(1,)))
    assert ids(loaded.search(mine))[0] == "need-5"
    theirs = SearchParams(q="锂电池隔膜", visibility=Visibility(org_ids=(2,)))
    assert "need-5" not in ids(loaded.search(theirs))


def test_staff_scope_sees_drafts_in_its_region_only(loaded):
    city = SearchParams(per_page=50, visibility=Visibility(region_scopes=(HUAIAN,)))
    assert set(ids(loaded.search(city))) == PUBLISHED | {"need-5"}
    other = SearchParams(per_page=50, visibility=Visibility(region_scopes=(SUQIAN,)))
    assert set(ids(loaded.search(other))) == PUBLISHED | {"need-6"}


def test_admin_sees_everything(loaded):
    result = loaded.search(SearchParams(per_page=50, visibility=Visibility(everything=True)))
    assert result.total == 7
