"""The three objection views every 公示 serves (揭榜挂帅 results, 奖补 lists), registered from one place.

File an objection during the window (anyone signed in), list them (staff in scope: all; anyone
else: their own) and record how one was handled (staff in scope). The rules themselves live in
services/publicity.py and each domain's service, which takes the owner's id first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_smorest import Blueprint

from matchmaker.api.http.context import signed_in


@dataclass(frozen=True)
class ObjectionApi:
    """What one 公示 plugs in: its service module, its schema module and name prefix, the summaries."""

    service: Any  # file_objection(owner_id, *, actor, **data), list_objections, handle_objection
    schemas: Any  # holds {prefix}Objection and {prefix}ObjectionCreate, …List, …Handle
    prefix: str
    docs: tuple[str, str, str]  # file, list, handle

    def schema(self, suffix: str) -> Any:
        """The domain's objection schema with this suffix ("", "Create", "List", "Handle")."""
        return getattr(self.schemas, f"{self.prefix}Objection{suffix}")


def _owner(path: dict[str, int]) -> int:
    (owner_id,) = path.values()  # the one path id besides objection_id: challenge_id or round_id
    return owner_id


def add_objection_views(blp: Blueprint, owner_rule: str, api: ObjectionApi) -> None:
    """Register POST/GET ``{owner_rule}/objections`` and POST ``…/objections/{objection_id}/handle``."""

    def file_objection(data, **path):
        return api.service.file_objection(_owner(path), actor=signed_in(), **data)

    def objections(**path):
        return {"items": api.service.list_objections(_owner(path), actor=signed_in())}

    def handle_objection(data, objection_id, **path):
        return api.service.handle_objection(_owner(path), objection_id, actor=signed_in(), **data)

    for view, doc in zip((file_objection, objections, handle_objection), api.docs, strict=True):
        view.__doc__ = doc
    rule = f"{owner_rule}/objections"
    one = api.schema("")
    blp.route(rule, methods=["POST"])(
        blp.arguments(api.schema("Create"))(blp.response(201, one)(file_objection))
    )
    blp.route(rule, methods=["GET"])(blp.response(200, api.schema("List"))(objections))
    handle = blp.arguments(api.schema("Handle"))(blp.response(200, one)(handle_objection))
    blp.route(f"{rule}/<int:objection_id>/handle", methods=["POST"])(handle)
