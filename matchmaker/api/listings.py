"""/api/v1/needs and /api/v1/outputs: one blueprint factory for both kinds of listing."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http import preconditions
from matchmaker.api.http.context import actor, signed_in
from matchmaker.schemas import listings as s
from matchmaker.schemas.common import Intake, MessageSchema
from matchmaker.services.listings import catalogue
from matchmaker.services.listings import intake as need_intake
from matchmaker.services.listings import similar as similarity
from matchmaker.services.listings import workflow as listings

SCHEMAS: dict[str, dict[str, Any]] = {
    "need": {"create": s.NeedCreate, "update": s.NeedUpdate, "dump": s.Need},
    "output": {"create": s.OutputCreate, "update": s.OutputUpdate, "dump": s.Output},
}
TITLES = {"need": "技术需求（企业发布，科技局审核）", "output": "科技成果（高校院所发布，科技局审核）"}


def one_listing(listing: Any, status: int = 200):
    """The listing as the caller may see it, with its ETag."""
    data = catalogue.present_listing(listing, actor=actor())
    return data, status, {"ETag": listings.etag(listing)}


def make_blueprint(kind: str, plural: str) -> Blueprint:
    """Build the CRUD + workflow blueprint for one kind of listing."""
    sch = SCHEMAS[kind]
    blp = Blueprint(plural, __name__, url_prefix=f"/api/v1/{plural}", description=TITLES[kind])
    page_schema = s.listing_page(sch["dump"], f"{kind.title()}Page")

    @blp.route("", methods=["GET"])
    @blp.arguments(s.ListingQuery, location="query")
    @blp.response(200, page_schema)
    def list_(query):
        """List what the caller may see: the public catalogue, plus own drafts and staff review queues."""
        filters = catalogue.ListingFilter(**query)
        items, total, cursor = catalogue.list_listings(kind, actor=actor(), filters=filters)
        return {
            "items": [catalogue.present_listing(x, actor=actor()) for x in items],
            "total": total,
            "page": filters.page,
            "per_page": filters.per_page,
            "next": cursor,
        }

    @blp.route("", methods=["POST"])
    @blp.arguments(sch["create"])
    @blp.response(201, sch["dump"])
    def create(data):
        """Create a draft owned by the caller's organisation."""
        return one_listing(listings.create_listing(kind, actor=signed_in(), data=data), 201)

    @blp.route("/<int:listing_id>", methods=["GET"])
    @blp.response(200, sch["dump"])
    def get(listing_id):
        """One listing; the detail and contacts depend on who asks."""
        return one_listing(listings.load_listing(kind, listing_id, actor=actor()))

    @blp.route("/<int:listing_id>/similar", methods=["GET"])
    @blp.arguments(s.SimilarQuery, location="query")
    @blp.response(200, s.similar_page(sch["dump"], f"Similar{kind.title()}Page"))
    def similar(query, listing_id):
        """相似推荐: published listings of the same kind nearest this one in meaning (its stored
        embedding; the engine's vector kNN where it holds vectors, exact kNN otherwise)."""
        found, embedded = similarity.similar_listings(kind, listing_id, actor=actor(), limit=query["limit"])
        items = [{"listing": catalogue.present_listing(x, actor=actor()), "similarity": v} for x, v in found]
        return {"items": items, "embedded": embedded}

    @blp.route("/<int:listing_id>", methods=["PATCH"])
    @blp.arguments(sch["update"])
    @blp.response(200, sch["dump"])
    @preconditions.documented(blp)
    def update(data, listing_id):
        """Partial update; If-Match with the ETag read is required (428 without, 412 when stale)."""
        updated = listings.update_listing(
            kind, listing_id, actor=signed_in(), data=data, if_match=preconditions.if_match()
        )
        return one_listing(updated)

    @blp.route("/<int:listing_id>", methods=["DELETE"])
    @blp.response(200, MessageSchema)
    def delete(listing_id):
        """Delete a draft or rejected listing."""
        listings.delete_listing(kind, listing_id, actor=signed_in())
        return {"message": "已删除"}

    def _action(name: str, summary: str, with_reason: bool = False) -> None:
        def view(listing_id: int, data: dict | None = None):
            reason = (data or {}).get("reason")
            return one_listing(listings.transition(kind, listing_id, name, actor=signed_in(), reason=reason))

        if with_reason:

            def view_with_reason(data, listing_id):
                return view(listing_id, data)

            fn = blp.arguments(s.Reason)(view_with_reason)
        else:
            fn = view
        fn.__name__ = name
        fn.__doc__ = summary
        blp.route(f"/<int:listing_id>/{name}", methods=["POST"], endpoint=name)(
            blp.response(200, sch["dump"])(fn)
        )

    if kind == "need":

        @blp.route("/<int:listing_id>/intake", methods=["GET"])
        @blp.response(200, Intake)
        def intake(listing_id):
            """The quality check: blocking gaps (submit refused) and advice (owner, staff in scope)."""
            need = listings.load_listing(kind, listing_id, actor=signed_in())
            report = need_intake.need_intake(need, actor=signed_in())
            return {"ready": report.ready, "blocking": report.blocking, "advisory": report.advisory}

    _action(
        "submit", "Owner submits a draft or a rejected listing for review (needs: after the intake check)."
    )
    _action("publish", "Staff in scope publish a submitted listing.")
    _action("reject", "Staff in scope send a submitted listing back with a reason.", with_reason=True)
    _action("unpublish", "Staff in scope take a published listing down with a reason.", with_reason=True)
    _action("close", "Owner closes a listing.")
    return blp


needs_blp = make_blueprint("need", "needs")
outputs_blp = make_blueprint("output", "outputs")
