"""/api/v1/transfer-lists: the five 技术转移清单 (staff, their region) and 共性关键技术 marks on needs."""

from __future__ import annotations

from collections.abc import Callable

from flask_smorest import Blueprint

from matchmaker.api.exports import catalogue_file
from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import file_doc
from matchmaker.reports import transfer_lists as lists
from matchmaker.reports.compilation import Catalogue
from matchmaker.reports.cooperation_list import cooperation_list
from matchmaker.reports.dashboard import resolve_scope
from matchmaker.reports.metrics import Window
from matchmaker.schemas.common import MessageSchema
from matchmaker.schemas.transfer_lists import CommonTechMark, CommonTechMarkIn, TransferListQuery
from matchmaker.services import transfer_lists

blp = Blueprint(
    "transfer-lists",
    __name__,
    url_prefix="/api/v1/transfer-lists",
    description="技术转移清单（科技局工作人员，本辖区）：企业技术需求、人才需求、产学研合作、高校院所科技成果、"
    "产业（行业）共性关键技术需求五张清单，xlsx 或 docx；标记共性关键技术需求",
)


COMPILERS: dict[str, Callable[[Window, lists.ListPeriod], Catalogue]] = {
    "needs": lists.need_list,
    "talent-needs": lists.talent_list,
    "cooperation": cooperation_list,
    "outputs": lists.output_list,
    "common-tech": lists.common_tech_list,
}


@blp.route(f"/<any({', '.join(repr(k) for k in COMPILERS)}):kind>")
@blp.arguments(TransferListQuery, location="query")
@blp.response(200, description="xlsx 或 docx 文件")
@blp.doc(**file_doc("xlsx", "docx"))
def export(query, kind):
    """One list (needs, talent-needs, cooperation, outputs, common-tech) for the region and period.

    Staff get their own region, or a county of their scope; the file is named after its title."""
    region = resolve_scope(signed_in(), query["region"], denied="只有科技局工作人员可以导出技术转移清单")
    span = query["span"]
    return catalogue_file(COMPILERS[kind](Window(region, span.start, span.end), span), query["format"])


@blp.route("/common-tech/needs/<int:need_id>", methods=["PUT"])
@blp.arguments(CommonTechMarkIn)
@blp.response(200, CommonTechMark)
def mark(data, need_id):
    """Staff in scope mark a published need as 共性关键技术 of an industry chain (or change its chain)."""
    return transfer_lists.mark_need(need_id, actor=signed_in(), chain=data["chain"], note=data["note"])


@blp.route("/common-tech/needs/<int:need_id>", methods=["DELETE"])
@blp.response(200, MessageSchema)
def unmark(need_id):
    """Staff in scope take the 共性关键技术 mark off a need."""
    transfer_lists.unmark_need(need_id, actor=signed_in())
    return {"message": "已取消共性关键技术需求标记"}
