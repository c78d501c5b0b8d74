"""Industry fields (产业领域): a two-level tree with stable ASCII codes and Chinese names.

Top-level codes are single words ("instrument"); a child's code is its parent's code, a dot and
its own word ("instrument.sensor"). Codes are stable: fields are added, never renamed. Each node
also carries domain terms (e.g. 流量计 under 流量仪表) used for the segmentation dictionary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any


@dataclass(frozen=True, slots=True)
class Field:
    """One industry field: code, Chinese name, parent code and its domain terms."""

    code: str
    name: str
    parent: str | None
    terms: tuple[str, ...] = ()


@cache
def _raw() -> tuple[dict[str, Any], ...]:
    """The top-level nodes as stored in the packaged JSON."""
    text = files("matchmaker.taxonomy").joinpath("data/fields.json").read_text("utf-8")
    return tuple(json.loads(text)["fields"])


@cache
def _fields() -> dict[str, Field]:
    """All fields by code, parents before their children."""
    found: dict[str, Field] = {}
    for top in _raw():
        found[top["code"]] = Field(top["code"], top["name"], None, tuple(top.get("terms", ())))
        for child in top.get("children", ()):
            found[child["code"]] = Field(
                child["code"], child["name"], top["code"], tuple(child.get("terms", ()))
            )
    return found


def get(code: str | None) -> Field | None:
    """The field with this code, or None."""
    return _fields().get(code) if code else None


def exists(code: str | None) -> bool:
    """Whether the code names a known field."""
    return get(code) is not None


def name(code: str | None) -> str:
    """Chinese name of the field, "" if unknown."""
    field = get(code)
    return field.name if field else ""


def path(code: str | None) -> list[str]:
    """Codes from the top-level field down to this one, e.g. ["instrument", "instrument.sensor"]."""
    chain: list[str] = []
    field = get(code)
    while field is not None:
        chain.append(field.code)
        field = get(field.parent)
    return chain[::-1]


def full_name(code: str | None, sep: str = " / ") -> str:
    """Names from the top down, e.g. "仪器仪表 / 传感器"; "" if unknown."""
    return sep.join(_fields()[part].name for part in path(code))


def within(scope: str | None, code: str | None) -> bool:
    """Whether the field is the scope field or lies under it."""
    return scope is not None and scope in path(code)


def top(code: str | None) -> str | None:
    """Code of the top-level field containing this one (itself for a top-level field)."""
    chain = path(code)
    return chain[0] if chain else None


def roots() -> list[str]:
    """Codes of the top-level fields, in display order."""
    return [f.code for f in _fields().values() if f.parent is None]


def children(code: str | None) -> list[str]:
    """Codes of the direct children of a field, in display order."""
    return [f.code for f in _fields().values() if code is not None and f.parent == code]


def codes() -> list[str]:
    """Every field code, each top-level field followed by its children."""
    return list(_fields())


def tree() -> list[dict[str, Any]]:
    """The whole tree as fresh nested dicts: [{code, name, children: [{code, name, children}]}]."""
    return [_node(code) for code in roots()]


def _node(code: str) -> dict[str, Any]:
    """One field and its subtree as a plain dict."""
    return {"code": code, "name": _fields()[code].name, "children": [_node(c) for c in children(code)]}


@cache
def _terms() -> tuple[str, ...]:
    """Field names and domain terms, de-duplicated, in tree order."""
    seen: dict[str, None] = {}
    for field in _fields().values():
        for term in (field.name, *field.terms):
            seen.setdefault(term, None)
    return tuple(seen)


def all_terms() -> list[str]:
    """Chinese field names and domain terms, for the jieba user dictionary."""
    return list(_terms())


def terms(code: str | None) -> list[str]:
    """The field's own name and domain terms (not its children's)."""
    field = get(code)
    return [field.name, *field.terms] if field else []


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Per field, one pattern matching its name or any term; Latin terms only as whole words."""
    found = []
    for field in _fields().values():
        parts = [
            rf"(?<![A-Za-z0-9]){re.escape(t)}(?![A-Za-z0-9])" if t.isascii() else re.escape(t)
            for t in sorted((field.name, *field.terms), key=len, reverse=True)
        ]
        found.append((field.code, re.compile("|".join(parts), re.IGNORECASE)))
    return tuple(found)


def suggest(text: str) -> list[str]:
    """Field codes whose name or a term occurs in the text, sub-fields before top-level ones."""
    hits = [code for code, pattern in _patterns() if pattern.search(text)]
    return sorted(hits, key=lambda c: "." not in c)
