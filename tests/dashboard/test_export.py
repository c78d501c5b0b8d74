"""Every dashboard table downloads as an Excel workbook with the same scoped figures."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook

from matchmaker.reports.spreadsheets import Sheet, safe_cell, workbook_bytes
from tests.conftest import JINHU
from tests.dashboard.conftest import EXPECTED


def _sheet(response):
    assert response.status_code == 200, response.json
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    return load_workbook(BytesIO(response.data), read_only=True).worksheets[0]


def test_summary_xlsx_holds_the_county_figures(client, figures):
    response = client.get("/api/v1/dashboard/summary?format=xlsx", headers=figures.world.h_staff_jinhu)
    rows = {r[0]: r[1] for r in _sheet(response).iter_rows(values_only=True)}
    assert rows["统计范围"] == "江苏省淮安市金湖县"
    assert rows["吸纳技术合同成交额（万元）"] == EXPECTED[JINHU]["contract_amount"]
    assert rows["待审核信息（项）"] == EXPECTED[JINHU]["pending"]


@pytest.mark.parametrize(
    ("path", "header"),
    [
        ("timeseries?metric=matches&format=xlsx", ("月份", "推荐匹配（对）")),
        ("breakdown?by=county&format=xlsx", ("县（市、区）", "征集技术需求（项）")),
        ("breakdown?by=field&format=xlsx", ("产业领域", "征集技术需求（项）")),
        ("funnel?format=xlsx", ("环节", "数量")),
    ],
)
def test_each_table_exports(client, figures, path, header):
    sheet = _sheet(client.get(f"/api/v1/dashboard/{path}", headers=figures.world.h_staff_jinhu))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == header and len(rows) > 1


def test_export_is_scoped_too(client, figures):
    response = client.get(
        "/api/v1/dashboard/summary",
        headers=figures.world.h_staff_jinhu,
        query_string={"region": "320830", "format": "xlsx"},
    )
    assert response.status_code == 403


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x"])
def test_formula_like_text_is_escaped(text):
    assert safe_cell(text) == "'" + text
    book = load_workbook(BytesIO(workbook_bytes([Sheet("t", ["h"], [[text], [-5], ["安全文本"]])])))
    cells = [c.value for c in book.active["A"]]
    assert cells == ["h", "'" + text, -5, "安全文本"]
    assert all(c.data_type != "f" for c in book.active["A"])
