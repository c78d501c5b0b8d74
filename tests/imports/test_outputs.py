"""Outputs import through the same path: labels to codes, TRL and 价格可议 read from the sheet."""

from __future__ import annotations

import io

from openpyxl import Workbook
from sqlalchemy import select

from matchmaker.extensions import db
from matchmaker.importing.columns import OUTPUT_COLUMNS
from matchmaker.models import ResearchOutput
from tests import factories as f
from tests.conftest import JINHU


def test_outputs_import_within_scope(client, world):
    lab = f.make_org("institute", JINHU, "金湖县产业技术研究院")
    book = Workbook()
    book.active.append([c.header for c in OUTPUT_COLUMNS])
    values = {
        "单位统一社会信用代码": lab.uscc, "成果名称": "MEMS 压力传感器温漂数字补偿方法",
        "成果简介": "基于多项式拟合的温度漂移补偿方法，可将温漂降低一个数量级。", "产业领域": "传感器",
        "成熟度": "中试", "技术就绪度（TRL）": 6, "转让价格（万元）": 30, "价格可议": "否",
    }  # fmt: skip
    book.active.append([values.get(c.header, "") for c in OUTPUT_COLUMNS])
    book.active.append(
        [world.uni.uscc, "南京高校的成果不在金湖辖区", "简介内容足够长，超过十个字。", "", "传感器", "中试"]
    )

    def post():
        buffer = io.BytesIO()
        book.save(buffer)
        return client.post(
            "/api/v1/imports/outputs",
            headers=world.h_staff_jinhu,
            data={"file": (io.BytesIO(buffer.getvalue()), "成果.xlsx")},
            content_type="multipart/form-data",
        ).json

    report = post()
    assert (report["created"], report["rejected"]) == (0, 1), report  # one bad row: nothing imported
    assert report["errors"][0]["row"] == 3 and report["errors"][0]["message"].endswith("不在您的辖区内")
    assert db.session.scalars(select(ResearchOutput)).all() == []
    book.active.delete_rows(3)
    assert post()["created"] == 1
    output = db.session.scalars(select(ResearchOutput)).one()
    assert (output.maturity, output.trl, output.negotiable, output.org_id) == ("pilot", 6, False, lab.id)
