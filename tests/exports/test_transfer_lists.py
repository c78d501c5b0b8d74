"""技术转移清单: the five lists as a bureau prints them, scoped to the officer's region, read back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import BytesIO
from urllib.parse import unquote

import pytest
from docx import Document
from openpyxl import load_workbook

from matchmaker.extensions import db
from matchmaker.models import (
    CompilationItem,
    CooperationFiling,
    Match,
    NeedIndicator,
    OutputCompilation,
)
from tests import factories as f
from tests.conftest import JINHU, XUYI

URL = "/api/v1/transfer-lists"
KINDS = ("needs", "talent-needs", "cooperation", "outputs", "common-tech")
Q4 = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)
Q3 = datetime(2026, 8, 10, 2, 0, tzinfo=UTC)


def sheet(response):
    """(headers, rows, the 说明 sheet as a dict) of an xlsx download."""
    assert response.status_code == 200, response.json
    book = load_workbook(BytesIO(response.data))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    return rows[0], rows[1:], dict(book["说明"].iter_rows(values_only=True))


def column(headers, rows, name):
    """The values of one column, by its Chinese heading."""
    at = headers.index(name)
    return [row[at] for row in rows]


def docx_text(response) -> list[str]:
    """Every paragraph of a docx download."""
    assert response.status_code == 200, response.json
    return [p.text for p in Document(BytesIO(response.data)).paragraphs]


def _match(need, output, status="connected", **kw):
    row = Match(
        need_id=need.id, output_id=output.id, need_org_id=need.org_id, output_org_id=output.org_id,
        region=need.region, score=0.8, status=status, connected_at=kw.pop("connected_at", Q4), **kw,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


def _filing(world, org, title, **kw):
    row = CooperationFiling(
        org_id=org.id, region=org.region, title=title, partner_name=world.uni.name,
        partner_org_id=world.uni.id, amount=kw.pop("amount", 120), starts_on=date(2026, 10, 1),
        ends_on=date(2027, 9, 30), status=kw.pop("status", "approved"), submitted_at=Q4, **kw,
    )  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row


@pytest.fixture
def lists(world):
    """金湖 and 盱眙 needs (one of each a talent need), outputs, filings, matches and a 金湖 compilation."""
    w = world
    w.sensor = f.make_need(w.ent_a, title="压力传感器温漂补偿技术攻关", published_at=Q4)
    db.session.add(
        NeedIndicator(need_id=w.sensor.id, name="温漂", comparator="<=", target=0.01, unit="%FS/℃")
    )
    w.vice = f.make_need(
        w.ent_a, title="招聘科技副总（精密测量方向）", need_type="talent", modes=["talent"], published_at=Q4,
        summary="聘请高校教授任科技副总，每年在企业工作不少于3个月，指导流量计研发。",
    )  # fmt: skip
    db.session.add(
        NeedIndicator(need_id=w.vice.id, name="主持省部级项目", comparator=">=", target=2, unit="项")
    )
    w.old = f.make_need(w.ent_a, title="三季度发布的金湖需求", published_at=Q3)
    f.make_need(w.ent_a, title="金湖草稿需求", status="draft")
    w.clay = f.make_need(w.ent_b, title="盱眙凹土提纯工艺", fields=["materials"], published_at=Q4)
    w.shrimp = f.make_need(w.ent_b, title="盱眙龙虾加工人才", need_type="talent", published_at=Q4)
    db.session.commit()
    w.gauge = f.make_output(w.uni, w.rita, title="MEMS 压力传感器温度漂移数字补偿方法", published_at=Q4)
    w.laser = f.make_output(w.uni, w.rita, title="激光测距模组", published_at=Q4)
    compilation = OutputCompilation(
        title="金湖县成果推送", region=JINHU, status="pushed", created_by=w.staff_jinhu.id, created_at=Q4
    )
    compilation.items = [CompilationItem(output_id=w.gauge.id, position=0)]
    db.session.add(compilation)
    db.session.commit()
    w.filed_match = _match(w.sensor, w.gauge)
    w.filing = _filing(
        w,
        w.ent_a,
        "金湖仪表与东南理工温补技术合作",
        match_id=w.filed_match.id,
        filing_number="CXY3208312026001",
    )
    w.connected = _match(w.old, w.laser, status="agreement_signed", agreement_amount=45)
    _match(w.vice, w.laser, status="proposed", connected_at=None)
    _filing(w, w.ent_b, "盱眙凹土深加工产学研合作", status="submitted")
    return w


def test_need_list_is_the_countys_published_needs_of_the_period(client, lists):
    response = client.get(f"{URL}/needs", query_string={"period": "2026-Q4"}, headers=lists.h_staff_jinhu)
    headers, rows, about = sheet(response)
    assert about["汇编名称"] == "金湖县企业技术需求清单（2026年第四季度）"
    assert "金湖县企业技术需求清单（2026年第四季度）.xlsx" in unquote(response.headers["Content-Disposition"])
    assert headers[:3] == ("序号", "领域分类", "需求名称") and "技术指标" in headers
    assert sorted(column(headers, rows, "需求名称")) == sorted(
        ["压力传感器温漂补偿技术攻关", "招聘科技副总（精密测量方向）"]
    )
    (sensor,) = [r for r in rows if r[2] == "压力传感器温漂补偿技术攻关"]
    assert sensor[headers.index("技术指标")] == "温漂 ≤ 0.01 %FS/℃"
    assert not {"联系人", "联系电话"} & set(headers)
    _, all_year, about = sheet(
        client.get(f"{URL}/needs", query_string={"period": "2026"}, headers=lists.h_staff_jinhu)
    )
    assert (
        about["汇编名称"] == "金湖县企业技术需求清单（2026年）" and len(all_year) == 3
    )  # Q3 one too, no draft


def test_talent_list_says_what_the_firm_asks_for(client, lists):
    headers, rows, about = sheet(client.get(f"{URL}/talent-needs", headers=lists.h_staff_jinhu))
    assert about["汇编名称"].startswith("金湖县人才需求清单（截至")
    (row,) = rows
    record = dict(zip(headers, row, strict=True))
    assert (
        record["需求名称"] == "招聘科技副总（精密测量方向）" and record["企业名称"] == "金湖仪表科技有限公司"
    )
    assert "每年在企业工作不少于3个月" in record["人才需求内容"]
    assert record["能力要求（技术指标）"] == "主持省部级项目 ≥ 2 项"
    assert record["引才方式"] == "人才引进（科技副总）"
    texts = docx_text(
        client.get(f"{URL}/talent-needs", query_string={"format": "docx"}, headers=lists.h_staff_jinhu)
    )
    assert any(t.startswith("金湖县人才需求清单") for t in texts)
    assert "1. 招聘科技副总（精密测量方向）" in texts and "盱眙龙虾加工人才" not in " ".join(texts)


def test_cooperation_list_takes_filings_first_then_connected_matches(client, lists):
    headers, rows, _ = sheet(client.get(f"{URL}/cooperation", headers=lists.h_staff_jinhu))
    assert headers[:3] == ("序号", "县（市、区）", "项目名称")
    by_title = {r[2]: dict(zip(headers, r, strict=True)) for r in rows}
    assert set(by_title) == {
        "金湖仪表与东南理工温补技术合作",
        "三季度发布的金湖需求",
    }  # filed match once, no proposal
    filed = by_title["金湖仪表与东南理工温补技术合作"]
    assert (filed["备案编号"], filed["进展情况"], filed["合作金额（万元）"]) == (
        "CXY3208312026001",
        "已备案",
        120,
    )
    assert filed["合作高校院所"] == "东南理工大学" and filed["合作期限"] == "2026-10-01至2027-09-30"
    matched = by_title["三季度发布的金湖需求"]
    assert (matched["进展情况"], matched["合作金额（万元）"], matched["备案编号"]) == (
        "已签订合作协议",
        45,
        "未备案",
    )
    assert matched["合作内容"] == "对接科技成果「激光测距模组」"
    _, city, _ = sheet(client.get(f"{URL}/cooperation", headers=lists.h_staff_city))
    assert sorted({r[1] for r in city}) == ["盱眙县", "金湖县"] and len(city) == 3
    texts = docx_text(
        client.get(f"{URL}/cooperation", query_string={"format": "docx"}, headers=lists.h_staff_city)
    )
    assert "金湖县（2 项）" in texts and "盱眙县（1 项）" in texts


def test_output_list_holds_what_was_compiled_for_the_county_from_anywhere(client, lists):
    headers, rows, about = sheet(
        client.get(f"{URL}/outputs", query_string={"period": "2026-11"}, headers=lists.h_staff_jinhu)
    )
    assert about["汇编名称"] == "金湖县高校院所科技成果项目清单（2026年11月）"
    assert column(headers, rows, "成果名称") == [
        "MEMS 压力传感器温度漂移数字补偿方法"
    ]  # from 南京, compiled for 金湖
    assert column(headers, rows, "所在地区") == ["江苏省南京市玄武区"]
    _, xuyi, _ = sheet(client.get(f"{URL}/outputs", headers=lists.h_staff_xuyi))
    assert xuyi == []


def test_common_tech_list_groups_marked_needs_by_chain_and_marks_are_audited(client, lists):
    mark = f"{URL}/common-tech/needs/{lists.sensor.id}"
    body = {"chain": "石油装备产业链", "note": "井下高温环境传感器共性难题"}
    r = client.put(mark, json=body, headers=lists.h_staff_jinhu)
    assert (
        r.status_code == 200
        and r.json["chain"] == "石油装备"
        and r.json["need_title"] == "压力传感器温漂补偿技术攻关"
    )
    assert client.put(mark, json=body, headers=lists.h_staff_jinhu).status_code == 200  # again: nothing new
    old = client.put(
        f"{URL}/common-tech/needs/{lists.old.id}", json={"chain": "石油装备"}, headers=lists.h_staff_city
    )
    assert old.status_code == 200
    r = client.put(
        f"{URL}/common-tech/needs/{lists.clay.id}", json={"chain": "凹土"}, headers=lists.h_staff_xuyi
    )
    assert r.status_code == 200
    headers, rows, _ = sheet(client.get(f"{URL}/common-tech", headers=lists.h_staff_jinhu))
    assert headers[:3] == ("序号", "所属产业链", "需求名称") and "共性技术说明" in headers
    assert [(r[1], r[2]) for r in rows] == [
        ("石油装备产业链", "压力传感器温漂补偿技术攻关"),
        ("石油装备产业链", "三季度发布的金湖需求"),
    ]
    assert column(headers, rows, "共性技术说明")[0] == "井下高温环境传感器共性难题"
    _, city, _ = sheet(client.get(f"{URL}/common-tech", headers=lists.h_staff_city))
    assert sorted({r[1] for r in city}) == ["凹土产业链", "石油装备产业链"]
    texts = docx_text(
        client.get(f"{URL}/common-tech", query_string={"format": "docx"}, headers=lists.h_staff_jinhu)
    )
    assert "石油装备产业链（2 项）" in texts
    log = client.get(
        "/api/v1/audit",
        query_string={"object_type": "need", "object_id": lists.sensor.id},
        headers=lists.h_staff_jinhu,
    )
    assert [row["action"] for row in log.json["items"]].count("common_tech_mark") == 1

    assert client.delete(mark, headers=lists.h_staff_jinhu).status_code == 200
    _, rows, _ = sheet(client.get(f"{URL}/common-tech", headers=lists.h_staff_jinhu))
    assert [r[2] for r in rows] == ["三季度发布的金湖需求"]
    log = client.get(
        "/api/v1/audit",
        query_string={"object_type": "need", "object_id": lists.sensor.id},
        headers=lists.h_staff_jinhu,
    )
    assert "common_tech_unmark" in [row["action"] for row in log.json["items"]]


def test_who_may_mark_a_need(client, lists):
    mark = f"{URL}/common-tech/needs/{lists.sensor.id}"
    body = {"chain": "石油装备"}
    assert client.put(mark, json=body).status_code == 401
    for who in ("alice", "bob", "rita", "staff_xuyi"):  # the owning firm included
        assert client.put(mark, json=body, headers=getattr(lists, f"h_{who}")).status_code == 403, who
        assert client.delete(mark, headers=getattr(lists, f"h_{who}")).status_code == 403, who
    draft = f.make_need(lists.ent_a, title="另一条草稿", status="draft")
    assert (
        client.put(f"{URL}/common-tech/needs/{draft.id}", json=body, headers=lists.h_staff_jinhu).status_code
        == 409
    )
    assert (
        client.put(f"{URL}/common-tech/needs/{draft.id}", json=body, headers=lists.h_staff_xuyi).status_code
        == 404
    )
    assert (
        client.put(f"{URL}/common-tech/needs/999999", json=body, headers=lists.h_staff_jinhu).status_code
        == 404
    )
    r = client.put(mark, json={"chain": "产业链"}, headers=lists.h_staff_jinhu)
    assert r.status_code == 422 and "chain" in r.json["errors"]
    assert client.put(mark, json={"chain": ""}, headers=lists.h_staff_jinhu).status_code == 422
    assert client.put(mark, json=body, headers=lists.h_admin).status_code == 200
    _, rows, _ = sheet(client.get(f"{URL}/common-tech", headers=lists.h_staff_xuyi))
    assert rows == []


@pytest.mark.parametrize("kind", KINDS)
def test_who_may_export_each_list(client, lists, kind):
    url = f"{URL}/{kind}"
    assert client.get(url).status_code == 401
    for who in ("alice", "bob", "rita"):
        r = client.get(url, headers=getattr(lists, f"h_{who}"))
        assert r.status_code == 403 and r.json["message"] == "只有科技局工作人员可以导出技术转移清单", who
    assert client.get(url, query_string={"region": JINHU}, headers=lists.h_staff_xuyi).status_code == 403
    client.put(
        f"{URL}/common-tech/needs/{lists.sensor.id}", json={"chain": "石油装备"}, headers=lists.h_staff_jinhu
    )
    r = client.get(url, headers=lists.h_staff_xuyi)
    assert all("金湖" not in str(v) for row in sheet(r)[1] for v in row), kind
    r = client.get(url, query_string={"format": "docx"}, headers=lists.h_staff_xuyi)
    assert "金湖" not in " ".join(docx_text(r)), kind
    _, jinhu, about = sheet(client.get(url, query_string={"region": JINHU}, headers=lists.h_staff_city))
    assert about["汇编名称"].startswith("金湖县") and jinhu
    assert all("盱眙" not in str(v) for row in jinhu for v in row)
    _, city, about = sheet(client.get(url, headers=lists.h_staff_city))
    assert about["汇编名称"].startswith("淮安市") and len(city) >= len(jinhu)
    _, xuyi_only, _ = sheet(client.get(url, query_string={"region": XUYI}, headers=lists.h_admin))
    assert all("金湖" not in str(v) for row in xuyi_only for v in row)


@pytest.mark.parametrize(
    "query",
    [{"period": "2026-Q5"}, {"period": "二〇二六"}, {"period": "2026-13"},
     {"period": "2026", "from": "2026-01-01"}, {"from": "2026-12-31", "to": "2026-01-01"},
     {"format": "pdf"}, {"region": "999999"}],
)  # fmt: skip
def test_bad_queries_get_a_clear_422(client, lists, query):
    r = client.get(f"{URL}/needs", query_string=query, headers=lists.h_staff_jinhu)
    assert r.status_code == 422 and r.json["errors"], r.json


def test_dates_name_the_period_in_the_title(client, lists):
    query = {"from": "2026-10-01", "to": "2026-12-31"}
    _, rows, about = sheet(client.get(f"{URL}/needs", query_string=query, headers=lists.h_staff_jinhu))
    assert about["汇编名称"] == "金湖县企业技术需求清单（2026年10月1日至2026年12月31日）" and len(rows) == 2
