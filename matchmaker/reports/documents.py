"""The compiled catalogue as an Excel workbook or a printable Word document (python-docx)."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt

from matchmaker.reports.compilation import COLUMNS, KIND_TITLE, Catalogue, column_labels
from matchmaker.reports.spreadsheets import Sheet, printable, workbook_bytes

FONT = "宋体"


def catalogue_xlsx(catalogue: Catalogue) -> bytes:
    """One sheet with every listing (序号, 领域 then the public columns), headed by the title."""
    headers: list[str] = []
    rows: list[list[object]] = []
    for field_name, items in catalogue.groups:
        for item in items:
            headers = headers or ["序号", catalogue.group_label, *(label for label, _ in item)]
            rows.append([len(rows) + 1, field_name, *(value for _, value in item)])
    if not headers:
        labels = catalogue.headers or column_labels(COLUMNS[catalogue.kind])
        headers = ["序号", catalogue.group_label, *labels]
    name = catalogue.sheet or KIND_TITLE[catalogue.kind]
    sheet = Sheet(name, headers, rows, widths=(6, 14, 36, 24, 20, 24))
    about = Sheet("说明", ["汇编名称", catalogue.title], [["收录情况", catalogue.subtitle]], widths=(12, 60))
    return workbook_bytes([sheet, about])


def chinese_font(document) -> None:
    """Body text in 宋体 (East Asian font set explicitly, or Word falls back to a Latin font)."""
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)


def _title_page(document, catalogue: Catalogue) -> None:
    for _ in range(6):
        document.add_paragraph()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(catalogue.title)
    run.bold, run.font.size = True, Pt(22)
    subtitle = document.add_paragraph(catalogue.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run().add_break(WD_BREAK.PAGE)


def catalogue_docx(catalogue: Catalogue) -> bytes:
    """Title page, then one chapter per industry field with each listing's public fields."""
    document = Document()
    chinese_font(document)
    _title_page(document, catalogue)
    if not catalogue.groups:
        document.add_paragraph(catalogue.empty)
    number = 0
    for field_name, items in catalogue.groups:
        document.add_heading(f"{field_name}（{len(items)} 项）", level=1)
        for item in items:
            number += 1
            document.add_heading(printable(f"{number}. {item[0][1]}"), level=2)
            for label, value in item[1:]:
                if value in ("", None):
                    continue
                paragraph = document.add_paragraph()
                paragraph.add_run(f"{label}：").bold = True
                paragraph.add_run(printable(str(value)))
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
