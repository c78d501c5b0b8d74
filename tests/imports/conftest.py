"""Helpers to build upload files from the template's headers."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from openpyxl import Workbook

from matchmaker.importing.columns import NEED_COLUMNS

HEADERS = [c.header for c in NEED_COLUMNS]


def need_row(uscc: str, title: str = "压力传感器温漂补偿技术攻关", **overrides: str) -> dict[str, str]:
    """A valid need row keyed by Chinese header."""
    row = {
        "企业统一社会信用代码": uscc,
        "需求名称": title,
        "需求概述": "压力传感器在高低温环境下温漂明显，寻求温度补偿算法与工艺改进方案。",
        "详细说明": "现有温漂 0.05%FS/℃，目标 0.01%FS/℃。",
        "产业领域": "仪器仪表；传感器",
        "关键词": "压力传感器；温度补偿",
        "需求类型": "关键技术攻关",
        "合作方式": "合作开发",
        "预算下限（万元）": "20",
        "预算上限（万元）": "50",
        "截止日期": (date.today() + timedelta(days=60)).isoformat(),
        "期望成熟度": "中试",
        "联系人": "王经理",
        "联系电话": "13812345678",
        "联系邮箱": "wang@example.com",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows: list[dict[str, object]], headers: list[str] = HEADERS) -> bytes:
    """An .xlsx upload with the headers and rows."""
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[dict[str, str]], encoding: str = "utf-8-sig") -> bytes:
    """A .csv upload with the headers and rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return buffer.getvalue().encode(encoding)


def upload(client, headers, content: bytes, name: str = "needs.xlsx", **query: str):
    """POST the file to /imports/needs."""
    return client.post(
        "/api/v1/imports/needs",
        headers=headers,
        query_string=query,
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )
