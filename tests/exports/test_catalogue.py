"""The compiled catalogue: published listings only, public fields only, Excel and Word both readable."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from docx import Document
from openpyxl import load_workbook

from matchmaker.models.common import utcnow
from tests import factories as f
from tests.conftest import JINHU

URL = "/api/v1/exports/catalogue"


@pytest.fixture
def listings(world):
    """Published, draft and other-county needs, plus a formula-looking title."""
    f.make_need(world.ent_a, title="压力传感器温漂补偿技术攻关")
    f.make_need(world.ent_a, title='=HYPERLINK("http://evil","点我")', fields=["instrument.sensor"])
    f.make_need(world.ent_a, title="草稿中的机密需求", status="draft")
    f.make_need(world.ent_a, title="去年发布的需求", published_at=utcnow() - timedelta(days=800))
    f.make_need(world.ent_b, title="盱眙凹土提纯工艺", fields=["materials"])
    f.make_output(world.uni, title="MEMS 压力传感器温度漂移数字补偿方法")
    return world


def _year() -> int:
    return utcnow().year


def test_xlsx_holds_published_public_fields_of_the_region(client, listings):
    query = {"kind": "need", "region": JINHU, "from": f"{_year()}-01-01", "to": f"{_year()}-12-31"}
    response = client.get(URL, query_string=query)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    book = load_workbook(BytesIO(response.data))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    headers, body = rows[0], rows[1:]
    assert headers[:3] == ("序号", "领域分类", "需求名称") and "需求概述" in headers
    assert not {"联系人", "联系电话", "联系邮箱", "详细说明"} & set(headers)
    titles = [row[2] for row in body]
    assert "压力传感器温漂补偿技术攻关" in titles
    assert '\'=HYPERLINK("http://evil","点我")' in titles  # escaped, stays text
    assert not {"草稿中的机密需求", "去年发布的需求", "盱眙凹土提纯工艺"} & set(titles)
    flat = " ".join(str(v) for row in body for v in row)
    assert "13812345678" not in flat and "wang@example.com" not in flat and "可提供样品" not in flat
    assert all(cell.data_type != "f" for row in book.worksheets[0].iter_rows() for cell in row)
    about = dict(book["说明"].iter_rows(values_only=True))
    assert about["汇编名称"] == f"淮安市金湖县 {_year()}年 技术需求信息汇编"


def test_docx_has_title_page_and_field_chapters(client, listings):
    response = client.get(URL, query_string={"kind": "need", "region": "320800", "format": "docx"})
    assert response.status_code == 200 and response.mimetype.endswith("wordprocessingml.document")
    document = Document(BytesIO(response.data))
    texts = [p.text for p in document.paragraphs]
    assert f"淮安市 {_year()}年 技术需求信息汇编" in texts
    chapters = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert chapters == ["仪器仪表（3 项）", "新材料（1 项）"]
    body = "\n".join(texts)
    assert "盱眙凹土提纯工艺" in body and "草稿中的机密需求" not in body
    assert "13812345678" not in body and "王经理" not in body


def test_outputs_catalogue_and_anonymous_access(client, listings):
    response = client.get(URL, query_string={"kind": "output", "format": "docx"})
    assert response.status_code == 200
    body = "\n".join(p.text for p in Document(BytesIO(response.data)).paragraphs)
    assert "全平台" in body and "科技成果汇编" in body
    assert "MEMS 压力传感器温度漂移数字补偿方法" in body and "成熟度：中试" in body
    assert "13900001111" not in body and "李老师" not in body


def test_empty_catalogue_and_bad_queries(client, world):
    empty = client.get(URL, query_string={"kind": "output", "region": JINHU})
    assert empty.status_code == 200
    rows = list(load_workbook(BytesIO(empty.data)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][2] == "成果名称" and len(rows) == 1
    assert client.get(URL, query_string={"kind": "x"}).status_code == 422
    assert client.get(URL, query_string={"kind": "need", "format": "pdf"}).status_code == 422
    bad_region = client.get(URL, query_string={"kind": "need", "region": "999999"})
    assert bad_region.status_code == 422
