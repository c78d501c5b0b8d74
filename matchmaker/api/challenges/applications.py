"""揭榜申请 endpoints: apply to a challenge, edit, submit, withdraw, and list what the caller may see."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http.context import actor, signed_in
from matchmaker.schemas.challenges import applications as s
from matchmaker.schemas.common import page_of
from matchmaker.services.challenges import application_reading as read
from matchmaker.services.challenges import applications as apps

blp = Blueprint(
    "challenge_applications", __name__, url_prefix="/api/v1", description="揭榜申请：牵头单位、联合体、军令状"
)
ApplicationPage = page_of(s.Application, "ApplicationPage")


def _one(application: Any, status: int = 200):
    return read.present_application(application, actor=actor()), status


@blp.route("/challenges/<int:challenge_id>/applications", methods=["POST"])
@blp.arguments(s.ApplicationCreate)
@blp.response(201, s.Application)
def create(data, challenge_id):
    """The caller's unit starts an application (draft) while the window is open."""
    return _one(apps.create_application(challenge_id, actor=signed_in(), data=data), 201)


@blp.route("/challenges/<int:challenge_id>/applications", methods=["GET"])
@blp.response(200, s.ApplicationList)
def for_challenge(challenge_id):
    """The poster sees all submitted applications; an applicant its own; staff their region's."""
    items = read.for_challenge(challenge_id, actor=signed_in())
    return {"items": [read.present_application(a, actor=actor()) for a in items], "total": len(items)}


@blp.route("/challenge-applications", methods=["GET"])
@blp.arguments(s.ApplicationQuery, location="query")
@blp.response(200, ApplicationPage)
def list_(query):
    """Applications the caller may see; mine=true keeps only its own unit's."""
    filters = read.ApplicationFilter(**query)
    items, total = read.list_applications(actor=signed_in(), filters=filters)
    return {
        "items": [read.present_application(a, actor=actor()) for a in items],
        "total": total,
        "page": filters.page,
        "per_page": filters.per_page,
    }


@blp.route("/challenge-applications/<int:application_id>", methods=["GET"])
@blp.response(200, s.Application)
def get(application_id):
    """One application, if the caller may see it."""
    return _one(apps.load_application(application_id, actor=signed_in()))


@blp.route("/challenge-applications/<int:application_id>", methods=["PATCH"])
@blp.arguments(s.ApplicationUpdate)
@blp.response(200, s.Application)
def update(data, application_id):
    """The lead unit edits its application until the window closes."""
    return _one(apps.update_application(application_id, actor=signed_in(), data=data))


@blp.route("/challenge-applications/<int:application_id>/submit", methods=["POST"])
@blp.response(200, s.Application)
def submit(application_id):
    """Submit before the deadline; the commitment (军令状) must be signed."""
    return _one(apps.submit_application(application_id, actor=signed_in()))


@blp.route("/challenge-applications/<int:application_id>/withdraw", methods=["POST"])
@blp.arguments(s.WithdrawIn)
@blp.response(200, s.Application)
def withdraw(data, application_id):
    """Withdraw before the deadline (the unit cannot apply to this challenge again)."""
    return _one(apps.withdraw_application(application_id, actor=signed_in(), reason=data.get("reason")))
