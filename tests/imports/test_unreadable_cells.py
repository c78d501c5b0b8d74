"""Cells that cannot become a listing are reported with their row and column, never a 500."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import TechnologyNeed
from tests.imports.conftest import csv_bytes, need_row, upload, xlsx_bytes


def _needs() -> int:
    return db.session.scalar(select(func.count()).select_from(TechnologyNeed)) or 0


def test_a_control_character_cell_is_reported_and_nothing_of_the_file_imports(client, world):
    rows = [need_row(world.ent_a.uscc), need_row(world.ent_a.uscc, "温漂\x00补偿的第二项需求")]
    dry = upload(client, world.h_staff_jinhu, csv_bytes(rows), "needs.csv", dry_run="true").json
    assert dry["valid"] == 1 and dry["errors"] == [
        {"row": 3, "column": "需求名称", "message": "含有不可见的控制字符（如 NUL），请删除后重新导入"}
    ]
    real = upload(client, world.h_staff_jinhu, csv_bytes(rows), "needs.csv")
    assert real.status_code == 200 and (real.json["created"], real.json["rejected"]) == (0, 1)
    assert _needs() == 0
    rejected = client.get(real.json["rejected_file_url"], headers=world.h_staff_jinhu)
    sheet = load_workbook(BytesIO(rejected.data)).active
    assert rejected.status_code == 200 and sheet.cell(2, 1).value == 3
    assert client.get("/api/v1/exports/catalogue?kind=need").status_code == 200


def test_a_formula_cell_is_reported_as_a_formula(client, world):
    row = need_row(world.ent_a.uscc, **{"预算上限（万元）": "=B2*2"})
    report = upload(client, world.h_staff_jinhu, xlsx_bytes([row]), dry_run="true").json
    (error,) = report["errors"]
    assert (
        error["column"] == "预算上限（万元）" and "公式" in error["message"] and "=B2*2" in error["message"]
    )
    assert report["valid"] == 0 and _needs() == 0
