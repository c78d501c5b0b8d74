"""If-Match on updates of shared objects: required (428 without it), 412 when it names an old version.

Needs, outputs and 揭榜挂帅 lists are edited by several people of one unit and by staff; an update
sent without the ETag its author read could silently overwrite a change made in between, so the
header is required rather than optional. The decorator documents the header and both answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request
from flask_smorest import Blueprint

IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": True,
    "schema": {"type": "string", "maxLength": 1000},
    "description": "读取该对象时得到的 ETag（GET 响应头）；缺少时返回 428，对象已被他人修改时返回 412",
}


def documented(blp: Blueprint) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Document the required If-Match header and the 412 and 428 answers of an update view."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        view = blp.alt_response(428, "PRECONDITION_REQUIRED")(view)
        view = blp.alt_response(412, "PRECONDITION_FAILED")(view)
        return blp.doc(parameters=[IF_MATCH])(view)

    return decorate


def if_match() -> str | None:
    """The request's If-Match header (None when missing); the service answers 428 or 412."""
    return request.headers.get("If-Match")
