"""What makes the OpenAPI document valid and useful: bounded path ids, numeric bounds as numbers,
an operationId on every operation, ``security: []`` on the public ones, the real error schema.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from matchmaker.schemas.guards import INT_MAX, json_number

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")

# Operations anyone may call without a token, by Flask endpoint. PUBLIC ones ignore a token
# (`security: []`); OPTIONAL ones show more to a signed-in caller (`security: [{}, bearer]`).
# Every other operation needs a bearer token; tests/api/test_openapi.py checks both lists
# against what the views really do.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.register",
        "auth.login",
        "taxonomy.list_regions",
        "taxonomy.get_region",
        "taxonomy.field_list",
        "taxonomy.vocabularies",
        "exports.catalogue",
        "imports.template",
        "notifications.unsubscribe",
    }
)
OPTIONAL_ENDPOINTS = frozenset(
    {
        "organizations.list_orgs",
        "organizations.get_org",
        "needs.list_",
        "needs.get",
        "outputs.list_",
        "outputs.get",
        "search.search",
        "search.suggest",
        "events.list_events",
        "events.get",
        "challenges.list_",
        "challenges.get",
        "challenge_award.result",
    }
)


class BoundedInt(IntegerConverter):
    """``<int:...>`` in a URL: a non-negative id that fits a PostgreSQL integer (else 404)."""

    def __init__(self, map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = None):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=INT_MAX if max is None else max)


def bounded_int_schema(converter: BoundedInt) -> dict[str, Any]:
    """The path parameter's schema: 0 to the converter's maximum."""
    return {"type": "integer", "minimum": converter.min or 0, "maximum": converter.max}


def numbers_as_numbers(self: Any, field: Any, ret: dict[str, Any], **_: Any) -> dict[str, Any]:
    """apispec writes Decimal bounds as strings; OpenAPI wants numbers."""
    return {key: json_number(ret[key]) for key in ("minimum", "maximum") if key in ret}


def operation_id(endpoint: str, method: str, methods: int) -> str:
    """`needs_get`, or `notifications_unsubscribe_post` when one endpoint serves several methods."""
    name = endpoint.replace(".", "_").rstrip("_")
    return f"{name}_{method}" if methods > 1 else name


class OperationsPlugin(BasePlugin):
    """Names each operation and marks the public ones as needing no token."""

    def operation_helper(self, path: str | None = None, operations: Any = None, **kwargs: Any) -> None:
        """Called once per URL rule with its operations."""
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        methods = [m for m in operations if m in HTTP_METHODS]
        for method in methods:
            operation = operations[method]
            operation.setdefault("operationId", operation_id(rule.endpoint, method, len(methods)))
            if rule.endpoint in PUBLIC_ENDPOINTS:
                operation["security"] = []
            elif rule.endpoint in OPTIONAL_ENDPOINTS:
                operation["security"] = [{}, {"bearer": []}]
            else:
                operation.setdefault("responses", {}).setdefault("401", "UNAUTHORIZED")


def install_converter(app: Flask) -> None:
    """Route ``<int:...>`` through BoundedInt (before any blueprint adds its rules)."""
    app.url_map.converters["int"] = BoundedInt


def configure(api: Any) -> None:
    """Register the converter's schema, the bounds fix and the operations plugin on the Api."""
    api.register_converter(BoundedInt, bounded_int_schema)
    api.ma_plugin.converter.add_attribute_function(numbers_as_numbers)
    plugin = OperationsPlugin()
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)
