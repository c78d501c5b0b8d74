"""Importing the provincial registration export: headers as exported, dry run, row errors, re-upload."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook, load_workbook

from tests.conftest import XUYI

# The headers as the provincial system exports them (some differ from the template's spelling).
HEADERS = [
    "合同登记号", "项目名称", "合同类型", "技术领域", "买方名称", "买方信用代码", "买方所在地区",
    "卖方名称", "卖方所在地区", "成交金额（万元）", "技术交易额（万元）", "签订日期", "登记日期", "登记机构",
]  # fmt: skip


def row(number, **kw):
    """A valid export row: a 金湖 buyer and a 南京 seller (吸纳 for 金湖)."""
    base = {
        "合同登记号": number,
        "项目名称": "流量计信号处理算法开发",
        "合同类型": "技术开发（委托）",
        "技术领域": "仪器仪表；先进制造与自动化",
        "买方名称": "金湖仪表科技有限公司",
        "买方所在地区": "江苏省淮安市金湖县",
        "卖方名称": "东南大学",
        "卖方所在地区": "320102",
        "成交金额（万元）": "85.5",
        "技术交易额（万元）": "80",
        "签订日期": "2026/03/02",
        "登记日期": "2026-03-10",
        "登记机构": "淮安市技术市场管理办公室",
    }
    return {**base, **kw}


def xlsx(rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for r in rows:
        sheet.append([r.get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(client, headers, content, name="登记导出.xlsx", **query):
    return client.post(
        "/api/v1/imports/tech-contracts", headers=headers, query_string=query,
        data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data",
    )  # fmt: skip


def test_dry_run_reports_and_writes_nothing_then_the_import_counts_on_the_dashboard(client, world):
    rows = [row("2026320831000001"), row("2026320831000002", **{"买方信用代码": world.ent_a.uscc})]
    dry = upload(client, world.h_staff_jinhu, xlsx(rows), dry_run="true")
    assert dry.status_code == 200, dry.json
    assert (dry.json["valid"], dry.json["created"], dry.json["rejected"]) == (2, 0, 0)
    assert client.get("/api/v1/tech-contracts", headers=world.h_staff_jinhu).json["total"] == 0

    done = upload(client, world.h_staff_jinhu, xlsx(rows))
    assert (done.json["created"], done.json["duplicates"]) == (2, 0)
    items = client.get("/api/v1/tech-contracts", headers=world.h_staff_jinhu).json["items"]
    linked = {c["number"]: c["buyer_org_id"] for c in items}
    assert linked == {"2026320831000001": None, "2026320831000002": world.ent_a.id}
    assert {c["source"] for c in items} == {"import"} and items[0]["contract_type"] == "development"
    assert items[0]["fields"] == ["instrument"]  # the province's own field names are skipped
    summary = client.get(
        "/api/v1/dashboard/summary?from=2026-03-01&to=2026-03-31", headers=world.h_staff_jinhu
    )
    assert summary.json["contracts"] == 2 and summary.json["contract_amount"] == 171


def test_re_uploading_the_same_export_creates_nothing_new(client, world):
    content = xlsx([row("2026320831000001"), row("2026320831000002")])
    assert upload(client, world.h_staff_jinhu, content).json["created"] == 2
    again = upload(client, world.h_staff_city, content)
    assert (again.json["created"], again.json["duplicates"], again.json["rejected"]) == (0, 2, 0)
    assert client.get("/api/v1/tech-contracts", headers=world.h_staff_city).json["total"] == 2


def test_bad_rows_are_reported_by_row_and_column_and_kept_as_a_file(client, world):
    rows = [
        row("2026320831000001"),
        row("2026320831000002", **{"合同类型": "技术入股"}),
        row("2026320831000003", **{"成交金额（万元）": "很多"}),
        row("2026320831000004", **{"买方所在地区": "某某县"}),
        row("2026320831000001"),
        row("2026320830000005", **{"买方所在地区": XUYI}),  # neither side in 金湖
        row("2026320831000006", **{"技术交易额（万元）": "90"}),
    ]
    report = upload(client, world.h_staff_jinhu, xlsx(rows)).json
    assert (report["created"], report["rejected"]) == (0, 6)  # any bad row: nothing imported
    assert client.get("/api/v1/tech-contracts", headers=world.h_staff_jinhu).json["total"] == 0
    problems = {(e["row"], e["column"]) for e in report["errors"]}
    assert problems == {
        (3, "合同类型"), (4, "合同成交额（万元）"), (5, "买方所在地区"), (6, "合同登记号"),
        (7, "买方所在地区"), (8, "技术交易额（万元）"),
    }  # fmt: skip
    file = client.get(report["rejected_file_url"], headers=world.h_staff_jinhu)
    sheet = load_workbook(io.BytesIO(file.data)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [3, 4, 5, 6, 7, 8]
    assert client.get(report["rejected_file_url"], headers=world.h_staff_xuyi).status_code == 404


def test_malformed_files_are_refused_whole_with_a_clear_message(client, world):
    missing = Workbook()
    missing.active.append(["合同登记号", "项目名称"])
    buffer = io.BytesIO()
    missing.save(buffer)
    r = upload(client, world.h_staff_jinhu, buffer.getvalue())
    assert r.status_code == 422 and "缺少必填列" in r.json["message"]
    r = upload(client, world.h_staff_jinhu, b"not a workbook", name="export.xlsx")
    assert r.status_code == 422 and r.json["code"]
    r = upload(client, world.h_staff_jinhu, b"a,b", name="export.xls")
    assert r.status_code == 422


def test_a_gbk_csv_export_imports(client, world):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerow([row("2026320831000009").get(h, "") for h in HEADERS])
    r = upload(client, world.h_staff_jinhu, buffer.getvalue().encode("gb18030"), name="export.csv")
    assert r.status_code == 200 and r.json["created"] == 1, r.json


def test_only_staff_import(client, world):
    content = xlsx([row("2026320831000001")])
    for headers in (world.h_alice, world.h_rita):
        assert upload(client, headers, content).status_code == 403
    assert upload(client, {}, content).status_code == 401
    assert upload(client, world.h_admin, content).json["created"] == 1
    template = client.get("/api/v1/imports/templates/tech-contracts.xlsx")
    headers = [c.value for c in load_workbook(io.BytesIO(template.data)).worksheets[0][1]]
    assert headers[:3] == ["合同登记号", "合同名称", "合同类型"]
