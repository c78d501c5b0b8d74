"""Bulk import: dry run in Chinese with row and column, all rows or none, idempotent, scoped."""

from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook
from sqlalchemy import func, select

from matchmaker.extensions import db
from matchmaker.models import AuditLog, OutboxEvent, TechnologyNeed
from tests.imports.conftest import csv_bytes, need_row, upload, xlsx_bytes


def _needs() -> int:
    return db.session.scalar(select(func.count()).select_from(TechnologyNeed)) or 0


def _rows(world):
    return [
        need_row(world.ent_a.uscc),
        need_row(world.ent_a.uscc, "第二项：高精度流量计标定", 需求类型="标定服务", 产业领域="不存在的领域"),
        need_row(world.ent_b.uscc, "盱眙企业的需求不在金湖辖区"),
        need_row("91320800MA0000000X", "未注册企业的需求"),
        need_row(world.ent_a.uscc, "预算颠倒的需求", **{"预算下限（万元）": "80"}),
        need_row(world.ent_a.uscc, "", 需求概述="太短"),
    ]


def test_dry_run_reports_every_problem_in_chinese_and_writes_nothing(client, world):
    response = upload(client, world.h_staff_jinhu, xlsx_bytes(_rows(world)), dry_run="true")
    assert response.status_code == 200, response.json
    report = response.json
    assert (report["total_rows"], report["valid"], report["rejected"], report["created"]) == (6, 1, 5, 0)
    problems = {(e["row"], e["column"]): e["message"] for e in report["errors"]}
    assert "不是可选值" in problems[(3, "需求类型")]
    assert problems[(3, "产业领域")] == "未知的产业领域：“不存在的领域”"
    assert problems[(4, "企业统一社会信用代码")].endswith("不在您的辖区内")
    assert "未找到该统一社会信用代码" in problems[(5, "企业统一社会信用代码")]
    assert "预算上限不能低于下限" in problems[(6, "预算上限（万元）")]
    assert problems[(7, "需求名称")].startswith("必填字段")
    assert problems[(7, "需求概述")].startswith("长度")
    assert report["rejected_file_id"] is None
    assert _needs() == 0 and db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0


def test_a_file_with_any_bad_row_imports_nothing_and_offers_the_rows_to_fix(client, world):
    dry = upload(client, world.h_staff_jinhu, xlsx_bytes(_rows(world)), dry_run="true").json
    response = upload(client, world.h_staff_jinhu, xlsx_bytes(_rows(world)))
    report = response.json
    assert response.status_code == 200
    assert (report["created"], report["valid"], report["rejected"]) == (0, 1, 5)
    assert report["errors"] == dry["errors"] and "整个文件未导入" in report["message"]
    assert "整个文件将不会导入" in dry["message"]
    assert _needs() == 0 and db.session.scalar(select(func.count()).select_from(OutboxEvent)) == 0
    download = client.get(report["rejected_file_url"], headers=world.h_staff_jinhu)
    assert download.status_code == 200
    rows = list(load_workbook(BytesIO(download.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("行号", "错误说明", "企业统一社会信用代码")
    assert [r[0] for r in rows[1:]] == [3, 4, 5, 6, 7]
    fixed = upload(client, world.h_staff_jinhu, xlsx_bytes(_rows(world)[:1])).json
    assert (fixed["created"], fixed["rejected"]) == (1, 0) and _needs() == 1


def test_a_clean_file_is_imported_published_indexed_and_audited(client, world):
    report = upload(client, world.h_staff_jinhu, xlsx_bytes(_rows(world)[:1])).json
    assert (report["created"], report["rejected"], report["rejected_file_url"]) == (1, 0, None)
    need = db.session.scalars(select(TechnologyNeed)).one()
    assert (need.org_id, need.source, need.status, need.region) == (
        world.ent_a.id,
        "import",
        "published",
        "320831",
    )
    assert need.fields == ["instrument", "instrument.sensor"] and need.modes == ["joint_development"]
    assert len(need.external_ref) == 64
    assert db.session.scalar(
        select(func.count()).select_from(OutboxEvent).where(OutboxEvent.object_id == need.id)
    )
    assert db.session.scalar(select(AuditLog.action).where(AuditLog.object_id == need.id)) == "import"
    found = client.get("/api/v1/search", query_string={"q": "温漂补偿"}).json
    assert [hit["id"] for hit in found["hits"]] == [need.id]


def test_rejected_file_is_private(client, world):
    report = upload(client, world.h_staff_jinhu, xlsx_bytes(_rows(world))).json
    url = report["rejected_file_url"]
    assert client.get(url, headers=world.h_staff_city).status_code == 200  # city covers the county
    assert client.get(url, headers=world.h_staff_xuyi).status_code == 404
    assert client.get(url, headers=world.h_alice).status_code == 404
    assert client.get(url).status_code == 401
    assert (
        client.get("/api/v1/imports/rejections/..%2F..%2Fsecret.xlsx", headers=world.h_admin).status_code
        == 404
    )


def test_uploading_the_same_file_twice_creates_no_duplicates(client, world):
    rows = [need_row(world.ent_a.uscc), need_row(world.ent_a.uscc, "第二项：流量计在线标定技术")]
    first = upload(client, world.h_staff_jinhu, xlsx_bytes(rows)).json
    again = upload(client, world.h_staff_jinhu, csv_bytes(rows), name="needs.csv").json
    assert (first["created"], first["duplicates"]) == (2, 0)
    assert (again["created"], again["duplicates"], again["rejected"]) == (0, 2, 0)
    assert _needs() == 2


def test_duplicate_rows_inside_one_file_are_reported(client, world):
    rows = [need_row(world.ent_a.uscc), need_row(world.ent_a.uscc)]
    report = upload(client, world.h_staff_jinhu, xlsx_bytes(rows), dry_run="true").json
    assert report["errors"] == [{"row": 3, "column": "需求名称", "message": "与第 2 行重复"}]


def test_publish_false_sends_rows_to_review_and_gbk_csv_is_read(client, world):
    content = csv_bytes([need_row(world.ent_a.uscc)], encoding="gb18030")
    report = upload(client, world.h_staff_city, content, name="需求.csv", publish="false").json
    assert report["created"] == 1
    assert db.session.scalar(select(TechnologyNeed.status)) == "submitted"


def test_only_staff_may_import(client, world):
    content = xlsx_bytes([need_row(world.ent_a.uscc)])
    assert upload(client, world.h_alice, content).status_code == 403
    assert upload(client, {}, content).status_code == 401
    missing = client.post(
        "/api/v1/imports/needs", headers=world.h_staff_jinhu, data={}, content_type="multipart/form-data"
    )
    assert missing.status_code == 422
