"""/api/v1/users: admin user management."""

from __future__ import annotations

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in
from matchmaker.schemas import accounts as s
from matchmaker.schemas.common import page_of
from matchmaker.services import accounts
from matchmaker.services.challenges.review import appointment

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="用户管理（管理员）")
UserPage = page_of(s.User, "UserPage")


@blp.route("", methods=["GET"])
@blp.arguments(s.UserQuery, location="query")
@blp.response(200, UserPage)
def list_users(query):
    """List users (admin only)."""
    items, total = accounts.list_users(actor=signed_in(), **query)
    return {"items": items, "total": total, "page": query["page"], "per_page": query["per_page"]}


@blp.route("", methods=["POST"])
@blp.arguments(s.UserCreate)
@blp.response(201, s.User)
def create_user(data):
    """Create a user of any role, e.g. bureau staff with a region scope (admin only)."""
    return accounts.create_user(actor=signed_in(), data=data)


@blp.route("/<int:user_id>", methods=["PATCH"])
@blp.arguments(s.UserUpdate)
@blp.response(200, s.User)
def update_user(data, user_id):
    """Change a user's roles, scope, name or active flag (admin only)."""
    return accounts.update_user(user_id, actor=signed_in(), data=data)


@blp.route("/<int:user_id>/expert", methods=["POST"])
@blp.arguments(s.ExpertAppointment)
@blp.response(200, s.User)
def appoint_expert(data, user_id):
    """Appoint (or withdraw) a person as expert reviewer: staff in scope of their unit, or admins."""
    return appointment.appoint(user_id, actor=signed_in(), appointed=data["appointed"])
