"""/api/v1/auth: register, login, logout, me, change and reset the password."""

from __future__ import annotations

from flask import current_app
from flask_smorest import Blueprint

from matchmaker.api.http.context import actor, signed_in
from matchmaker.extensions import limiter
from matchmaker.schemas import accounts as s
from matchmaker.schemas.common import MessageSchema
from matchmaker.services import accounts, credentials

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="注册、登录与当前用户")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _code_limit() -> str:
    return current_app.config["VERIFY_CLIENT_RATE_LIMIT"]


REGISTERED = "注册申请已受理。新账号现在即可登录；如该邮箱或手机号此前已注册，请直接登录或找回密码。"


@blp.route("/register", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(s.Register)
@blp.response(202, MessageSchema)
def register(data):
    """Register a user together with a new (unverified) organisation.

    The answer is the same whether or not the e-mail or mobile number was already registered.
    """
    accounts.register(actor=actor(), data=data)
    return {"message": REGISTERED}


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


@blp.route("/password", methods=["POST"])
@limiter.limit(_login_limit)
@blp.arguments(s.PasswordChange)
@blp.response(200, MessageSchema)
def change_password(data):
    """Change my password (the current one is required); my other sessions are signed out."""
    credentials.change_password(actor=signed_in(), **data)
    return {"message": "密码已修改，其他设备上的登录已失效"}


@blp.route("/password-reset", methods=["POST"])
@limiter.limit(_code_limit)
@blp.arguments(s.PasswordResetRequest)
@blp.response(202, MessageSchema)
def request_password_reset(data):
    """Send a reset code to the account's e-mail or mobile (same answer whether or not it exists)."""
    credentials.request_reset(actor=actor(), login=data["login"])
    return {"message": "如该账号存在，验证码已发送到其邮箱或手机，请查收"}


@blp.route("/password-reset/confirm", methods=["POST"])
@limiter.limit(_code_limit)
@blp.arguments(s.PasswordResetConfirm)
@blp.response(200, MessageSchema)
def confirm_password_reset(data):
    """Set a new password with the code; every session of the account is signed out."""
    credentials.reset_password(actor=actor(), **data)
    return {"message": "密码已重置，请用新密码登录"}
