"""Contract: versions, deletes, suggest, candidates, drift ids and rebuilds, on both engines."""

from __future__ import annotations

import threading

from search.queries import SearchParams, Visibility
from tests.search.conftest import CORPUS, PUBLISHED, docs, listing


def ids(result) -> list[str]:
    """Document ids of a result page in order."""
    return [h.doc_id for h in result.hits]


def titled(version: int, title: str) -> dict:
    """need-1 at a given version with a given title."""
    return docs([listing("need", 1, title, "说明", version=version)])[0]


def test_id_versions_lists_live_documents(loaded):
    assert loaded.id_versions() == {d["doc_id"]: 1 for d in docs()}


def test_newer_version_replaces_the_document(loaded):
    result = loaded.bulk_upsert([titled(2, "光纤光栅应变传感器")])
    assert result.ok == ["need-1"] and not result.stale and not result.failed
    assert ids(loaded.search(SearchParams(q="光纤"))) == ["need-1"]
    assert ids(loaded.search(SearchParams(q="温漂"))) == []
    assert loaded.id_versions()["need-1"] == 2


def test_stale_version_loses_and_is_reported(loaded):
    loaded.bulk_upsert([titled(3, "光纤光栅应变传感器")])
    result = loaded.bulk_upsert([titled(2, "过时的标题"), titled(3, "同版本重放")])
    assert result.stale == ["need-1", "need-1"] and not result.ok and not result.failed
    assert loaded.search(SearchParams(q="光纤")).hits[0].title == "光纤光栅应变传感器"
    assert set(result.done) == {"need-1"}


def test_delete_removes_from_search_and_ids(loaded):
    result = loaded.bulk_delete([("need-1", 2)])
    assert result.ok == ["need-1"]
    assert ids(loaded.search(SearchParams(q="传感器"))) == []
    assert "need-1" not in loaded.id_versions()
    assert loaded.search(SearchParams()).facets["kind"] == {"need": 1, "output": 3}


def test_late_stale_upsert_after_delete_loses(loaded):
    loaded.bulk_delete([("need-1", 5)])
    assert loaded.bulk_upsert([titled(4, "迟到的旧版本")]).stale == ["need-1"]
    assert loaded.search(SearchParams(q="迟到")).total == 0
    assert loaded.bulk_upsert([titled(6, "重新发布的传感器需求")]).ok == ["need-1"]
    assert ids(loaded.search(SearchParams(q="重新发布"))) == ["need-1"]


def test_stale_delete_loses(loaded):
    loaded.bulk_upsert([titled(3, "光纤光栅应变传感器")])
    assert loaded.bulk_delete([("need-1", 2)]).stale == ["need-1"]
    assert ids(loaded.search(SearchParams(q="光纤"))) == ["need-1"]


def test_deleting_an_unknown_document_is_fine(loaded):
    assert loaded.bulk_delete([("need-99", 1)]).ok == ["need-99"]


def test_bad_version_fails_that_item_only(engine):
    good, bad = docs([listing("need", 1, "好", "a"), listing("need", 2, "坏", "b", version=None)])
    result = engine.bulk_upsert([good, bad])
    assert result.ok == ["need-1"] and list(result.failed) == ["need-2"]


def test_suggest_titles_and_keywords_by_prefix(loaded):
    # A word of a title is suggested before the whole title it comes from.
    assert loaded.suggest("压力", Visibility()) == ["压力传感器", "压力传感器温漂补偿技术"]
    assert loaded.suggest("液", Visibility()) == ["液冷"]
    assert loaded.suggest("mems", Visibility()) == ["MEMS"]
    assert loaded.suggest("", Visibility()) == []


def test_suggest_finds_words_inside_longer_words(loaded):
    # 传感 starts no title or keyword, but it is inside 压力传感器 (issue 12: it suggested nothing).
    assert loaded.suggest("传感", Visibility())[:2] == ["压力传感器", "压力传感器温漂补偿技术"]
    assert loaded.suggest("纤维复合", Visibility()) == ["碳纤维复合材料", "高性能碳纤维复合材料成型工艺"]
    assert loaded.suggest("温补", Visibility()) == []


def test_suggest_respects_visibility_and_limit(loaded):
    assert loaded.suggest("锂电", Visibility()) == []
    assert loaded.suggest("锂电", Visibility(org_ids=(1,))) == ["锂电池", "锂电池隔膜涂覆工艺改进"]
    more = docs([listing("need", 10 + i, f"传感器{i}号", "x") for i in range(5)])
    loaded.bulk_upsert(more)
    assert len(loaded.suggest("传感器", Visibility(), limit=3)) == 3


def test_candidates_rank_published_listings_of_a_kind(loaded):
    found = loaded.candidates("output", ["电池", "热管理", "液冷"], limit=5)
    assert found[0][0] == 2 and found[0][1] > 0
    assert all(object_id in (2, 4, 7) for object_id, _ in found)
    assert loaded.candidates("need", ["隔膜", "涂覆"], limit=5) == []  # need-5 is a draft


def test_candidates_exclude_an_organisation(loaded):
    assert {i for i, _ in loaded.candidates("output", ["材料"], limit=5)} == {4, 7}
    assert [i for i, _ in loaded.candidates("output", ["材料"], limit=5, exclude_org=2)] == [7]
    assert loaded.candidates("output", [], limit=5) == []


def test_rebuild_replaces_content(loaded):
    loaded.rebuild(docs(CORPUS[:2]))
    assert loaded.id_versions() == {"need-1": 1, "output-2": 1}
    assert ids(loaded.search(SearchParams(q="传感器"))) == ["need-1"]


def test_writes_during_a_rebuild_reach_the_new_index(loaded):
    def source():
        yield from docs(CORPUS[:3])
        # The service layer changes need-1 and deletes need-3 while the rebuild is reading the database.
        loaded.bulk_upsert([titled(2, "施工期间的新标题")])
        loaded.bulk_delete([("need-3", 2)])
        yield from docs(CORPUS[3:])

    loaded.rebuild(source())
    assert ids(loaded.search(SearchParams(q="施工期间"))) == ["need-1"]
    assert "need-3" not in loaded.id_versions() and loaded.id_versions()["need-1"] == 2


def test_search_keeps_working_during_a_rebuild(loaded):
    stop, errors, counts = threading.Event(), [], []

    def searcher():
        while not stop.is_set():
            try:
                counts.append(loaded.search(SearchParams(q="传感器")).total)
            except Exception as exc:  # the test fails on any error, reported below
                errors.append(exc)

    extra = docs([listing("need", 100 + i, f"第{i}号热电偶", "测温") for i in range(400)])
    progress: list[int] = []
    thread = threading.Thread(target=searcher)
    thread.start()
    try:
        loaded.rebuild(docs() + extra, progress=progress.append)
    finally:
        stop.set()
        thread.join()
    assert not errors
    assert counts and all(c >= 1 for c in counts)
    assert progress[-1] == len(CORPUS) + 400
    assert len(loaded.id_versions()) == len(CORPUS) + 400


def test_rebuild_failure_keeps_the_old_index(loaded):
    bad = docs([listing("need", 50, "坏数据", "x", version="v1")])
    try:
        loaded.rebuild(docs() + bad)
    except Exception as exc:
        assert "rebuild failed" in str(exc)
    else:
        raise AssertionError("rebuild with a bad document should fail")
    assert set(ids(loaded.search(SearchParams(per_page=50)))) == PUBLISHED


def test_clear_empties_the_index(loaded):
    loaded.clear()
    assert loaded.id_versions() == {} and loaded.search(SearchParams()).total == 0
    assert loaded.bulk_upsert(docs()[:1]).ok == ["need-1"]
