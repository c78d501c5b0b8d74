"""Keyset pagination: an opaque cursor holding the sort keys of a page's last row.

A page read "after" a cursor seeks straight to the next rows through the ordering index, so the
1,000th page costs what the first does, where OFFSET reads and drops every row before it. A sort
is a list of keys (SQL expression, ascending?, kind); a key whose value is NULL compares only by
the keys after it, which is right because every nullable key here comes after an "is null" key.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, false, literal, or_, tuple_

from matchmaker.errors import ValidationFailed


@dataclass(frozen=True)
class Key:
    """One sort key: the expression, its direction, how its value is written in a cursor."""

    expr: Any
    ascending: bool
    kind: str = "int"  # int, num, date, datetime

    def order(self) -> Any:
        """The ORDER BY term."""
        return self.expr.asc() if self.ascending else self.expr.desc()


def _dump(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _load(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return datetime.fromisoformat(value)
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "num":
        return Decimal(str(value))
    if not isinstance(value, int):
        raise ValueError(value)
    return value


def encode(sort: str, values: list[Any]) -> str:
    """The cursor after a row whose sort keys are ``values``."""
    raw = json.dumps({"s": sort, "v": [_dump(v) for v in values]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, sort: str, keys: list[Key]) -> list[Any]:
    """The sort key values of a cursor; a 422 naming ``after`` when it is not one of ours for this sort."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if raw["s"] != sort or len(raw["v"]) != len(keys):
            raise ValueError("another sort")
        return [_load(key.kind, value) for key, value in zip(keys, raw["v"], strict=True)]
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        message = "分页游标无效或与当前排序不符，请从第一页重新开始（after: invalid cursor for this sort）"
        raise ValidationFailed(errors={"after": [message]}) from exc


def after(keys: list[Key], values: list[Any]) -> Any:
    """WHERE clause for the rows that sort strictly after the given key values."""
    if None not in values and len({key.ascending for key in keys}) == 1:
        # one direction, no NULLs: a row-value comparison, which both engines seek in an index
        typed = (literal(value, key.expr.type) for key, value in zip(keys, values, strict=True))
        row, at = tuple_(*(key.expr for key in keys)), tuple_(*typed)
        return row > at if keys[0].ascending else row < at
    alternatives = []
    for i, (key, value) in enumerate(zip(keys, values, strict=True)):
        if value is None:
            continue
        same = [
            k.expr.is_(None) if v is None else k.expr == v for k, v in zip(keys[:i], values[:i], strict=True)
        ]
        alternatives.append(and_(*same, key.expr > value if key.ascending else key.expr < value))
    return or_(*alternatives) if alternatives else false()
