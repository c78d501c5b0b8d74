"""/api/v1/exports: the public compiled catalogue of published needs or outputs (Excel or Word)."""

from __future__ import annotations

from flask import Response
from flask_smorest import Blueprint

from matchmaker.api.http.files import download, file_doc
from matchmaker.errors import ValidationFailed
from matchmaker.reports.compilation import Catalogue, compile_catalogue
from matchmaker.reports.documents import catalogue_docx, catalogue_xlsx
from matchmaker.reports.metrics import Window
from matchmaker.schemas.exports import CatalogueQuery

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1/exports",
    description="信息汇编导出：已发布的技术需求、科技成果（公开字段，任何人可下载）",
)


@blp.route("/catalogue")
@blp.arguments(CatalogueQuery, location="query")
@blp.response(200, description="xlsx 或 docx 文件")
@blp.doc(**file_doc("xlsx", "docx"))
def catalogue(query):
    """需求信息汇编 / 成果汇编 of published listings for a region and period, grouped by field."""
    if query["start"] and query["end"] and query["start"] > query["end"]:
        raise ValidationFailed(errors={"from": ["开始日期不能晚于结束日期"]})
    compiled = compile_catalogue(query["kind"], Window(query["region"], query["start"], query["end"]))
    return catalogue_file(compiled, query["format"])


def catalogue_file(compiled: Catalogue, fmt: str) -> Response:
    """A compiled catalogue as a Word or Excel download named after its title."""
    name = compiled.title.replace(" ", "")
    if fmt == "docx":
        return download(catalogue_docx(compiled), f"{name}.docx")
    return download(catalogue_xlsx(compiled), f"{name}.xlsx")
