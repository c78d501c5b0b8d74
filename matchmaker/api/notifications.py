"""/api/v1/notifications (settings, consents, inbox, delivery log, unsubscribe) and /api/v1/auth/verify."""

from __future__ import annotations

from flask import current_app, request
from flask_smorest import Blueprint

from matchmaker.api.http import pages
from matchmaker.api.http.context import signed_in
from matchmaker.extensions import limiter
from matchmaker.schemas import notifications as s
from matchmaker.schemas.common import MessageSchema
from matchmaker.services import notifications, verification

blp = Blueprint(
    "notifications", __name__, url_prefix="/api/v1/notifications", description="通知：设置、站内信、发送记录"
)
verify_blp = Blueprint("verify", __name__, url_prefix="/api/v1/auth/verify", description="手机号、邮箱验证码")


def _verify_limit() -> str:
    return current_app.config["VERIFY_CLIENT_RATE_LIMIT"]


@blp.route("/settings", methods=["GET"])
@blp.response(200, s.Settings)
def get_settings():
    """My preferences per kind of message and channel, consents and personalisation choice."""
    return notifications.settings(actor=signed_in())


@blp.route("/preferences", methods=["PUT"])
@blp.arguments(s.PreferencesUpdate)
@blp.response(200, s.Settings)
def put_preferences(data):
    """Switch kinds of message on or off per channel."""
    return notifications.update_preferences(actor=signed_in(), items=data["preferences"])


@blp.route("/consents", methods=["POST"])
@blp.arguments(s.ConsentCreate)
@blp.response(201, s.Settings)
def post_consent(data):
    """Give or withdraw consent for e-mail or SMS, or opt out of personalised recommendations."""
    return notifications.give_consent(actor=signed_in(), **data)


HTML = {"text/html": {"schema": {"type": "string"}}}


@blp.route("/unsubscribe", methods=["GET"])
@blp.arguments(s.UnsubscribeQuery, location="query")
@blp.response(200, description="中文确认页（不改变任何设置）")
@blp.doc(responses={200: {"content": HTML}})
def unsubscribe_page(query):
    """The link in every e-mail: a confirmation page; nothing changes on GET (mail scanners follow links)."""
    label = notifications.unsubscribe_label(query["token"])
    return pages.unsubscribe_confirm(label, query["token"], request.full_path)


@blp.route("/unsubscribe", methods=["POST"])
@blp.arguments(s.UnsubscribeQuery, location="query")
@blp.response(200, MessageSchema)
@blp.doc(responses={200: {"content": HTML}})
def unsubscribe(query):
    """Unsubscribe: RFC 8058 one-click POST from the mail client, or the confirmation page's button."""
    result = notifications.unsubscribe(query["token"])
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return pages.unsubscribe_done(result["message"])
    return result


@blp.route("/inbox", methods=["GET"])
@blp.arguments(s.InboxQuery, location="query")
@blp.response(200, s.InboxPage)
def inbox(query):
    """My inbox (站内信), newest first, with the unread count."""
    return notifications.inbox(
        actor=signed_in(), unread_only=query["unread"], page=query["page"], per_page=query["per_page"]
    )


@blp.route("/inbox/unread-count", methods=["GET"])
@blp.response(200, s.Count)
def unread_count():
    """How many of my messages are unread."""
    return {"count": notifications.unread(actor=signed_in())}


@blp.route("/inbox/<int:message_id>/read", methods=["POST"])
@blp.response(200, s.InboxMessage)
def mark_read(message_id):
    """Mark one of my messages read."""
    return notifications.mark_read(message_id, actor=signed_in())


@blp.route("/inbox/read-all", methods=["POST"])
@blp.response(200, s.Count)
def mark_all_read():
    """Mark all my messages read."""
    return {"count": notifications.mark_all_read(actor=signed_in())}


@blp.route("/deliveries", methods=["GET"])
@blp.arguments(s.DeliveryQuery, location="query")
@blp.response(200, s.DeliveryPage)
def deliveries(query):
    """The delivery log: staff see their region's users, admins everyone."""
    items, total = notifications.deliveries(actor=signed_in(), filters=notifications.DeliveryFilter(**query))
    return {"items": items, "total": total, "page": query["page"], "per_page": query["per_page"]}


@verify_blp.route("/send", methods=["POST"])
@limiter.limit(_verify_limit)
@verify_blp.arguments(s.VerifySend)
@verify_blp.response(202, s.VerifySent)
def send_code(data):
    """Send a one-time code to a phone or e-mail I want to add or change to.

    The answer is the same whether or not the address is already used by another account.
    """
    expires_at = verification.send_code(actor=signed_in(), channel=data["channel"], target=data["target"])
    return {"message": "如该地址可用，验证码已发送，请查收", "expires_at": expires_at}


@verify_blp.route("/confirm", methods=["POST"])
@limiter.limit(_verify_limit)
@verify_blp.arguments(s.VerifyConfirm)
@verify_blp.response(200, MessageSchema)
def confirm_code(data):
    """Confirm the code; my phone or e-mail becomes the verified address."""
    verification.confirm_code(actor=signed_in(), **data)
    return {"message": "验证成功，已更新"}
