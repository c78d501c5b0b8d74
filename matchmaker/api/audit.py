"""/api/v1/audit: the audit log (操作日志) for staff in scope and admins; my contact reveals for everyone."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import download
from matchmaker.queries.audit import AuditFilter
from matchmaker.reports.spreadsheets import Sheet, workbook_bytes
from matchmaker.schemas import audit as s
from matchmaker.schemas.common import PageQuery
from matchmaker.services import audit

blp = Blueprint(
    "audit",
    __name__,
    url_prefix="/api/v1/audit",
    description="操作日志：科技局工作人员查看辖区内对象的日志，管理员查看全部；每位用户可查看谁查看了本单位的联系方式",
)
EXPORT_MAX = 10_000
HEADERS = ["时间", "操作人", "所在单位", "操作", "对象类型", "对象编号", "请求编号", "IP", "详情"]


def _sheet(items: list[dict[str, Any]]) -> Sheet:
    rows = [
        [
            i["at"].isoformat(timespec="seconds"),
            i["actor_name"],
            i["actor_org"],
            i["action_label"],
            i["object_type"],
            i["object_id"],
            i["request_id"] or "",
            i["ip"] or "",
            str(i["detail"]) if i["detail"] else "",
        ]
        for i in items
    ]
    return Sheet("操作日志", HEADERS, rows, widths=(22, 12, 24, 14, 18, 10, 34, 16, 40))


@blp.route("", methods=["GET"])
@blp.arguments(s.AuditQuery, location="query")
@blp.response(200, s.AuditPage)
def read(query):
    """The log, newest first, filtered; ``format=xlsx`` exports up to 10,000 rows of the filter."""
    fmt = query.pop("format")
    filters = AuditFilter(**query)
    if fmt == "xlsx":
        items, _ = audit.read_log(actor=signed_in(), filters=filters, limit=EXPORT_MAX)
        return download(workbook_bytes([_sheet(items)]), "操作日志.xlsx")
    items, total = audit.read_log(actor=signed_in(), filters=filters)
    return {"items": items, "total": total, "page": filters.page, "per_page": filters.per_page}


@blp.route("/contact-reveals", methods=["GET"])
@blp.arguments(PageQuery, location="query")
@blp.response(200, s.ContactRevealPage)
def contact_reveals(query):
    """Who saw the contact details of my unit's needs and outputs, and when."""
    items, total = audit.contact_reveals(actor=signed_in(), page=query["page"], per_page=query["per_page"])
    return {"items": items, "total": total, "page": query["page"], "per_page": query["per_page"]}
