"""Expert pool and expert review of challenge applications (专家库、专家评审、排名、入围)."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas.challenges import review as s
from matchmaker.services.challenges.review import pool as experts_pool
from matchmaker.services.challenges.review import ranking as challenge_ranking
from matchmaker.services.challenges.review import scoring as challenge_review
from matchmaker.services.challenges.review.blind import present_assignment, present_assignments
from matchmaker.services.challenges.review.pool import PoolEntry

blp = Blueprint(
    "challenge_review", __name__, url_prefix="/api/v1", description="揭榜挂帅：专家库、专家评审、排名与入围"
)


@blp.route("/experts/me", methods=["GET"])
@blp.response(200, s.PoolEntry)
def my_profile():
    """My expert profile (role expert)."""
    return PoolEntry(profile=experts_pool.my_profile(actor=signed_in()))


@blp.route("/experts/me", methods=["PUT"])
@blp.arguments(s.ExpertProfileSave)
@blp.response(200, s.PoolEntry)
def save_profile(data):
    """Create or update my expert profile: fields, specialties, title, active."""
    return PoolEntry(profile=experts_pool.save_profile(actor=signed_in(), data=data))


@blp.route("/experts", methods=["GET"])
@blp.arguments(s.PoolQuery, location="query")
@blp.response(200, s.PoolList)
def pool(query):
    """The expert pool (staff, admin): by field; with application_id, conflicted experts left out."""
    return {"items": experts_pool.list_pool(actor=signed_in(), **query)}


@blp.route("/challenges/<int:challenge_id>/expert-suggestions", methods=["GET"])
@blp.arguments(s.ExpertSuggestQuery, location="query")
@blp.response(200, s.PoolList)
def suggestions(query, challenge_id):
    """Pool experts ranked for the challenge by field and specialty overlap, conflicts excluded."""
    return {"items": experts_pool.suggest(challenge_id, actor=signed_in(), limit=query["limit"])}


@blp.route("/challenges/<int:challenge_id>/criteria", methods=["PUT"])
@blp.arguments(s.CriteriaSet)
@blp.response(200, s.Ranking)
def set_criteria(data, challenge_id):
    """Set the weighted review criteria (staff in scope; 409 once a score is submitted)."""
    challenge_review.set_criteria(challenge_id, actor=signed_in(), criteria=data["criteria"])
    return challenge_ranking.ranking(challenge_id, actor=signed_in())


@blp.route("/challenges/<int:challenge_id>/review-assignments", methods=["POST"])
@blp.arguments(s.AssignmentCreate)
@blp.response(201, s.Assignment)
def assign(data, challenge_id):
    """Assign an expert to a submitted application (conflicts refused or flagged)."""
    assignment = challenge_review.assign(challenge_id, actor=signed_in(), data=data)
    return present_assignment(assignment, as_staff=True)


@blp.route("/challenges/<int:challenge_id>/review-assignments", methods=["GET"])
@blp.response(200, s.AssignmentList)
def challenge_assignments(challenge_id):
    """Every assignment of the challenge, with scores (staff in scope)."""
    items = challenge_review.challenge_assignments(challenge_id, actor=signed_in())
    return {"items": present_assignments(items, as_staff=True)}


@blp.route("/review-assignments", methods=["GET"])
@blp.arguments(s.AssignmentQuery, location="query")
@blp.response(200, s.AssignmentList)
def my_assignments(query):
    """My review assignments (identities hidden in blind review)."""
    items = challenge_review.my_assignments(actor=signed_in(), status=query.get("status"))
    return {"items": present_assignments(items, as_staff=False)}


@blp.route("/review-assignments/<int:assignment_id>", methods=["GET"])
@blp.response(200, s.Assignment)
def get_assignment(assignment_id):
    """One assignment: the expert's own, or any in scope for staff."""
    assignment, as_staff = challenge_review.load_assignment(assignment_id, actor=signed_in())
    return present_assignment(assignment, as_staff=as_staff)


@blp.route("/review-assignments/<int:assignment_id>", methods=["PUT"])
@blp.arguments(s.Scores)
@blp.response(200, s.Assignment)
def save_scores(data, assignment_id):
    """Save my scores (0–100 per criterion) and comments; not yet submitted."""
    assignment = challenge_review.save_scores(assignment_id, actor=signed_in(), data=data)
    return present_assignment(assignment, as_staff=False)


@blp.route("/review-assignments/<int:assignment_id>/submit", methods=["POST"])
@blp.response(200, s.Assignment)
def submit(assignment_id):
    """Submit my review (every criterion scored); the ranking is updated."""
    return present_assignment(challenge_review.submit(assignment_id, actor=signed_in()), as_staff=False)


@blp.route("/review-assignments/<int:assignment_id>/decline", methods=["POST"])
@blp.arguments(s.DeclineAssignment)
@blp.response(200, s.Assignment)
def decline(data, assignment_id):
    """Decline the assignment with a reason."""
    assignment = challenge_review.decline(assignment_id, actor=signed_in(), reason=data["reason"])
    return present_assignment(assignment, as_staff=False)


@blp.route("/challenges/<int:challenge_id>/ranking", methods=["GET"])
@blp.response(200, s.Ranking)
def ranking(challenge_id):
    """Applications by weighted average of submitted reviews, with count and spread (staff in scope)."""
    return challenge_ranking.ranking(challenge_id, actor=signed_in())


@blp.route("/challenges/<int:challenge_id>/shortlist", methods=["PUT"])
@blp.arguments(s.Shortlist)
@blp.response(200, s.Ranking)
def shortlist(data, challenge_id):
    """Mark exactly these applications shortlisted (staff in scope)."""
    return challenge_ranking.shortlist(
        challenge_id, actor=signed_in(), application_ids=data["application_ids"]
    )


@blp.route("/challenges/<int:challenge_id>/my-review-result", methods=["GET"])
@blp.response(200, s.MyResult)
def my_result(challenge_id):
    """My unit's own application's review summary, once 公示 has started."""
    return challenge_ranking.my_result(challenge_id, actor=signed_in())
