"""/api/v1/matches and the per-listing match lists: ranked, explained, and their lifecycle."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas import matches as s
from matchmaker.schemas.common import page_of
from matchmaker.services.listings.rematch import rematch_on_demand
from matchmaker.services.matches import experts
from matchmaker.services.matches import lifecycle as matches

blp = Blueprint(
    "matches", __name__, url_prefix="/api/v1", description="匹配：推荐、意向、对接、签约、技术合同登记"
)
MatchPage = page_of(s.Match, "MatchPage")


def _dump(match):
    match.my_side = matches.side_of(signed_in(), match)
    return match


def _page(items, total, query):
    return {
        "items": [_dump(m) for m in items],
        "total": total,
        "page": query["page"],
        "per_page": query["per_page"],
    }


@blp.route("/matches", methods=["GET"])
@blp.arguments(s.MatchQuery, location="query")
@blp.response(200, MatchPage)
def my_matches(query):
    """Matches of my organisation (staff: of my region), best first."""
    items, total = matches.my_matches(actor=signed_in(), filters=matches.MatchFilter(**query))
    return _page(items, total, query)


@blp.route("/needs/<int:listing_id>/matches", methods=["GET"])
@blp.arguments(s.MatchQuery, location="query")
@blp.response(200, MatchPage)
def need_matches(query, listing_id):
    """Ranked outputs for a need, with explanations (owner, staff in scope)."""
    items, total = matches.matches_for_listing(
        "need", listing_id, actor=signed_in(), filters=matches.MatchFilter(**query)
    )
    return _page(items, total, query)


@blp.route("/outputs/<int:listing_id>/matches", methods=["GET"])
@blp.arguments(s.MatchQuery, location="query")
@blp.response(200, MatchPage)
def output_matches(query, listing_id):
    """Ranked needs for an output, with explanations (owner, staff in scope)."""
    items, total = matches.matches_for_listing(
        "output", listing_id, actor=signed_in(), filters=matches.MatchFilter(**query)
    )
    return _page(items, total, query)


@blp.route("/needs/<int:listing_id>/experts", methods=["GET"])
@blp.response(200, s.ExpertList)
def need_experts(listing_id):
    """Researchers behind the best-matched outputs of a need (owner, staff in scope); no contacts."""
    return {"items": experts.experts_for_need(listing_id, actor=signed_in())}


@blp.route("/needs/<int:listing_id>/rematch", methods=["POST"])
@blp.response(202, s.MatchRun)
def rematch_need(listing_id):
    """Re-rank a published need now (owner, staff in scope)."""
    return rematch_on_demand("need", listing_id, actor=signed_in())


@blp.route("/outputs/<int:listing_id>/rematch", methods=["POST"])
@blp.response(202, s.MatchRun)
def rematch_output(listing_id):
    """Re-rank a published output now (owner, staff in scope)."""
    return rematch_on_demand("output", listing_id, actor=signed_in())


@blp.route("/matches/<int:match_id>", methods=["GET"])
@blp.response(200, s.Match)
def get_match(match_id):
    """One match with its score breakdown."""
    return _dump(matches.load_match(match_id, actor=signed_in()))


@blp.route("/matches/<int:match_id>/view", methods=["POST"])
@blp.response(200, s.Match)
def view(match_id):
    """Mark the match as viewed by my side."""
    return _dump(matches.mark_viewed(match_id, actor=signed_in()))


@blp.route("/matches/<int:match_id>/interest", methods=["POST"])
@blp.response(200, s.Match)
def interest(match_id):
    """My side is interested; when both are, contacts become visible."""
    return _dump(matches.express_interest(match_id, actor=signed_in()))


@blp.route("/matches/<int:match_id>/decline", methods=["POST"])
@blp.arguments(s.Decline)
@blp.response(200, s.Match)
def decline(data, match_id):
    """My side declines, with a reason code."""
    return _dump(matches.decline(match_id, actor=signed_in(), reason=data["reason"], note=data.get("note")))


@blp.route("/matches/<int:match_id>/negotiate", methods=["POST"])
@blp.response(200, s.Match)
def negotiate(match_id):
    """Record that negotiation has started."""
    return _dump(matches.start_negotiation(match_id, actor=signed_in()))


@blp.route("/matches/<int:match_id>/agreement", methods=["POST"])
@blp.arguments(s.Agreement)
@blp.response(200, s.Match)
def agreement(data, match_id):
    """Record the signed cooperation agreement (合作协议)."""
    return _dump(matches.sign_agreement(match_id, actor=signed_in(), data=data))


@blp.route("/matches/<int:match_id>/contract", methods=["POST"])
@blp.arguments(s.Contract)
@blp.response(200, s.Match)
def contract(data, match_id):
    """Record the registered technology contract (技术合同登记)."""
    return _dump(matches.register_contract(match_id, actor=signed_in(), data=data))


@blp.route("/matches/<int:match_id>/contacts", methods=["GET"])
@blp.response(200, s.Contacts)
def contacts(match_id):
    """The other side's contacts, once both sides are interested (audit-logged)."""
    return matches.contacts(match_id, actor=signed_in())
