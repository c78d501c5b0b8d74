"""Semantic channel, calibration and the floor: the real model once, the test double elsewhere."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from matchmaker.matching import calibration
from matchmaker.matching.embedding import (
    PASSAGE,
    QUERY,
    E5Embedder,
    EmbeddingCache,
    HashEmbedder,
    embed_cached,
    embed_text,
)
from matchmaker.matching.hybrid import Evidence
from matchmaker.matching.pipeline import Catalogue, rank_query
from matchmaker.matching.weights import Weights


def test_the_wheel_shipped_model_puts_related_chinese_texts_closer():
    model = E5Embedder(threads=1)
    need = model.embed(["寻求锂电池负极材料的预锂化工艺，提高首次效率"], QUERY)[0]
    close, far = model.embed(
        ["硅碳负极预锂化技术，提高锂离子电池首次库伦效率", "小龙虾冷链保鲜与杀菌工艺"], PASSAGE
    )
    assert need.shape == (384,) and np.linalg.norm(need) == pytest.approx(1.0, abs=1e-3)
    assert float(need @ close) > float(need @ far) + 0.05


def test_cache_embeds_each_text_once(tmp_path):
    cache, model = EmbeddingCache(tmp_path / "e.sqlite3"), HashEmbedder()
    first = embed_cached(model, ["压力传感器温度补偿", "光纤测温"], PASSAGE, cache)
    again = embed_cached(HashEmbedder(), ["光纤测温", "压力传感器温度补偿"], PASSAGE, cache)
    assert model.calls == 2
    assert np.allclose(again, first[::-1])
    fresh = HashEmbedder()
    embed_cached(fresh, ["光纤测温"], QUERY, cache)  # another role is another vector
    assert fresh.calls == 1


def test_embedded_text_says_each_part_once_and_is_bounded():
    listing = {"title": "压力传感器", "summary": "压力传感器温度补偿方法", "keywords": ["温度补偿", "MEMS"]}
    assert embed_text(listing) == "压力传感器温度补偿方法；MEMS"
    assert len(embed_text({"title": "长" * 1000})) == 384


@pytest.mark.parametrize("style", [calibration.FREE_TEXT, calibration.KEYWORDS_ONLY])
def test_calibration_is_monotone_and_a_probability(style):
    raws = np.linspace(-0.5, 3.0, 200)
    probs = [calibration.probability(float(r), style) for r in raws]
    assert all(0.0 <= p <= 1.0 for p in probs)
    assert all(b >= a for a, b in itertools.pairwise(probs))
    assert probs[0] < 0.05 and probs[-1] > 0.9


def _rank(title: str, summary: str, floor: float = 0.0):
    """Rank a need against a two-output catalogue embedded by the test double."""
    model = HashEmbedder()
    rows = [
        {"kind": "output", "id": 1, "title": "压力传感器温度补偿", "summary": "传感器温漂补偿算法与标定"},
        {"kind": "output", "id": 2, "title": "锂离子电池负极材料预锂化技术", "summary": "硅碳负极预锂化"},
    ]
    catalogue = Catalogue(zip(rows, model.embed([embed_text(r) for r in rows], PASSAGE), strict=True))
    need = {"kind": "need", "id": 9, "title": title, "summary": summary}
    vector = model.embed([embed_text(need)], QUERY)[0]
    return rank_query(catalogue, need, vector, weights=Weights(), top=5, floor=floor)


def test_floor_leaves_no_match_rather_than_a_bad_one():
    need = ("手性医药中间体合成工艺", "寻求手性医药中间体的不对称合成工艺路线")
    assert _rank(*need, floor=0.5) == []
    assert all(s.probability < 0.5 for s in _rank(*need))


def test_matching_need_passes_the_floor_with_raw_scores_kept():
    best = _rank("压力传感器温漂补偿", "我公司压力传感器温漂大，寻求温度补偿算法", floor=0.5)
    assert [s.object_id for s in best] == [1]
    text_part = sum(best[0].breakdown[f] for f in ("text", "semantic", "keywords"))
    assert best[0].relevance == pytest.approx(text_part)
    assert best[0].probability == pytest.approx(calibration.probability(best[0].relevance), abs=1e-4)


def test_cosine_counts_only_above_what_the_catalogue_reaches_anyway():
    from matchmaker.matching.engine import rank

    listing = {"kind": "output", "id": 1, "title": "传感器", "summary": ""}
    query = {"kind": "need", "id": 2, "title": "传感器"}
    zero = Weights().dense_zero
    plain = rank(query, [(listing, Evidence(0.5, 0.9))])[0]
    assert plain.breakdown["semantic"] == pytest.approx(Weights().semantic * (0.9 - zero) / (1 - zero))
    templated = rank(query, [(listing, Evidence(0.5, 0.9, background=0.9))])[0]
    assert templated.breakdown["semantic"] == 0.0


def test_meaning_alone_never_carries_a_stored_match():
    from matchmaker.matching.engine import rank

    lobster = {"kind": "output", "id": 1, "title": "盱眙龙虾冷链保鲜工艺", "summary": "小龙虾冷链保鲜"}
    query = {"kind": "need", "id": 2, "title": "压力传感器温漂补偿", "summary": "寻求温度补偿算法"}
    close_in_meaning = [(lobster, Evidence(0.0, 0.99))]  # no shared word or character pair
    assert rank(query, close_in_meaning)  # ranked (match-file lists it) ...
    assert rank(query, close_in_meaning, floor=0.01) == []  # ... but never stored or pushed
    sharing_text = [({**lobster, "title": "传感器温漂补偿"}, Evidence(0.6, 0.99))]
    assert rank(query, sharing_text, floor=0.01)


def test_a_tiny_catalogue_reads_template_likeness_as_nothing_with_the_real_model():
    """Under 20 listings the background cannot be measured: the model's unrelated cosine stands in,
    so e5's 0.75-0.89 between texts written from one template is not taken for relevance."""
    import json
    from pathlib import Path

    case = Path(__file__).parents[1] / "services" / "data" / "lithium_case.json"
    data = json.loads(case.read_text("utf-8"))
    model = E5Embedder(threads=1)
    outputs = [*data["outputs"], data["lithium"]]
    rows = [{"kind": "output", "id": i, "org_id": 2, "title": o["title"], "summary": o["abstract"],
             "keywords": o["keywords"]} for i, o in enumerate(outputs)]  # fmt: skip
    catalogue = Catalogue(
        zip(rows, model.embed([embed_text(r) for r in rows], PASSAGE), strict=True),
        unrelated_cosine=model.unrelated_cosine,
    )
    assert len(catalogue) < 20
    best = {}
    for i, need in enumerate(data["needs"]):
        query = {"kind": "need", "id": 100 + i, "org_id": 1, "title": need["title"],
                 "summary": need["summary"], "keywords": need.get("keywords", [])}  # fmt: skip
        vector = model.embed([embed_text(query)], QUERY)[0]
        found = rank_query(catalogue, query, vector, weights=Weights(), top=3, floor=0.5)
        best[need["title"]] = [next(r["title"] for r in rows if r["id"] == s.object_id) for s in found]
    assert best["手性医药中间体连续化生产工艺优化"] == []
    assert best["面向风电叶片的复合材料压力容器成型效率提升技术攻关"] == []
    assert best["液流电池循环寿命提升工艺优化"][0] == "储能电池管理系统热失控预警关键技术及产业化"
    assert all("锂离子电池负极材料预锂化技术" not in titles for titles in best.values())


def test_the_floor_stands_in_only_where_the_background_cannot_be_measured():
    from matchmaker.matching.hybrid import BACKGROUND_MIN_LISTINGS, background

    small = np.full(BACKGROUND_MIN_LISTINGS - 1, 0.3, np.float32)
    large = np.linspace(0.0, 1.0, 101, dtype=np.float32)
    assert background(small, 0.88) == 0.88 and background(small) == 0.0
    assert background(large, 0.88) == pytest.approx(0.9)


def test_the_percentage_shown_never_claims_certainty_the_map_does_not():
    assert calibration.percent(0.9988) == 99  # the keyword map's top block
    assert calibration.percent(0.9655) == 97 and calibration.percent(0.004) == 0
    assert calibration.percent(1.0) == 100 and calibration.percent(1.7) == 100
    assert calibration.percent(-0.2) == 0
    top = max(
        calibration.probability(r, s)
        for r in (5.0, 50.0)
        for s in (calibration.FREE_TEXT, calibration.KEYWORDS_ONLY)
    )
    assert calibration.percent(top) <= 99
