"""Regions (GB/T 2260), industry fields and vocabularies."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from matchmaker.taxonomy import fields, regions, vocab

HUAIAN_COUNTIES = {
    "320803": "淮安区",
    "320804": "淮阴区",
    "320812": "清江浦区",
    "320813": "洪泽区",
    "320826": "涟水县",
    "320830": "盱眙县",
    "320831": "金湖县",
}
JIANGSU_CITIES = "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁".split(" ")  # noqa: SIM905


def test_region_get_returns_code_name_level_parent() -> None:
    assert regions.get("320831") == regions.Region("320831", "金湖县", "county", "320800")
    assert regions.get("320800") == regions.Region("320800", "淮安市", "city", "320000")
    assert regions.get("320000") == regions.Region("320000", "江苏省", "province", None)


def test_unknown_codes_give_empty_answers() -> None:
    for code in ("320899", "999999", "", "abc", None, "3208311"):
        assert regions.get(code) is None
        assert regions.path(code) == []
        assert regions.full_name(code) == ""
        assert regions.descendants(code) == []
        assert not regions.within(code, "320831")


def test_user_input_is_normalized_but_lookups_are_strict() -> None:
    assert regions.normalize("32") == "320000"
    assert regions.normalize("3208") == "320800"
    assert regions.normalize(320831) == "320831"
    assert regions.normalize(" 320831 ") == "320831"
    assert regions.normalize("320899") is None
    assert regions.normalize(True) is None
    assert not regions.exists("3208") and not regions.exists(320831)  # type: ignore[arg-type]
    assert regions.exists("320831")


def test_every_province_level_division_is_present() -> None:
    provinces = regions.provinces()
    assert len(provinces) == 34
    assert {"110000", "310000", "500000", "540000", "650000", "710000", "810000", "820000"} <= set(provinces)
    assert regions.name("150000") == "内蒙古自治区"


def test_jiangsu_cities_in_order() -> None:
    cities = regions.children("320000")
    assert cities == [f"32{n:02d}00" for n in range(1, 14)]
    assert [regions.name(c) for c in cities] == [f"{n}市" for n in JIANGSU_CITIES]


def test_huaian_counties_are_current() -> None:
    assert {c: regions.name(c) for c in regions.children("320800")} == HUAIAN_COUNTIES


def test_jiangsu_has_95_county_level_divisions() -> None:
    counties = [c for c in regions.descendants("320000") if regions.level(c) == "county"]
    assert len(counties) == 95
    per_city = Counter(regions.path(c)[1] for c in counties)
    assert per_city["320100"] == 11 and per_city["320500"] == 9 and per_city["321300"] == 5
    assert regions.name("320613") == "崇川区" and regions.name("320614") == "海门区"
    assert regions.get("320611") is None  # 港闸区 merged into 崇川区 in 2020


def test_national_counts_per_level() -> None:
    counts = Counter(regions.level(c) for c in regions.all_codes())
    assert counts["province"] == 34
    assert counts["city"] == 333
    assert 2800 < counts["county"] < 2900


def test_path_and_full_name() -> None:
    assert regions.path("320831") == ["320000", "320800", "320831"]
    assert regions.path("320800") == ["320000", "320800"]
    assert regions.full_name("320831") == "江苏省淮安市金湖县"
    assert regions.full_name("110105") == "北京市朝阳区"
    assert regions.full_name("429004") == "湖北省仙桃市"


def test_within_is_reflexive_and_upward_only() -> None:
    assert regions.within("320831", "320831")
    assert regions.within("320800", "320831")
    assert regions.within("320000", "320831")
    assert not regions.within("320831", "320800")
    assert not regions.within("320800", "320102")
    assert not regions.within("320800", "999999")


def test_descendants_exclude_self() -> None:
    assert regions.descendants("320800") == sorted(HUAIAN_COUNTIES)
    assert len(regions.descendants("320000")) == 13 + 95
    assert regions.descendants("320831") == []


def test_city_and_province_of() -> None:
    assert regions.city_of("320831") == "320800"
    assert regions.city_of("320800") == "320800"
    assert regions.city_of("320000") is None
    assert regions.city_of("110105") == "110000"  # a municipality stands for its own city
    assert regions.city_of("429004") is None  # 仙桃市 is administered by the province
    assert regions.province_of("320831") == "320000"
    assert regions.province_of("000000") is None


def test_levels_of_special_cases() -> None:
    assert regions.level("441900") == "city"  # 东莞市 has no counties
    assert regions.children("441900") == []
    assert regions.level("110105") == "county"
    assert regions.level("659001") == "county"
    assert regions.province_is_municipality("500000")
    assert not regions.province_is_municipality("320000")


def test_every_parent_exists_and_levels_follow_parents() -> None:
    for code in regions.all_codes():
        region = regions.get(code)
        assert region is not None and re.fullmatch(r"\d{6}", code)
        if region.level == "province":
            assert region.parent is None and code.endswith("0000")
        else:
            parent = regions.get(region.parent)
            assert parent is not None and region.parent and code.startswith(parent.code[:2])
            assert region.level == "city" or parent.level in ("province", "city")


def test_find_by_name() -> None:
    assert regions.find("金湖县") == ["320831"]
    assert regions.find("淮安") == ["320800", "320803"]
    assert regions.find("鼓楼区", scope="320000") == ["320106", "320302"]
    assert regions.find("") == []


def test_field_lookup_and_path() -> None:
    sensor = fields.get("instrument.sensor")
    assert sensor is not None and sensor.name == "传感器" and sensor.parent == "instrument"
    assert fields.path("instrument.sensor") == ["instrument", "instrument.sensor"]
    assert fields.path("instrument") == ["instrument"]
    assert fields.path("nope") == []
    assert fields.name("instrument") == "仪器仪表"
    assert fields.name("nope") == ""
    assert fields.full_name("electronics.pcb") == "电子信息 / 印制电路板"


def test_fields_cover_strategic_and_local_industries() -> None:
    top_names = {fields.name(c) for c in fields.roots()}
    for wanted in (
        "新一代信息技术",
        "高端装备制造",
        "新材料",
        "生物医药",
        "新能源汽车",
        "新能源",
        "节能环保",
    ):
        assert wanted in top_names
    for wanted in (
        "数字创意",
        "仪器仪表",
        "电子信息",
        "绿色食品",
        "纤维新材料",
        "现代农业",
        "化工",
        "纺织服装",
    ):
        assert wanted in top_names


def test_field_codes_are_stable_ascii_two_levels() -> None:
    codes = fields.codes()
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?", code)
        field = fields.get(code)
        assert field is not None
        parent = field.parent
        assert parent is None or code.startswith(parent + ".")
    for root in fields.roots():
        assert 5 <= len(fields.children(root)) <= 10


def test_field_tree_is_a_fresh_copy() -> None:
    tree = fields.tree()
    assert [n["code"] for n in tree] == fields.roots()
    tree[0]["children"].clear()
    assert fields.tree()[0]["children"]


def test_field_within_and_top() -> None:
    assert fields.within("instrument", "instrument.flow")
    assert fields.within("instrument.flow", "instrument.flow")
    assert not fields.within("instrument.flow", "instrument")
    assert fields.top("bio.tcm") == "bio"


def test_all_terms_are_unique_dictionary_words() -> None:
    terms = fields.all_terms()
    assert len(terms) == len(set(terms))
    assert {"仪器仪表", "传感器", "流量计", "印制电路板", "碳纤维"} <= set(terms)
    assert all(term and not re.search(r"\s", term) for term in terms)


def test_suggest_finds_fields_in_text() -> None:
    hits = fields.suggest("高精度电磁流量计的温度补偿算法")
    assert hits[:2] == ["instrument.sensor", "instrument.flow"]
    assert fields.suggest("PCB 线路板 smt 工艺") == ["electronics.pcb", "electronics.smt"]
    assert "digital.vr" not in fields.suggest("CARBON FIBER")  # Latin terms only as whole words


def test_vocab_codes_are_snake_case_with_chinese_labels() -> None:
    all_vocabs = (
        vocab.ORG_KINDS,
        vocab.QUALIFICATIONS,
        vocab.NEED_TYPES,
        vocab.COOP_MODES,
        vocab.MATURITY_STAGES,
        vocab.IP_TYPES,
        vocab.ROLES,
    )
    for mapping in all_vocabs:
        for code, text in mapping.items():
            assert re.fullmatch(r"[a-z][a-z0-9_]*", code)
            assert re.search(r"[\u4e00-\u9fff]", text)
    assert vocab.ORG_KINDS["university"] == "高校"
    assert vocab.IP_TYPES["invention"] == "发明专利"
    assert list(vocab.MATURITY_STAGES) == ["lab", "bench", "pilot", "industrial"]


def test_vocabularies_are_read_only() -> None:
    with pytest.raises(TypeError):
        vocab.ORG_KINDS["x"] = "y"  # type: ignore[index]


def test_label_falls_back_to_code() -> None:
    assert vocab.label(vocab.COOP_MODES, "transfer") == "技术转让"
    assert vocab.label(vocab.COOP_MODES, "barter") == "barter"
    assert vocab.label(vocab.COOP_MODES, None) == ""
    assert vocab.labels(vocab.ROLES, ["staff", "admin"]) == ["科技局工作人员", "系统管理员"]


def test_trl_mapping_covers_one_to_nine_once() -> None:
    assert list(vocab.TRL_RANGE) == list(range(1, 10))
    assert [vocab.stage_for_trl(t) for t in vocab.TRL_RANGE] == (
        ["lab"] * 3 + ["bench"] * 2 + ["pilot"] * 2 + ["industrial"] * 2
    )
    assert vocab.trl_range("pilot") == (6, 7)
    assert vocab.trl_label(6).startswith("TRL 6：")
    for bad in (0, 10, True, "5"):
        assert not vocab.valid_trl(bad)
    with pytest.raises(ValueError):
        vocab.stage_for_trl(10)
    with pytest.raises(ValueError):
        vocab.trl_range("prototype")
