"""/api/v1/tech-contracts: the technology contract register (技术合同登记台账)."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas.contracts import register as s
from matchmaker.services.contracts import register

blp = Blueprint(
    "tech_contracts",
    __name__,
    url_prefix="/api/v1/tech-contracts",
    description="技术合同登记台账（吸纳与输出）",
)


@blp.route("", methods=["GET"])
@blp.arguments(s.TechContractQuery, location="query")
@blp.response(200, s.TechContractPage)
def list_contracts(query):
    """Contracts in my scope (staff: buyer or seller in my region; units: their own)."""
    return register.list_contracts(actor=signed_in(), query=query)


@blp.route("", methods=["POST"])
@blp.arguments(s.TechContractCreate)
@blp.response(201, s.TechContract)
def create_contract(data):
    """Enter a contract by hand, or from a match (`match_id`) or a 揭榜挂帅 award (`challenge_award_id`)."""
    return register.create_contract(actor=signed_in(), data=data)


@blp.route("/<int:contract_id>", methods=["GET"])
@blp.response(200, s.TechContract)
def get_contract(contract_id):
    """One contract (either side's unit, staff in scope of either side, admins)."""
    return register.load_contract(contract_id, actor=signed_in())
