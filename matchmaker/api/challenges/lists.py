"""/api/v1/challenges: 揭榜挂帅榜单 — the list, its intake check, review and publication, matches."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http import preconditions
from matchmaker.api.http.context import actor, signed_in
from matchmaker.auth import policy
from matchmaker.errors import Forbidden
from matchmaker.schemas.challenges import lists as s
from matchmaker.schemas.common import MessageSchema, page_of
from matchmaker.services.challenges import intake as challenge_intake
from matchmaker.services.challenges import lists as challenges
from matchmaker.services.challenges import matching as challenges_matching
from matchmaker.services.challenges import reading as challenges_read
from matchmaker.services.challenges import workflow

blp = Blueprint(
    "challenges",
    __name__,
    url_prefix="/api/v1/challenges",
    description="揭榜挂帅榜单：发榜、形式审查、审核发布",
)
ChallengePage = page_of(s.Challenge, "ChallengePage")


def _one(challenge: Any, status: int = 200):
    data = challenges_read.present_challenge(challenge, actor=actor())
    return data, status, {"ETag": challenges.etag(challenge)}


@blp.route("", methods=["GET"])
@blp.arguments(s.ChallengeQuery, location="query")
@blp.response(200, ChallengePage)
def list_(query):
    """Published lists for everyone; with mine=true the caller's unit's (or staff region's) in any state."""
    filters = challenges_read.ChallengeFilter(**query)
    items, total = challenges_read.list_challenges(actor=actor(), filters=filters)
    return {
        "items": [challenges_read.present_challenge(x, actor=actor()) for x in items],
        "total": total,
        "page": filters.page,
        "per_page": filters.per_page,
    }


@blp.route("", methods=["POST"])
@blp.arguments(s.ChallengeCreate)
@blp.response(201, s.Challenge)
def create(data):
    """Create a draft list posted by the caller's unit (enterprise) or bureau (staff)."""
    return _one(challenges.create_challenge(actor=signed_in(), data=data), 201)


@blp.route("/<int:challenge_id>", methods=["GET"])
@blp.response(200, s.Challenge)
def get(challenge_id):
    """One list; contacts are masked unless the caller is the poster, staff in scope or an admin."""
    return _one(challenges.load_challenge(challenge_id, actor=actor()))


@blp.route("/<int:challenge_id>", methods=["PATCH"])
@blp.arguments(s.ChallengeUpdate)
@blp.response(200, s.Challenge)
@preconditions.documented(blp)
def update(data, challenge_id):
    """Partial update (If-Match required: 428 without, 412 when stale); indicators replaced whole."""
    updated = challenges.update_challenge(
        challenge_id, actor=signed_in(), data=data, if_match=preconditions.if_match()
    )
    return _one(updated)


@blp.route("/<int:challenge_id>", methods=["DELETE"])
@blp.response(200, MessageSchema)
def delete(challenge_id):
    """Delete a draft or rejected list."""
    challenges.delete_challenge(challenge_id, actor=signed_in())
    return {"message": "已删除"}


@blp.route("/<int:challenge_id>/intake", methods=["GET"])
@blp.response(200, s.Intake)
def intake(challenge_id):
    """What the list still lacks: blocking gaps (submission refused) and advisory ones."""
    who = signed_in()
    challenge = challenges.load_challenge(challenge_id, actor=who)
    if not policy.can_manage_challenge(who, challenge):
        raise Forbidden("只有发榜单位和辖区科技局可以查看形式审查结果")
    report = challenge_intake.check(challenge)
    return {"ready": report.ready, "blocking": report.blocking, "advisory": report.advisory}


@blp.route("/<int:challenge_id>/submit", methods=["POST"])
@blp.response(200, s.Challenge)
def submit(challenge_id):
    """The poster submits a draft or a sent-back list for review (422 lists what is missing)."""
    return _one(workflow.transition(challenge_id, "submit", actor=signed_in()))


@blp.route("/<int:challenge_id>/publish", methods=["POST"])
@blp.arguments(s.Window)
@blp.response(200, s.Challenge)
def publish(window, challenge_id):
    """Staff in scope publish a submitted list with its application window."""
    return _one(workflow.transition(challenge_id, "publish", actor=signed_in(), window=window))


@blp.route("/<int:challenge_id>/reject", methods=["POST"])
@blp.arguments(s.ReasonIn)
@blp.response(200, s.Challenge)
def reject(data, challenge_id):
    """Staff in scope send a submitted list back to the poster with reasons."""
    return _one(workflow.transition(challenge_id, "reject", actor=signed_in(), reason=data.get("reason")))


@blp.route("/<int:challenge_id>/close", methods=["POST"])
@blp.arguments(s.ReasonIn)
@blp.response(200, s.Challenge)
def close(data, challenge_id):
    """Staff in scope close the application window before its deadline (with a reason); review starts."""
    return _one(workflow.transition(challenge_id, "close", actor=signed_in(), reason=data.get("reason")))


@blp.route("/<int:challenge_id>/cancel", methods=["POST"])
@blp.arguments(s.ReasonIn)
@blp.response(200, s.Challenge)
def cancel(data, challenge_id):
    """Cancel: the poster before publication; staff in scope at any stage before the award (with a reason)."""
    return _one(workflow.transition(challenge_id, "cancel", actor=signed_in(), reason=data.get("reason")))


@blp.route("/<int:challenge_id>/list-reviews", methods=["GET"])
@blp.response(200, s.ListReviews)
def list_reviews(challenge_id):
    """Expert assessments of the list and their averages (staff in scope)."""
    return workflow.list_reviews(challenge_id, actor=signed_in())


@blp.route("/<int:challenge_id>/list-reviews", methods=["POST"])
@blp.arguments(s.ListReviewIn)
@blp.response(201, s.ListReview)
def add_list_review(data, challenge_id):
    """Staff in scope record an expert's scores of the list (0–100 per dimension)."""
    return workflow.record_list_review(challenge_id, actor=signed_in(), data=data)


@blp.route("/<int:challenge_id>/matches", methods=["GET"])
@blp.response(200, s.Matches)
def matches(challenge_id):
    """Research outputs and teams that could take the challenge on, ranked, with reasons."""
    return {"items": challenges_matching.matches_for(challenge_id, actor=signed_in())}
