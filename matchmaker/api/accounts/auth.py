"""/api/v1/auth: register, login, logout, me."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from matchmaker.api.context import actor, signed_in
from matchmaker.extensions import limiter
from matchmaker.schemas import accounts as s
from matchmaker.schemas.common import MessageSchema
from matchmaker.services import accounts

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="注册、登录与当前用户")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/register", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(s.Register)
@blp.response(201, s.User)
def register(data):
    """Register a user together with a new (unverified) organisation."""
    return accounts.register(actor=actor(), data=data)


@blp.route("/login", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(s.Login)
@blp.response(200, s.Token)
def login(data):
    """Exchange e-mail or mobile number and password for a bearer token."""
    plain, row = accounts.login(
        actor=actor(),
        login=data["login"],
        password=data["password"],
        ttl_hours=current_app.config["TOKEN_TTL_HOURS"],
    )
    return {"token": plain, "token_type": "Bearer", "expires_at": row.expires_at, "user": row.user}


@blp.route("/logout", methods=["POST"])
@blp.response(200, MessageSchema)
def logout():
    """Revoke the current token."""
    accounts.logout(actor=signed_in())
    return {"message": "已退出登录"}


@blp.route("/me", methods=["GET"])
@blp.response(200, s.User)
def me():
    """The signed-in user, with its own contact details unmasked."""
    return signed_in().user
