"""/api/v1/subsidy-rounds: 奖补 rounds from policy to the exported payment list."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.api.http.files import download
from matchmaker.api.http.objections import ObjectionApi, add_objection_views
from matchmaker.errors import Conflict
from matchmaker.reports import subsidy_list
from matchmaker.schemas.contracts import subsidies as s
from matchmaker.services.contracts import subsidies

blp = Blueprint(
    "subsidy_rounds",
    __name__,
    url_prefix="/api/v1/subsidy-rounds",
    description="产学研合作经费奖补：计算、公示、审定与导出",
)


@blp.route("", methods=["POST"])
@blp.arguments(s.SubsidyRoundCreate)
@blp.response(201, s.SubsidyRound)
def create_round(data):
    """Configure a yearly round (staff in scope)."""
    return subsidies.create_round(actor=signed_in(), data=data)


@blp.route("", methods=["GET"])
@blp.response(200, s.SubsidyRoundList)
def list_rounds():
    """Rounds in my scope, and every round from 公示 on."""
    return {"items": subsidies.list_rounds(actor=signed_in())}


@blp.route("/<int:round_id>", methods=["GET"])
@blp.response(200, s.SubsidyRound)
def get_round(round_id):
    """A round with its items (staff in scope; anyone signed in from 公示 on)."""
    return subsidies.staff_round(round_id, actor=signed_in())


@blp.route("/<int:round_id>/compute", methods=["POST"])
@blp.response(200, s.SubsidyRound)
def compute_round(round_id):
    """Compute every approved filing's subsidy (again, until 公示)."""
    return subsidies.compute_round(round_id, actor=signed_in())


@blp.route("/<int:round_id>/items/<int:item_id>", methods=["PATCH"])
@blp.arguments(s.SubsidyItemAdjust)
@blp.response(200, s.SubsidyItem)
def adjust_item(data, round_id, item_id):
    """Adjust one amount with a reason (audit-logged)."""
    return subsidies.adjust_item(round_id, item_id, actor=signed_in(), **data)


@blp.route("/<int:round_id>/publicity", methods=["POST"])
@blp.arguments(s.SubsidyPublicityStart)
@blp.response(200, s.SubsidyRound)
def start_publicity(data, round_id):
    """Publish the 公示 list (default five working days)."""
    return subsidies.start_publicity(round_id, actor=signed_in(), **data)


OBJECTIONS = ObjectionApi(
    service=subsidies,
    schemas=s,
    prefix="Subsidy",
    docs=(
        "Object to the list during 公示 (anyone signed in).",
        "All objections for staff in scope; my own for anyone else.",
        "Record how an objection was handled (upheld sets the item to 0).",
    ),
)
add_objection_views(blp, "/<int:round_id>", OBJECTIONS)


@blp.route("/<int:round_id>/approve", methods=["POST"])
@blp.response(200, s.SubsidyRound)
def approve_round(round_id):
    """Approve the final list once 公示 is over and every objection is handled."""
    return subsidies.approve_round(round_id, actor=signed_in())


@blp.route("/<int:round_id>/export", methods=["GET"])
@blp.arguments(s.SubsidyExportQuery, location="query")
@blp.response(200, description="奖补资金拨付名单（xlsx 或 docx）")
def export(query, round_id):
    """The approved list for payment, as Excel or Word (staff in scope)."""
    subsidy_round = subsidies.staff_round(round_id, actor=signed_in())
    if subsidy_round.status != "approved":
        raise Conflict("奖补名单审定后才能导出拨付名单")
    subsidies.require_staff(subsidy_round, actor=signed_in())
    maker = subsidy_list.list_xlsx if query["format"] == "xlsx" else subsidy_list.list_docx
    return download(maker(subsidy_round), f"{subsidy_round.name}拨付名单.{query['format']}")
