"""Reading an uploaded spreadsheet safely: size cap, zip-bomb check, no formulas run, row cap.

openpyxl parses through defusedxml when it is installed (it is pinned in requirements.txt), so
entity-expansion tricks in the workbook XML are refused as well.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook

from matchmaker.errors import DomainError, ValidationFailed

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 40
MAX_ZIP_ENTRIES = 100
MAX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_RATIO = 150


class FileTooLarge(DomainError):
    """The upload is over the import size cap."""

    status, code, message = 413, "payload_too_large", "文件过大：导入文件不能超过 2 MB"


def bad_file(message: str) -> ValidationFailed:
    """A 422 about the file as a whole."""
    return ValidationFailed(message, errors={"file": [message]})


def cell_text(value: Any) -> str:
    """A cell as the text a user typed: dates as YYYY-MM-DD, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Formula):
        return value
    return str(value).strip()


def check_zip(data: bytes) -> None:
    """Refuse archives with too many entries or too much (or too compressed) content."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise bad_file("文件已损坏或不是有效的 .xlsx 文件") from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise bad_file("文件内部条目过多，疑似异常文件（压缩炸弹），已拒绝")
    total = sum(info.file_size for info in infos)
    ratio = max((info.file_size / max(info.compress_size, 1) for info in infos), default=0)
    if total > MAX_UNCOMPRESSED or ratio > MAX_RATIO:
        raise bad_file("文件解压后过大，疑似异常文件（压缩炸弹），已拒绝")


def _capped(rows: Any) -> list[list[str]]:
    table: list[list[str]] = []
    for row in rows:
        cells = [cell_text(v) for v in list(row)[:MAX_COLUMNS]]
        if len(table) > MAX_ROWS and any(cells):
            raise bad_file(f"行数超过上限：每次最多导入 {MAX_ROWS} 行")
        table.append(cells)
        if len(table) > MAX_ROWS + 1000:  # trailing blank rows of a sheet with a huge dimension
            break
    return table


class Formula(str):
    """The text of a formula cell (``=SUM(B2:B3)``): never evaluated, reported as a formula."""


def _formula_or_value(cell: Any) -> Any:
    # Formulas are read as their text, not as a cached result: rows.py reports them as formulas
    # instead of importing whatever Excel last computed (or nothing, when it never computed).
    value = getattr(cell, "value", None)
    return Formula(value) if getattr(cell, "data_type", None) == "f" and isinstance(value, str) else value


def _xlsx(data: bytes) -> list[list[str]]:
    if not data.startswith(b"PK\x03\x04"):
        raise bad_file("文件内容不是 .xlsx 格式（旧版 .xls 请另存为 .xlsx）")
    check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            rows = book.worksheets[0].iter_rows(max_col=MAX_COLUMNS)
            return _capped([_formula_or_value(cell) for cell in row] for row in rows)
        finally:
            book.close()
    except ValidationFailed:
        raise
    except Exception as exc:  # openpyxl raises many kinds on malformed files
        raise bad_file("无法读取该 .xlsx 文件，请用模板重新保存后上传") from exc


def _csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes almost anything
        raise bad_file("无法识别 CSV 文件编码，请保存为 UTF-8 或 GBK")
    try:
        return _capped(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise bad_file(f"CSV 格式有误：{exc}") from exc


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The first sheet (or the CSV) as rows of text; the first row holds the headers."""
    if len(data) > MAX_BYTES:
        raise FileTooLarge()
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx(data)
    elif name.endswith(".csv"):
        table = _csv(data)
    else:
        raise bad_file("仅支持 .xlsx 或 .csv 文件")
    if not table or not any(table[0]):
        raise bad_file("文件为空：第 1 行应为列名")
    return table
