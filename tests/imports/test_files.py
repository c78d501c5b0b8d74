"""Templates, and the guards against malicious or broken files."""

from __future__ import annotations

import io
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.importing.reading import MAX_BYTES, FileTooLarge, read_table
from matchmaker.models import TechnologyNeed
from tests.imports.conftest import HEADERS, csv_bytes, need_row, upload, xlsx_bytes


@pytest.mark.parametrize("kind", ["needs", "outputs"])
def test_xlsx_template_has_headers_and_instructions(client, kind):
    response = client.get(f"/api/v1/imports/templates/{kind}.xlsx")
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.data))
    headers = next(book.worksheets[0].iter_rows(values_only=True))
    assert headers[0].endswith("统一社会信用代码") and "产业领域" in headers
    guide = list(book["填写说明"].iter_rows(values_only=True))
    assert guide[0] == ("列名", "必填", "填写要求", "可选值")
    assert any("中试（pilot）" in (row[3] or "") for row in guide)


def test_csv_template_is_utf8_with_bom(client):
    response = client.get("/api/v1/imports/templates/needs.csv")
    assert response.data.startswith("\ufeff企业统一社会信用代码,需求名称".encode())
    assert client.get("/api/v1/imports/templates/needs.exe").status_code == 404


def test_formula_cells_are_never_run_and_formula_text_stays_text(client, world):
    book = Workbook()
    book.active.append(HEADERS)
    row = need_row(world.ent_a.uscc)
    book.active.append([row[h] for h in HEADERS])
    book.active["C2"] = '=WEBSERVICE("http://evil.example/")'  # a real formula in 需求概述
    buffer = io.BytesIO()
    book.save(buffer)
    report = upload(client, world.h_staff_jinhu, buffer.getvalue(), dry_run="true").json
    (error,) = report["errors"]  # never evaluated: reported as the formula it is
    assert error["column"] == "需求概述" and "公式" in error["message"] and "WEBSERVICE" in error["message"]
    text = need_row(world.ent_a.uscc, '=HYPERLINK("http://evil","点我")温漂补偿需求')
    created = upload(client, world.h_staff_jinhu, csv_bytes([text]), name="needs.csv").json
    assert created["created"] == 1
    assert db.session.scalar(select(TechnologyNeed.title)).startswith("=HYPERLINK(")


def test_oversize_is_413(client, world, monkeypatch):
    with pytest.raises(FileTooLarge):
        read_table("needs.csv", b"a" * (MAX_BYTES + 1))
    # a smaller cap over HTTP: werkzeug's test client leaks its spool file for bodies over 500 KB
    monkeypatch.setattr("matchmaker.api.imports.MAX_BYTES", 100_000)
    response = upload(client, world.h_staff_jinhu, b"a" * 100_010, name="needs.csv")
    assert response.status_code == 413
    assert "2 MB" in response.json["message"]


def test_zip_bomb_is_refused_before_parsing(client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    response = upload(client, world.h_staff_jinhu, buffer.getvalue())
    assert response.status_code == 422
    assert "压缩炸弹" in response.json["message"]


def test_many_entries_are_refused(client, world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(150):
            archive.writestr(f"x/{i}.xml", "<a/>")
    response = upload(client, world.h_staff_jinhu, buffer.getvalue())
    assert response.status_code == 422 and "条目过多" in response.json["message"]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00", "needs.exe", "仅支持 .xlsx 或 .csv 文件"),
        (b"\xd0\xcf\x11\xe0 old xls", "needs.xlsx", "文件内容不是 .xlsx 格式（旧版 .xls 请另存为 .xlsx）"),
        (b"PK\x03\x04 broken", "needs.xlsx", "文件已损坏或不是有效的 .xlsx 文件"),
        ("名称,概述\n".encode(), "needs.csv", "缺少必填列"),
    ],
)
def test_wrong_or_broken_files_are_422(client, world, content, name, message):
    response = upload(client, world.h_staff_jinhu, content, name=name)
    assert response.status_code == 422
    assert response.json["message"].startswith(message)


def test_row_cap(client, world, monkeypatch):
    monkeypatch.setattr("matchmaker.importing.reading.MAX_ROWS", 3)
    rows = [need_row(world.ent_a.uscc, f"第{i}项传感器需求") for i in range(5)]
    response = upload(client, world.h_staff_jinhu, xlsx_bytes(rows), dry_run="true")
    assert response.status_code == 422 and "行数超过上限" in response.json["message"]
