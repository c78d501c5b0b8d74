"""Domain exceptions and the one JSON error shape: {code, status, message, errors}."""

from __future__ import annotations

import logging
import re
from contextlib import suppress
from typing import Any

from flask import Flask, jsonify
from marshmallow import Schema, fields
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, MethodNotAllowed

log = logging.getLogger(__name__)
# The database cannot be reached (down, restarting, pool exhausted): the client should retry.
DATABASE_DOWN = (
    sa_exc.OperationalError,
    sa_exc.InterfaceError,
    sa_exc.TimeoutError,
    sa_exc.DisconnectionError,
)
RETRY_AFTER_SECONDS = 5


class DomainError(Exception):
    """A business-rule failure the client can act on; subclasses fix the HTTP status."""

    status = 400
    code = "bad_request"
    message = "请求无效"

    def __init__(self, message: str | None = None, *, errors: dict[str, Any] | None = None) -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.errors = errors or {}


class NotFound(DomainError):
    """The object does not exist, or the caller may not know that it does."""

    status, code, message = 404, "not_found", "未找到该对象"


class Unauthorized(DomainError):
    """No valid credentials."""

    status, code, message = 401, "unauthorized", "请先登录"


class Forbidden(DomainError):
    """Authenticated but not allowed."""

    status, code, message = 403, "forbidden", "无权执行此操作"


class Conflict(DomainError):
    """The request clashes with the current state (duplicate, wrong workflow state)."""

    status, code, message = 409, "conflict", "与当前状态冲突"


class PreconditionFailed(DomainError):
    """If-Match did not match the current version."""

    status, code, message = 412, "precondition_failed", "对象已被修改，请刷新后重试"


class PreconditionRequired(DomainError):
    """An update of a shared object came without If-Match (it could overwrite a change unseen)."""

    status, code = 428, "precondition_required"
    message = "修改前请先读取该对象，并在 If-Match 请求头中带上读取时得到的 ETag，以免覆盖他人的修改"


class ValidationFailed(DomainError):
    """Input that passed the schema but breaks a rule; errors are per field."""

    status, code, message = 422, "validation_error", "输入有误，请检查各字段"


class ErrorSchema(Schema):
    """The error body every endpoint sends (documented as the default response of each operation)."""

    code = fields.String(
        required=True, metadata={"description": "机器可读的错误代码，如 validation_error、not_found"}
    )
    status = fields.Integer(required=True, metadata={"description": "HTTP 状态码"})
    message = fields.String(required=True, metadata={"description": "给用户看的中文说明"})
    errors = fields.Dict(
        required=True, metadata={"description": "按字段列出的问题（字段名 -> 说明列表，可嵌套）"}
    )


_STATUS_CODES = {
    400: ("bad_request", "请求格式有误"),
    401: ("unauthorized", "请先登录"),
    403: ("forbidden", "无权执行此操作"),
    404: ("not_found", "未找到该对象"),
    405: ("method_not_allowed", "不支持该请求方法"),
    409: ("conflict", "与当前状态冲突"),
    412: ("precondition_failed", "对象已被修改，请刷新后重试"),
    413: ("payload_too_large", "请求内容过大"),
    415: ("unsupported_media_type", "请使用 application/json"),
    422: ("validation_error", "输入有误，请检查各字段"),
    428: ("precondition_required", PreconditionRequired.message),
    429: ("too_many_requests", "请求过于频繁，请稍后再试"),
    500: ("internal_error", "服务器内部错误"),
    503: ("unavailable", "服务暂不可用"),
}

# marshmallow's English messages -> Chinese; the English stays beside it for API clients.
_TRANSLATIONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing data for required field\.$"), "必填字段"),
    (re.compile(r"^Unknown field\.$"), "不允许的字段"),
    (re.compile(r"^Field may not be null\.$"), "不能为空值"),
    (re.compile(r"^Not a valid string\.$"), "应为字符串"),
    (re.compile(r"^Not a valid integer\.$"), "应为整数"),
    (re.compile(r"^Not a valid number\.$"), "应为数字"),
    (re.compile(r"^Not a valid boolean\.$"), "应为布尔值"),
    (re.compile(r"^Not a valid list\.$"), "应为列表"),
    (re.compile(r"^Not a valid date\.$"), "日期格式应为 YYYY-MM-DD"),
    (re.compile(r"^Not a valid datetime\.$"), "时间格式应为 ISO 8601"),
    (re.compile(r"^Not a valid email address\.$"), "邮箱格式不正确"),
    (re.compile(r"^Invalid input type\.$"), "类型不正确"),
    (re.compile(r"^Must be one of: (.*)\.$"), r"取值应为以下之一：\1"),
    (re.compile(r"^Longer than maximum length (\d+)\.$"), r"长度不能超过 \1"),
    (re.compile(r"^Shorter than minimum length (\d+)\.$"), r"长度不能少于 \1"),
    (re.compile(r"^Length must be between (\d+) and (\d+)\.$"), r"长度应在 \1 到 \2 之间"),
    (re.compile(r"^Must be greater than or equal to (\S+)\.$"), r"不能小于 \1"),
    (re.compile(r"^Must be less than or equal to (\S+)\.$"), r"不能大于 \1"),
    (
        re.compile(r"^Must be greater than or equal to (\S+) and less than or equal to (\S+)\.$"),
        r"应在 \1 到 \2 之间",
    ),
    (re.compile(r"^Invalid value\.$"), "取值无效"),
    (re.compile(r"^Invalid JSON body\.$"), "请求体不是有效的 JSON"),
]


def translate(message: str) -> str:
    """Prefix a known English validation message with its Chinese wording."""
    for pattern, chinese in _TRANSLATIONS:
        if pattern.match(message):
            return f"{pattern.sub(chinese, message)}（{message}）"
    return message


def translate_errors(errors: Any) -> Any:
    """Walk a marshmallow error tree and translate every message string."""
    if isinstance(errors, dict):
        return {key: translate_errors(value) for key, value in errors.items()}
    if isinstance(errors, list):
        return [translate_errors(value) for value in errors]
    if isinstance(errors, str):
        return translate(errors)
    return errors


def error_body(status: int, message: str | None = None, errors: Any = None, code: str | None = None) -> dict:
    """The one error shape every endpoint returns."""
    default_code, default_message = _STATUS_CODES.get(status, ("error", "请求失败"))
    return {
        "code": code or default_code,
        "status": status,
        "message": message or default_message,
        "errors": errors or {},
    }


def _flatten_location(errors: dict[str, Any]) -> dict[str, Any]:
    """webargs nests errors under the location (json, query); the client wants the fields."""
    flat: dict[str, Any] = {}
    for location, value in errors.items():
        if isinstance(value, dict):
            flat.update(value)
        else:
            flat[location] = value
    return flat


def handle_http_exception(exc: HTTPException):
    """Render any HTTPException (incl. webargs 422/400) in the one shape."""
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    errors = data.get("messages") or data.get("errors") or {}
    if isinstance(errors, dict):
        errors = translate_errors(_flatten_location(errors))
    message = None
    if status == 400 and errors:
        message = "请求体不是有效的 JSON" if "json" in str(errors).lower() else None
    response = jsonify(error_body(status, message, errors))
    response.status_code = status
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    if status == 429 and exc.get_response().headers.get("Retry-After"):
        response.headers["Retry-After"] = exc.get_response().headers["Retry-After"]
    return response


def handle_domain_error(exc: DomainError):
    """Render a domain exception in the one shape."""
    response = jsonify(error_body(exc.status, exc.message, exc.errors, exc.code))
    response.status_code = exc.status
    return response


def handle_database_down(exc: Exception):
    """503 in the one shape when the database is unreachable, never a 500."""
    from matchmaker.extensions import db

    log.warning("database unavailable: %s", str(exc).splitlines()[0][:300])
    with suppress(Exception):  # the connection is gone; the rollback only tidies the session
        db.session.rollback()
    response = jsonify(error_body(503, "数据库暂不可用，请稍后重试", code="database_unavailable"))
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def guard_session_teardown(app: Flask) -> None:
    """Let no database error escape Flask-SQLAlchemy's session teardown (logged instead)."""
    # The close runs after the response was built, so an error there would reach the WSGI server
    # and come back as its HTML 500 page instead of our 503.
    from matchmaker.extensions import db

    funcs = app.teardown_appcontext_funcs
    for i, fn in enumerate(funcs):
        if getattr(fn, "__self__", None) is db:

            def teardown(error: BaseException | None, _close: Any = fn) -> None:
                try:
                    _close(error)
                except DATABASE_DOWN as exc:
                    log.warning("session teardown on an unavailable database: %s", type(exc).__name__)
                    db.session.registry.clear()  # drop the broken session; the next one starts clean

            funcs[i] = teardown


def register_error_handlers(app: Flask) -> None:
    """Install the JSON error handlers on the app (after the API so ours win)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    for error in DATABASE_DOWN:
        app.register_error_handler(error, handle_database_down)
    guard_session_teardown(app)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # pragma: no cover - exercised only by real crashes
        if isinstance(exc, HTTPException):
            return handle_http_exception(exc)
        app.logger.exception("unhandled error")
        response = jsonify(error_body(500))
        response.status_code = 500
        return response
