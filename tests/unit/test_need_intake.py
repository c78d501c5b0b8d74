"""The intake rules of needs and 榜单 as pure functions: vague titles, repeated text, near-duplicates."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from matchmaker.services import intake as shared
from matchmaker.services.listings import intake


def _need(**kw):
    data = dict(
        id=1,
        title="压力传感器温漂补偿技术攻关",
        summary="我公司压力传感器在高低温环境下温漂明显，寻求温度补偿算法与工艺改进方案。",
        indicators=[SimpleNamespace(name="温漂", comparator="<=", target=0.01, unit="%FS/℃")],
        budget_min=20,
        budget_max=50,
        deadline=date(2027, 6, 30),
        keywords=["压力传感器"],
    )
    data.update(kw)
    return SimpleNamespace(**data)


def _fields(gaps):
    return [g.field for g in gaps]


@pytest.mark.parametrize(
    "title", ["技术合作", "寻求产学研合作项目", "企业技术需求", "关于产品升级改造的技术咨询"]
)
def test_titles_made_of_generic_words_are_vague(title):
    assert shared.vague_title(title)


@pytest.mark.parametrize("title", ["压力传感器温漂补偿", "小龙虾冷链保鲜", "MEMS封装工艺", "锂电池隔膜涂覆"])
def test_titles_naming_a_technology_are_not_vague(title):
    assert not shared.vague_title(title)


@pytest.mark.parametrize("text", ["需要技术合作需要技术合作", "合作合作合作合作", "求技术，求技术，求技术！"])
def test_text_said_twice_repeats_itself(text):
    assert shared.repeats_itself(text)


def test_an_ordinary_summary_does_not_repeat_itself():
    assert not shared.repeats_itself(_need().summary)
    assert not shared.repeats_itself("传感器")


def test_the_issue_example_is_refused_with_a_message_per_field():
    report = intake.check(_need(title="技术合作", summary="需要技术合作需要技术合作"))
    assert not report.ready
    errors = report.errors()
    assert set(errors) == {"title", "summary"}
    assert "笼统" in errors["title"][0] and "重复" in errors["summary"][0]


def test_a_short_summary_blocks():
    report = intake.check(_need(summary="求温漂补偿方案。"))
    assert _fields(report.blocking) == ["summary"] and "简略" in report.blocking[0].message


def test_a_complete_need_is_ready_without_advice():
    report = intake.check(_need())
    assert report.ready and report.advisory == []


def test_missing_indicator_budget_deadline_and_keywords_are_advice_not_blocking():
    report = intake.check(_need(indicators=[], budget_min=None, budget_max=None, deadline=None, keywords=[]))
    assert report.ready
    assert _fields(report.advisory) == ["indicators", "budget_max", "deadline", "keywords"]


def test_an_indicator_without_unit_is_named_in_the_advice():
    report = intake.check(
        _need(indicators=[SimpleNamespace(name="良品率", comparator=">=", target=95, unit="")])
    )
    assert [g.message for g in report.advisory] == ["以下指标未填写单位：良品率"]


def test_a_near_duplicate_of_the_same_organisations_need_is_flagged():
    twin = _need(id=7, summary="我公司压力传感器在高低温环境下温漂明显，寻求温度补偿算法和工艺改进。")
    other = _need(id=8, title="小龙虾冷链保鲜工艺", summary="寻求小龙虾冷链运输中的保鲜与杀菌工艺。")
    report = intake.check(_need(), [twin, other])
    (gap,) = report.advisory
    assert "编号 7" in gap.message and report.ready
    assert intake.check(_need(), [other]).advisory == []


def test_challenges_share_the_title_and_text_rules():
    gaps = shared.text_gaps("技术攻关", "problem", "需要技术合作需要技术合作", "技术难题描述")
    assert _fields(gaps) == ["title", "problem"]
