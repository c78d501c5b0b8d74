"""/api/v1/cooperation-filings: 产学研合作项目备案 with attachments and the staff checklist."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response
from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas.contracts import filings as s
from matchmaker.services.contracts import filings
from matchmaker.services.contracts.attachments import MAX_BYTES

blp = Blueprint(
    "cooperation_filings",
    __name__,
    url_prefix="/api/v1/cooperation-filings",
    description="产学研合作项目备案",
)


@blp.route("", methods=["POST"])
@blp.arguments(s.FilingCreate)
@blp.response(201, s.Filing)
def create_filing(data):
    """An enterprise drafts a filing (optionally from a connected match or a 揭榜挂帅 award)."""
    return filings.create_filing(actor=signed_in(), data=data)


@blp.route("", methods=["GET"])
@blp.arguments(s.FilingQuery, location="query")
@blp.response(200, s.FilingList)
def list_filings(query):
    """My unit's filings; staff: my region's."""
    return {"items": filings.list_filings(actor=signed_in(), **query)}


@blp.route("/<int:filing_id>", methods=["GET"])
@blp.response(200, s.Filing)
def get_filing(filing_id):
    """One filing (the enterprise, staff in scope, admins)."""
    return filings.load_filing(filing_id, actor=signed_in())


@blp.route("/<int:filing_id>", methods=["PATCH"])
@blp.arguments(s.FilingUpdate)
@blp.response(200, s.Filing)
def update_filing(data, filing_id):
    """Edit a draft or returned filing (the enterprise)."""
    return filings.update_filing(filing_id, actor=signed_in(), data=data)


@blp.route("/<int:filing_id>/attachments", methods=["POST"])
@blp.arguments(s.AttachmentForm, location="query")
@blp.arguments(s.AttachmentFile, location="files")
@blp.response(201, s.Attachment)
def add_attachment(query, files, filing_id):
    """Attach a contract scan, invoice or payment voucher (PDF, PNG or JPEG, ≤ 4 MB)."""
    upload = files["file"]
    try:
        content = upload.stream.read(MAX_BYTES + 1)
    finally:
        upload.close()
    return filings.add_attachment(
        filing_id, actor=signed_in(), kind=query["kind"], filename=upload.filename or "", content=content
    )


@blp.route("/<int:filing_id>/attachments/<int:attachment_id>", methods=["GET"])
@blp.response(200, description="附件文件（仅备案企业与辖区工作人员）")
def read_attachment(filing_id, attachment_id):
    """Download an attachment."""
    row, content = filings.read_attachment(filing_id, attachment_id, actor=signed_in())
    response = Response(content, mimetype=row.content_type)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(row.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blp.route("/<int:filing_id>/submit", methods=["POST"])
@blp.response(200, s.Filing)
def submit_filing(filing_id):
    """Submit for review (the contract scan must be attached)."""
    return filings.submit_filing(filing_id, actor=signed_in())


@blp.route("/<int:filing_id>/check", methods=["POST"])
@blp.arguments(s.FilingCheck)
@blp.response(200, s.Filing)
def check_filing(data, filing_id):
    """Staff in scope: the checklist, then approve (备案编号) or return with reasons."""
    return filings.check_filing(filing_id, actor=signed_in(), **data)
