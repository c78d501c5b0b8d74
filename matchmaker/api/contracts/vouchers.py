"""/api/v1/voucher-batches, /voucher-providers, /vouchers: 创新券 from batch to redemption."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas.contracts import vouchers as s
from matchmaker.services.contracts import vouchers

blp = Blueprint(
    "vouchers", __name__, url_prefix="/api/v1", description="创新券：批次、服务机构、申领、发放与兑现"
)


@blp.route("/voucher-batches", methods=["POST"])
@blp.arguments(s.BatchCreate)
@blp.response(201, s.Batch)
def create_batch(data):
    """Open a yearly batch (staff whose scope holds its region)."""
    return vouchers.create_batch(actor=signed_in(), data=data)


@blp.route("/voucher-batches", methods=["GET"])
@blp.response(200, s.BatchList)
def list_batches():
    """Every batch with its remaining budget (public)."""
    return {"items": vouchers.list_batches()}


@blp.route("/voucher-batches/<int:batch_id>", methods=["GET"])
@blp.response(200, s.Batch)
def get_batch(batch_id):
    """One batch (public)."""
    return vouchers.load_batch(batch_id)


@blp.route("/voucher-batches/<int:batch_id>/applications", methods=["POST"])
@blp.arguments(s.VoucherApply)
@blp.response(201, s.Voucher)
def apply(data, batch_id):
    """An eligible enterprise applies (once per batch)."""
    return vouchers.apply(batch_id, actor=signed_in(), **data)


@blp.route("/voucher-providers", methods=["POST"])
@blp.arguments(s.ProviderCreate)
@blp.response(201, s.Provider)
def register_provider(data):
    """My unit (university, institute, testing lab) asks to be a provider."""
    return vouchers.register_provider(actor=signed_in(), **data)


@blp.route("/voucher-providers", methods=["GET"])
@blp.arguments(s.ProviderQuery, location="query")
@blp.response(200, s.ProviderList)
def list_providers(query):
    """Providers (public: enterprises choose among the approved ones)."""
    return {"items": vouchers.list_providers(**query)}


@blp.route("/voucher-providers/<int:provider_id>/decision", methods=["POST"])
@blp.arguments(s.Decision)
@blp.response(200, s.Provider)
def decide_provider(data, provider_id):
    """Approve or refuse a provider (staff in its region)."""
    return vouchers.decide_provider(provider_id, actor=signed_in(), **data)


@blp.route("/vouchers", methods=["GET"])
@blp.arguments(s.VoucherQuery, location="query")
@blp.response(200, s.VoucherList)
def list_vouchers(query):
    """Mine (enterprise), my region's (staff), all (admin)."""
    return {"items": vouchers.list_vouchers(actor=signed_in(), **query)}


@blp.route("/vouchers/<int:voucher_id>", methods=["GET"])
@blp.response(200, s.Voucher)
def get_voucher(voucher_id):
    """One voucher (the enterprise, its provider, staff in scope)."""
    return vouchers.load_voucher(voucher_id, actor=signed_in())


@blp.route("/vouchers/<int:voucher_id>/issue", methods=["POST"])
@blp.arguments(s.VoucherIssue)
@blp.response(200, s.Voucher)
def issue(data, voucher_id):
    """Approve and issue (staff in scope); 409 when the batch's budget cannot hold the amount."""
    return vouchers.issue(voucher_id, actor=signed_in(), **data)


@blp.route("/vouchers/<int:voucher_id>/reject", methods=["POST"])
@blp.arguments(s.VoucherReject)
@blp.response(200, s.Voucher)
def reject(data, voucher_id):
    """Refuse an application with a reason (staff in scope)."""
    return vouchers.reject(voucher_id, actor=signed_in(), **data)


@blp.route("/vouchers/<int:voucher_id>/claim", methods=["POST"])
@blp.arguments(s.VoucherClaim)
@blp.response(200, s.Voucher)
def claim(data, voucher_id):
    """The enterprise records the service bought and claims redemption (兑现)."""
    return vouchers.claim(voucher_id, actor=signed_in(), data=data)


@blp.route("/vouchers/<int:voucher_id>/payout", methods=["POST"])
@blp.arguments(s.VoucherPayout)
@blp.response(200, s.Voucher)
def pay_out(data, voucher_id):
    """Staff verify the claim and record the payout."""
    return vouchers.pay_out(voucher_id, actor=signed_in(), **data)
