"""The request parser every view uses: JSON bodies with a depth cap, unknown query fields refused."""

from __future__ import annotations

from typing import Any

from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser

from matchmaker.errors import DomainError

# No request body of the API nests deeper than five levels; 32 leaves room and keeps parsing flat.
MAX_JSON_DEPTH = 32


class TooDeep(DomainError):
    """A JSON body nested deeper than any request of the API needs."""

    status, code = 400, "bad_request"
    message = f"请求体 JSON 嵌套层数过多（最多 {MAX_JSON_DEPTH} 层）"


def json_depth(value: Any) -> int:
    """How deeply a parsed JSON value nests (a scalar is 0), computed without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            node = list(node.values())
        if isinstance(node, list):
            deepest = max(deepest, depth + 1)
            stack.extend((child, depth + 1) for child in node if isinstance(child, dict | list))
    return deepest


class GuardedParser(FlaskParser):
    """webargs' Flask parser, with the body's nesting capped before any schema sees it.

    ``unknown=None`` lets each schema's Meta.unknown (RAISE) decide, so a typo such as
    ``regoin=`` is refused instead of silently returning unfiltered results.
    """

    def __init__(self) -> None:
        super().__init__(unknown=None)

    def _raw_load_json(self, req: Request) -> Any:
        try:
            data = super()._raw_load_json(req)
        except RecursionError as exc:  # the C decoder gives up around 1,000 levels
            raise TooDeep() from exc
        if data is not core.missing and json_depth(data) > MAX_JSON_DEPTH:
            raise TooDeep()
        return data


def install() -> None:
    """Make every flask-smorest Blueprint parse with the guarded parser (before views are decorated)."""
    from flask_smorest import Blueprint

    if not isinstance(Blueprint.ARGUMENTS_PARSER, GuardedParser):
        Blueprint.ARGUMENTS_PARSER = GuardedParser()
