"""The approved 奖补 list for payment (奖补资金拨付名单): one table, as Excel or Word."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from matchmaker.reports.documents import chinese_font
from matchmaker.reports.spreadsheets import Sheet, workbook_bytes
from matchmaker.taxonomy import regions

HEADERS = [
    "序号",
    "企业名称",
    "县（市、区）",
    "合作项目",
    "合作高校院所",
    "备案编号",
    "期内支付（万元）",
    "奖补比例",
    "计算金额（万元）",
    "核定金额（万元）",
    "说明",
]


def rows(subsidy_round: Any) -> list[list[Any]]:
    """One row per project with a subsidy, in filing order."""
    table = []
    for n, item in enumerate((i for i in subsidy_round.items if float(i.amount) > 0), start=1):
        filing = item.filing
        table.append(
            [
                n,
                filing.org.name,
                regions.name(item.region),
                filing.title,
                filing.partner_name,
                filing.filing_number,
                float(item.paid_amount),
                f"{float(item.rate) * 100:g}%",
                float(item.computed_amount),
                float(item.amount),
                item.adjust_reason or "；".join(item.breakdown or []),
            ]
        )
    return table


def _title(subsidy_round: Any) -> str:
    return f"{subsidy_round.name}奖补资金拨付名单"


def list_xlsx(subsidy_round: Any) -> bytes:
    """The list as an Excel sheet, with the total on the last row."""
    body = rows(subsidy_round)
    body.append(["合计", "", "", "", "", "", "", "", "", round(sum(r[9] for r in body), 2), ""])
    return workbook_bytes(
        [Sheet("拨付名单", HEADERS, body, widths=(6, 28, 12, 30, 24, 18, 14, 10, 14, 14, 40))]
    )


def list_docx(subsidy_round: Any) -> bytes:
    """The list as a Word table under a title, for the signed paper copy."""
    document = Document()
    chinese_font(document)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(_title(subsidy_round)).bold = True
    body = rows(subsidy_round)
    columns = [0, 1, 2, 3, 5, 9]
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, index in zip(table.rows[0].cells, columns, strict=True):
        cell.text = HEADERS[index]
    for row in body:
        cells = table.add_row().cells
        for cell, index in zip(cells, columns, strict=True):
            cell.text = str(row[index] if row[index] is not None else "")
    total = round(sum(r[9] for r in body), 2)
    document.add_paragraph(f"共 {len(body)} 个项目，核定奖补资金合计 {total:g} 万元。")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
