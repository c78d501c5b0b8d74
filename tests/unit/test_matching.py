"""Matching: pure features, explanations, weights, org cap, text index and the batch file mode."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from matchmaker.matching import features as ft
from matchmaker.matching.batch import rank_jsonl
from matchmaker.matching.engine import rank, score_candidate
from matchmaker.matching.explain import explain
from matchmaker.matching.textindex import TextIndex, _top_positive
from matchmaker.matching.weights import FEATURES, Weights

NOW = datetime(2026, 6, 1, tzinfo=UTC)
NEED = {
    "kind": "need",
    "id": 1,
    "org_id": 10,
    "region": "320831",
    "fields": ["instrument.sensor"],
    "keywords": ["传感器", "温度补偿"],
    "modes": ["joint_development", "transfer"],
    "trl": 6,
    "budget_min": 20.0,
    "budget_max": 50.0,
    "title": "压力传感器温度补偿技术",
    "summary": "企业生产的压力传感器在高温下零点漂移明显，寻求温度补偿算法。",
}


def output(oid: int, org_id: int, **extra) -> dict:
    """An output listing close to NEED unless overridden."""
    base = {
        "kind": "output",
        "id": oid,
        "org_id": org_id,
        "region": "320102",
        "fields": [],
        "keywords": [],
        "modes": [],
        "title": "一种传感器温度补偿方法",
        "summary": "提出基于神经网络的传感器温度补偿方法，显著降低零点漂移。",
    }
    return base | extra


def test_region_levels_by_code_prefix():
    assert ft.region_proximity("320831", "320831") == (1.0, "county")
    assert ft.region_proximity("320831", "320830") == (0.6, "city")
    assert ft.region_proximity("320831", "320102") == (0.3, "province")
    assert ft.region_proximity("320831", "110105") == (0.0, None)
    assert ft.region_proximity(None, "320831") == (0.0, None)


def test_field_agreement_same_nested_and_sibling():
    sensor, flow = ["instrument", "instrument.sensor"], ["instrument", "instrument.flow"]
    assert ft.field_agreement([sensor], [sensor]) == (1.0, "instrument.sensor")
    assert ft.field_agreement([sensor], [["instrument"]]) == (0.7, "instrument")
    assert ft.field_agreement([sensor], [flow]) == (0.5, "instrument")
    assert ft.field_agreement([sensor], [["materials"]]) == (0.0, None)


def test_keyword_overlap_lists_the_shared_words_rarest_first():
    table = {"传感器": 1.0, "温度补偿": 3.0, "电池": 2.0}

    def weight(word: str) -> float:
        return table[word]

    value, words = ft.keyword_overlap(["传感器", "电池", "温度补偿"], "传感器的温度补偿", weight)
    assert words == ["温度补偿", "传感器"]
    assert value == pytest.approx(4.0 / 6.0)
    assert ft.keyword_overlap(["ＰＣＢ"], "多层pcb设计") == (1.0, ["ＰＣＢ"])
    assert ft.keyword_overlap([], "任何文本") == (0.0, [])


def test_stale_listing_loses_freshness():
    fresh = ft.freshness(NOW - timedelta(days=1), NOW, 90)
    stale = ft.freshness((NOW - timedelta(days=400)).isoformat(), NOW, 90)
    assert fresh > 0.99 and stale < 0.1
    assert ft.freshness(None, NOW, 90) == 0.0
    assert ft.freshness("2026-03-03", NOW, 90) == pytest.approx(0.5)


def test_maturity_budget_modes_and_responsiveness():
    assert ft.maturity_fit(6, 7) == 1.0 and ft.maturity_fit(6, 4) == 0.5 and ft.maturity_fit(None, 7) == 0.0
    assert ft.budget_fit(50, 30) == 1.0 and ft.budget_fit(50, 100) == 0.5 and ft.budget_fit(None, 30) == 0.0
    assert ft.mode_compatibility(["transfer", "license"], ["license"]) == (1.0, ["license"])
    assert ft.mode_compatibility(["transfer"], ["equity"]) == (0.0, [])
    assert ft.responsiveness(1.7) == 1.0 and ft.responsiveness(None) == 0.0


def test_explanation_names_keywords_field_and_county():
    cand = output(2, 20, region="320831", fields=["instrument.sensor"], modes=["transfer"], trl=7)
    scored = score_candidate(NEED, cand, 0.6, weights=Weights(), now=NOW)
    assert scored.explanation == (
        "关键词重合：传感器、温度补偿；同属传感器领域；同在金湖县；合作方式一致：技术转让；成熟度满足要求"
    )
    assert set(scored.breakdown) == set(FEATURES)
    assert scored.total == pytest.approx(sum(scored.breakdown.values()))
    assert scored.breakdown["region"] == pytest.approx(Weights().region)


def test_sibling_fields_are_explained_by_their_parent():
    cand = output(2, 20, fields=["instrument.flow"])
    scored = score_candidate(NEED, cand, 0.6, weights=Weights(), now=NOW)
    assert "同属仪器仪表领域" in scored.explanation
    assert scored.breakdown["field"] == pytest.approx(Weights().field * ft.FIELD_SIBLING)


def test_explanation_starts_with_the_text_and_never_rests_on_region_alone():
    assert explain({"text": 0.4}) == "内容相关"
    assert explain({"text": 0.2, "semantic": 0.7}) == "内容相近"
    assert explain({"text": 0.4, "region_level": "city", "region": "320830"}) == "内容相关；同在淮安市"
    assert explain({"region_level": "city", "region": "320830", "maturity": 1.0, "budget": 1.0}) == ""
    assert explain({"text": 0.0}) == ""


def test_rank_prefers_same_county_among_equal_texts():
    near, far = output(2, 20, region="320831"), output(3, 30, region="110105")
    ranked = rank(NEED, [(far, 0.5), (near, 0.5)], now=NOW)
    assert [r.object_id for r in ranked] == [2, 3]


def test_rank_caps_matches_per_organisation():
    cands = [(output(i, 20 if i < 6 else 30), 0.9 - i / 100) for i in range(2, 9)]
    ranked = rank(NEED, cands, top=5, per_org_cap=3, now=NOW)
    orgs = [r.org_id for r in ranked]
    assert orgs.count(20) == 3 and orgs.count(30) == 2
    assert [r.object_id for r in ranked] == [2, 3, 4, 6, 7]


def test_rank_skips_the_query_itself():
    own = dict(NEED)
    assert rank(NEED, [(own, 1.0)], now=NOW) == []


def test_weights_override_and_reject_unknown():
    w = Weights.from_mapping({"region": 0.5, "per_org_cap": 2})
    assert w.region == 0.5 and w.per_org_cap == 2 and w.text == Weights().text
    with pytest.raises(ValueError, match="unknown"):
        Weights.from_mapping({"regoin": 1})
    with pytest.raises(ValueError, match="negative"):
        Weights.from_mapping({"text": -1})


def test_text_index_ranks_relevant_listing_first_and_excludes_org():
    index = TextIndex()
    index.add(output(2, 20))
    index.add(output(3, 30, title="锂电池隔膜涂层", summary="一种陶瓷涂覆锂电池隔膜的制备方法。"))
    index.add(output(4, 40, title="水稻育种", summary="耐盐碱水稻新品种选育。"))
    found = index.candidates(NEED, 10)
    assert found[0][0] == 2 and 0.0 < found[0][1] <= 1.0
    assert 4 not in [oid for oid, _ in found]
    assert 2 not in [oid for oid, _ in index.candidates(NEED, 10, exclude_org=20)]
    assert index.idf_table().docs == 3


def test_rank_jsonl_writes_rankings(tmp_path):
    outputs = [
        {"id": "o1", "title": "传感器温度补偿", "abstract": "压力传感器的温度补偿算法。", "keywords": []},
        {"id": "o2", "title": "锂电池隔膜", "abstract": "陶瓷涂覆锂电池隔膜。", "keywords": []},
        {"id": "o3", "title": "水稻育种", "abstract": "耐盐碱水稻选育。", "keywords": []},
    ]
    needs = [
        {"id": "n1", "title": "寻求温度补偿相关技术", "description": "", "keywords": ["温度补偿"]},
        {"id": "n2", "title": "寻求锂电池隔膜相关技术", "description": "", "keywords": ["锂电池"]},
    ]
    for name, rows in (("outputs.jsonl", outputs), ("needs.jsonl", needs)):
        (tmp_path / name).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    work = tmp_path / "work"
    work.mkdir()
    counts = rank_jsonl(
        tmp_path / "outputs.jsonl",
        tmp_path / "needs.jsonl",
        tmp_path / "r.jsonl",
        progress=False,
        workdir=work,
    )
    lines = [json.loads(x) for x in (tmp_path / "r.jsonl").read_text("utf-8").splitlines()]
    assert counts == {"outputs": 3, "needs": 2}
    assert [x["need_id"] for x in lines] == ["n1", "n2"]
    assert lines[0]["ranked"][0] == "o1" and lines[1]["ranked"][0] == "o2"
    assert len(lines[0]["scores"]) == len(lines[0]["ranked"])
    assert lines[0]["scores"] == sorted(lines[0]["scores"], reverse=True)
    assert list(work.iterdir()) == []  # the workspace is thrown away


def test_top_selection_is_exact_against_a_full_sort():
    rng = np.random.default_rng(3)
    for size, limit in ((50, 10), (2000, 100), (2000, 5), (30, 100)):
        scores = rng.random(size).astype(np.float32) ** 4
        scores[rng.random(size) < 0.3] = 0.0
        pos, got = _top_positive(scores, limit)
        expected = [i for i in np.argsort(-scores, kind="stable") if scores[i] > 0][:limit]
        assert pos.tolist() == expected
        assert got.tolist() == scores[expected].tolist()
