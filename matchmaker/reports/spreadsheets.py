"""Writing Excel workbooks safely: every text cell that a spreadsheet would run as a formula is escaped."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# Excel, LibreOffice and WPS treat text starting with these as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def printable(text: str) -> str:
    """Text without the control characters XML (xlsx, docx) cannot hold; older rows may have them."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def safe_cell(value: Any) -> Any:
    """The value to write into a cell: text that could run as a formula gets a leading apostrophe."""
    if isinstance(value, str):
        value = printable(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    if isinstance(value, list | tuple):
        return safe_cell("、".join(str(v) for v in value))
    return value


@dataclass
class Sheet:
    """One worksheet: a title, a header row and data rows."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)
    widths: Sequence[int] = ()


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """An .xlsx file holding the sheets, headers in bold, every cell escaped."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        ws.append([safe_cell(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe_cell(v) for v in row])
        for index, width in enumerate(sheet.widths):
            ws.column_dimensions[ws.cell(row=1, column=index + 1).column_letter].width = width
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
