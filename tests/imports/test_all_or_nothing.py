"""A file imports whole or not at all, and each row's problems are all told in one go."""

from __future__ import annotations

import io
from datetime import date, timedelta

from openpyxl import Workbook
from sqlalchemy import func, select, text

from matchmaker.extensions import db
from matchmaker.models import AuditLog, Match, MatchRun, OutboxEvent, TechnologyNeed
from tests import factories as f
from tests.contracts.test_import import HEADERS as CONTRACT_HEADERS
from tests.contracts.test_import import row as contract_row
from tests.contracts.test_import import upload as upload_contracts
from tests.imports.conftest import need_row, upload, xlsx_bytes
from workers.enqueue import wait_background


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_every_problem_of_a_row_is_reported_at_once(client, world):
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    bad = need_row(
        world.ent_a.uscc,
        产业领域="不存在的领域",
        联系电话="123",
        截止日期=yesterday,
        **{"预算下限（万元）": "80", "需求类型": "随便"},
    )
    report = upload(client, world.h_staff_jinhu, xlsx_bytes([bad]), dry_run="true").json
    columns = {e["column"] for e in report["errors"] if e["row"] == 2}
    assert columns == {"产业领域", "联系电话", "截止日期", "预算上限（万元）", "需求类型"}, report["errors"]


def test_a_wrong_unit_code_is_told_beside_the_rows_other_problems(client, world):
    row = need_row("91320800MA0000000X", 联系电话="123")
    report = upload(client, world.h_staff_jinhu, xlsx_bytes([row]), dry_run="true").json
    assert {e["column"] for e in report["errors"]} == {"企业统一社会信用代码", "联系电话"}


def test_a_dry_run_that_passes_means_the_real_run_imports_every_row(client, world):
    rows = [need_row(world.ent_a.uscc, f"第{i}项：压力传感器温漂补偿技术攻关") for i in range(5)]
    dry = upload(client, world.h_staff_jinhu, xlsx_bytes(rows), dry_run="true").json
    assert (dry["valid"], dry["rejected"]) == (5, 0) and "检查通过" in dry["message"]
    real = upload(client, world.h_staff_jinhu, xlsx_bytes(rows)).json
    assert (real["created"], real["rejected"]) == (5, 0) and _count(TechnologyNeed) == 5


def test_a_row_the_database_refuses_during_the_real_run_rolls_the_whole_file_back(client, world):
    # A real database-side failure on the third row (a trigger, as a constraint added by a DBA would).
    db.session.execute(
        text(
            "CREATE TRIGGER refuse_one BEFORE INSERT ON needs WHEN NEW.title LIKE '%拒收%' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the database'); END"
        )
    )
    db.session.commit()
    rows = [need_row(world.ent_a.uscc, f"第{i}项：压力传感器温漂补偿技术攻关") for i in range(4)]
    rows[2] = need_row(world.ent_a.uscc, "数据库拒收的一项需求")
    assert upload(client, world.h_staff_jinhu, xlsx_bytes(rows), dry_run="true").json["rejected"] == 0
    response = upload(client, world.h_staff_jinhu, xlsx_bytes(rows))
    assert response.status_code == 409 and set(response.json) == {"code", "status", "message", "errors"}
    assert "第 4 行" in response.json["message"] and "整个文件均未导入" in response.json["message"]
    assert [_count(m) for m in (TechnologyNeed, OutboxEvent, MatchRun)] == [0, 0, 0]
    assert db.session.scalar(select(func.count()).where(AuditLog.action == "import")) == 0


def _contract_xlsx(rows: list[dict]) -> bytes:
    book = Workbook()
    book.active.append(CONTRACT_HEADERS)
    for row in rows:
        book.active.append([row.get(h, "") for h in CONTRACT_HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_formula_in_a_contract_export_is_reported_as_a_formula(client, world):
    row = contract_row("2026320831000001", **{"成交金额（万元）": "=J3*2", "项目名称": "=A1"})
    report = upload_contracts(client, world.h_staff_jinhu, _contract_xlsx([row]), dry_run="true").json
    problems = {e["column"]: e["message"] for e in report["errors"]}
    assert set(problems) == {"合同成交额（万元）", "合同名称"}, report["errors"]
    assert all("公式" in message for message in problems.values())
    assert "=J3*2" in problems["合同成交额（万元）"]


def test_every_problem_of_a_contract_row_is_reported_at_once(client, world):
    row = contract_row(
        "2026320831000002", **{"合同类型": "技术入股", "成交金额（万元）": "很多", "登记日期": ""}
    )
    report = upload_contracts(client, world.h_staff_jinhu, _contract_xlsx([row]), dry_run="true").json
    assert {e["column"] for e in report["errors"]} == {"合同类型", "合同成交额（万元）", "登记日期"}


def test_in_the_embedded_default_matching_runs_after_the_answer_in_a_background_thread(client, world):
    f.make_matching_outputs(world)
    report = upload(client, world.h_staff_jinhu, xlsx_bytes([need_row(world.ent_a.uscc)])).json
    assert report["created"] == 1
    wait_background()
    db.session.expire_all()
    run = db.session.scalars(select(MatchRun)).one()
    assert run.finished_at is not None and run.last_error is None
    assert db.session.scalar(select(func.count()).select_from(Match).where(Match.need_id == run.object_id))
