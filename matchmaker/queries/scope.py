"""SQL conditions for region scope and JSON code lists, shared by every read and write path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, cast, or_

from matchmaker.taxonomy import regions


def region_clause(column: Any, code: str) -> Any:
    """SQL condition: the column's county code lies within the region (province, city or county)."""
    level = regions.level(code)
    if level == "province":
        return column.like(code[:2] + "%")
    if level == "city":
        return column.like(code[:4] + "%")
    return column == code


def json_list_contains(column: Any, code: str, *, prefix: bool = False) -> Any:
    """SQL condition on a JSON list of codes stored as text (works on SQLite and PostgreSQL)."""
    text = cast(column, String)
    exact = text.like(f'%"{code}"%')
    return or_(exact, text.like(f'%"{code}.%')) if prefix else exact
