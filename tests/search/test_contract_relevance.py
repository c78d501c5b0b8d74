"""Contract: relevance tiers, on both engines (issue 12: whole words first, every term, synonyms)."""

from __future__ import annotations

from search.queries import SearchParams
from tests.search.conftest import docs, listing


def ranked(engine, q: str) -> list[str]:
    """Document ids for a query, best first."""
    return [h.doc_id for h in engine.search(SearchParams(q=q)).hits]


def test_a_whole_word_outranks_matches_of_its_characters(engine):
    engine.bulk_upsert(
        docs(
            [
                listing("output", 1, "等离子处理设备", "等离子体表面处理，离子源寿命长。" * 3),
                listing("output", 2, "锂离子电池负极材料预锂化技术", "提高首次库伦效率。"),
                listing("output", 3, "陶瓷涂层", "离子注入改性。"),
            ]
        )
    )
    assert ranked(engine, "锂离子")[0] == "output-2"


def test_a_listing_covering_every_term_comes_first(engine):
    engine.bulk_upsert(
        docs(
            [
                listing("need", 1, "伺服电机驱动器", "伺服电机，伺服电机控制，伺服电机选型。"),
                listing("need", 2, "电池包温升", "温升控制，温升测试。"),
                listing("need", 3, "电机噪声与温升控制", "针对伺服系统。"),
            ]
        )
    )
    assert ranked(engine, "电机 温升")[0] == "need-3"


def test_a_word_in_the_title_outranks_many_in_the_summary(engine):
    engine.bulk_upsert(
        docs(
            [
                listing("output", 1, "工业机器人关节", "减速器，减速器，减速器，谐波减速器寿命。"),
                listing("output", 2, "RV减速器传动寿命提升", "摆线齿形修形。"),
            ]
        )
    )
    assert ranked(engine, "减速器") == ["output-2", "output-1"]


def test_synonyms_and_narrower_terms_are_found(engine):
    engine.bulk_upsert(
        docs(
            [
                listing("need", 1, "游梁式抽油机节能改造", "老油田挖潜。"),
                listing("need", 2, "石油化工污水处理", "装置区废水。"),
                listing("output", 3, "锂离子电池隔膜", "涂覆工艺。"),
                listing("output", 4, "凹凸棒石黏土提纯", "水力旋流分级。"),
            ]
        )
    )
    assert ranked(engine, "石油装备")[0] == "need-1"  # 抽油机 is 石油装备; 石油化工 is not
    assert ranked(engine, "锂电")[0] == "output-3"
    assert ranked(engine, "凹土") == ["output-4"]
