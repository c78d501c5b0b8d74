"""One ranking path: the app's stored matches, GET /needs/{id}/matches and `match-file` agree.

A fixture catalogue of outputs is ranked for a published need by the app (match run after the
index job embedded everything, with the deterministic test embedder) and by ``rank_jsonl`` over
the same listings written to JSONL files; the lists and scores must be identical.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.matching.batch import rank_jsonl
from matchmaker.matching.calibration import percent
from matchmaker.matching.embedding import HashEmbedder
from matchmaker.models import ListingEmbedding, Match, TechnologyNeed
from matchmaker.queries.candidates import responsiveness
from matchmaker.queries.catalogue import catalogue_of, rank_for
from tests import factories as f
from workers.jobs.index import embed_listings

CATALOGUE = [
    (
        "MEMS 压力传感器温度漂移数字补偿方法",
        "基于多项式拟合的压力传感器温度漂移补偿，温漂降低一个数量级。",
        ["传感器", "温度补偿"],
    ),
    (
        "高精度压力变送器温度补偿电路",
        "变送器在高低温下零点漂移的硬件补偿电路与标定方法。",
        ["压力变送器", "温度补偿"],
    ),
    ("光纤温度传感器", "分布式光纤测温系统，用于电缆与变压器的温度在线监测。", ["光纤", "温度传感器"]),
    ("盱眙龙虾冷链保鲜工艺", "一种小龙虾冷链保鲜与杀菌工艺。", ["保鲜"]),
    ("锂离子电池负极材料预锂化技术", "硅碳负极预锂化工艺，提高首次库伦效率。", ["锂离子电池", "预锂化"]),
]


# Filler outputs in other fields: with them the catalogue is large enough (20+) for the measured
# semantic background and the hubness correction to take part in both rankings.
FILLER_SUBJECTS = ("小龙虾", "稻米", "风电叶片", "光伏组件", "污水处理", "中药材", "纺织印染", "钢结构",
                   "食品包装", "石油钻具")  # fmt: skip
FILLER_WORKS = ("加工工艺", "质量检测方法", "节能改造技术")


def _catalogue(world, filler: bool = False):
    rows = list(CATALOGUE)
    if filler:
        rows += [
            (f"{subject}{work}", f"面向{subject}企业的{work}，已在示范线应用。", [subject])
            for subject in FILLER_SUBJECTS
            for work in FILLER_WORKS
        ]
    outputs = [f.make_output(world.uni, world.rita, title=t, abstract=a, keywords=k) for t, a, k in rows]
    f.index_listings(*outputs)
    return outputs


def _write_jsonl(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")


def _as_file_rows(outputs):
    answer = responsiveness({o.org_id for o in outputs})
    rows = []
    for o in outputs:
        data = o.as_listing_dict() | {"org_region": o.org.region, "responsiveness": answer[o.org_id]}
        rows.append(data)
    return rows


@pytest.mark.parametrize("filler", [False, True], ids=["small", "with-hubness"])
def test_app_and_match_file_rank_identically(app, client, world, tmp_path, filler):
    outputs = _catalogue(world, filler)
    need_id = f.publish_sensor_need(client, world)
    assert embed_listings(rematch=True) == len(outputs) + 1  # the index job's work, then re-ranked
    need = db.session.get(TechnologyNeed, need_id)
    app_ranked = rank_for(need, top=20)
    assert 1 <= len(app_ranked) < len(outputs), "some outputs pass the floor, not all"
    hub = catalogue_of("output").index.vectors.hub
    assert bool(np.abs(hub).max() > 0) is filler  # corrected only where the catalogue is large

    _write_jsonl(tmp_path / "outputs.jsonl", _as_file_rows(outputs))
    _write_jsonl(tmp_path / "needs.jsonl", [need.as_listing_dict()])
    rank_jsonl(
        tmp_path / "outputs.jsonl",
        tmp_path / "needs.jsonl",
        tmp_path / "rank.jsonl",
        top=20,
        progress=False,
        embedder=HashEmbedder(),
        floor=app.config["MATCH_MIN_PROBABILITY"],
    )
    line = json.loads((tmp_path / "rank.jsonl").read_text("utf-8"))
    assert line["ranked"] == [s.object_id for s in app_ranked]
    assert line["scores"] == [s.probability for s in app_ranked]
    assert line["raw"] == pytest.approx([s.total for s in app_ranked], abs=1e-5)

    stored = db.session.scalars(select(Match).where(Match.need_id == need_id)).all()
    assert {m.output_id: m.score for m in stored} == {s.object_id: s.probability for s in app_ranked}
    items = client.get(f"/api/v1/needs/{need_id}/matches", headers=world.h_alice).json["items"]
    assert sorted(i["output"]["id"] for i in items) == sorted(s.object_id for s in app_ranked)
    assert all(i["score_percent"] == percent(i["score"]) for i in items)


def test_unrelated_outputs_are_neither_stored_nor_pushed(app, client, world):
    outputs = _catalogue(world)
    need_id = f.publish_sensor_need(client, world)
    embed_listings(rematch=True)
    stored = {m.output_id for m in db.session.scalars(select(Match).where(Match.need_id == need_id))}
    by_title = {o.title: o.id for o in outputs}
    assert by_title["MEMS 压力传感器温度漂移数字补偿方法"] in stored
    assert by_title["盱眙龙虾冷链保鲜工艺"] not in stored
    assert by_title["锂离子电池负极材料预锂化技术"] not in stored


def test_embeddings_are_stored_with_the_listing_and_not_recomputed(app, world):
    outputs = _catalogue(world)
    assert embed_listings() == len(outputs)
    assert embed_listings() == 0  # same texts: nothing to do
    rows = db.session.scalars(select(ListingEmbedding).where(ListingEmbedding.kind == "output")).all()
    assert {r.object_id for r in rows} == {o.id for o in outputs}
    vector = np.frombuffer(rows[0].vector, dtype=np.float32)
    assert vector.shape == (HashEmbedder().dim,) and np.linalg.norm(vector) == pytest.approx(1.0, abs=1e-5)
    outputs[0].abstract = "改为一种全新的压电陶瓷驱动方法。"
    db.session.commit()
    assert embed_listings() == 1  # only the listing whose text changed
