"""/api/v1/imports: templates and bulk import of needs and outputs (staff, within their region)."""

from __future__ import annotations

from flask import url_for
from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import download, file_doc
from matchmaker.errors import NotFound
from matchmaker.importing import rejected
from matchmaker.importing.columns import template_csv, template_xlsx
from matchmaker.importing.contracts import import_contracts
from matchmaker.importing.reading import MAX_BYTES, FileTooLarge
from matchmaker.importing.run import import_file
from matchmaker.schemas.imports import ImportFile, ImportQuery, ImportReport

blp = Blueprint(
    "imports",
    __name__,
    url_prefix="/api/v1/imports",
    description="批量导入技术需求、科技成果与技术合同登记（科技局工作人员）",
)
KINDS = {"needs": "need", "outputs": "output", "tech-contracts": "contract"}
TEMPLATE_NAMES = {
    "need": "技术需求导入模板",
    "output": "科技成果导入模板",
    "contract": "技术合同登记导入模板",
}


@blp.route("/templates/<string:name>")
@blp.response(200, description="导入模板（xlsx 含填写说明工作表；csv 为 UTF-8 带 BOM 的列名行）")
@blp.doc(**file_doc("xlsx", "csv"))
def template(name):
    """needs, outputs or tech-contracts (the registration export's columns), as .xlsx or .csv."""
    stem, _, extension = name.partition(".")
    if stem not in KINDS or extension not in ("xlsx", "csv"):
        raise NotFound("未找到该模板")
    kind = KINDS[stem]
    content = template_xlsx(kind) if extension == "xlsx" else template_csv(kind)
    return download(content, f"{TEMPLATE_NAMES[kind]}.{extension}")


@blp.route("/<string:plural>", methods=["POST"])
@blp.arguments(ImportQuery, location="query")
@blp.arguments(ImportFile, location="files")
@blp.response(200, ImportReport)
@blp.alt_response(409, "CONFLICT")
def upload(query, files, plural):
    """Import an .xlsx or .csv (≤ 2 MB, ≤ 2000 rows); dry_run=true only reports each row's problems.

    All rows or none: a file with any problem row creates nothing (the report lists every problem
    of every row); 409 when the database refuses a row during the real run (nothing is kept).
    Published rows are matched by background jobs after the answer.
    tech-contracts takes the provincial registration system's export (技术合同登记), keyed by 合同登记号.
    """
    if plural not in KINDS:
        raise NotFound()
    caller = signed_in()
    upload_file = files["file"]
    try:
        content = upload_file.stream.read(MAX_BYTES + 1)
    finally:
        upload_file.close()  # large uploads are spooled to a temporary file
    if len(content) > MAX_BYTES:
        raise FileTooLarge()
    name, dry_run = upload_file.filename or "", query["dry_run"]
    if plural == "tech-contracts":
        report = import_contracts(actor=caller, filename=name, content=content, dry_run=dry_run)
    else:
        report = import_file(
            KINDS[plural],
            actor=caller,
            filename=name,
            content=content,
            dry_run=dry_run,
            publish=query["publish"],
        )
    file_id = report["rejected_file_id"]
    report["rejected_file_url"] = url_for("imports.rejected_rows", file_id=file_id) if file_id else None
    return report


@blp.route("/rejections/<string:file_id>.xlsx")
@blp.response(200, description="未导入的行（含行号与错误说明）")
@blp.doc(**file_doc("xlsx"))
def rejected_rows(file_id):
    """The rows a real import rejected, for the uploader and staff in scope."""
    return download(rejected.load(file_id, actor=signed_in()), "未导入的行.xlsx")
