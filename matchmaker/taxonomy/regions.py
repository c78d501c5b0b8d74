"""Administrative regions (行政区划) by GB/T 2260 six-digit code: province, city and county.

Municipalities (直辖市) have no city level: their districts hang directly under the province,
and so do the counties a province administers itself (省直辖县级行政区划, e.g. 仙桃市 429004).
Lookups take the canonical six-digit string; ``normalize`` turns user input such as 320831,
"32" (江苏省) or "3208" (淮安市) into it. Unknown codes never raise: they yield None, [] or "".
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

Level = Literal["province", "city", "county"]
LEVELS: tuple[Level, ...] = ("province", "city", "county")
_SUFFIXES = frozenset(
    {"省", "市", "区", "县", "旗", "盟", "地区", "林区", "特区", "自治区", "自治州", "自治县", "特别行政区"}
)


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative division: code, Chinese name, level and parent code."""

    code: str
    name: str
    level: Level
    parent: str | None


@cache
def _regions() -> dict[str, Region]:
    """All regions by code, loaded once from the packaged JSON."""
    raw = json.loads(files("matchmaker.taxonomy").joinpath("data/regions.json").read_text("utf-8"))
    return {
        code: Region(code=code, name=name, level=level, parent=parent)
        for code, (name, level, parent) in raw["regions"].items()
    }


@cache
def _children() -> dict[str, tuple[str, ...]]:
    """Direct children of every region, in code order."""
    index: dict[str, list[str]] = {}
    for region in _regions().values():
        if region.parent is not None:
            index.setdefault(region.parent, []).append(region.code)
    return {parent: tuple(sorted(codes)) for parent, codes in index.items()}


def normalize(code: str | int | None) -> str | None:
    """Canonical six-digit code from user input (int, or 2/4/6 digits), if the region exists."""
    if code is None or isinstance(code, bool):
        return None
    text = str(code).strip()
    if not text.isdigit() or len(text) not in (2, 4, 6):
        return None
    text = text.ljust(6, "0")
    return text if text in _regions() else None


def _key(code: str | None) -> str | None:
    """The code itself if it is a known canonical code, else None."""
    return code if isinstance(code, str) and code in _regions() else None


def get(code: str | None) -> Region | None:
    """The region with this six-digit code, or None if there is none."""
    key = _key(code)
    return _regions()[key] if key else None


def exists(code: str | None) -> bool:
    """Whether the value is the six-digit code of a known region."""
    return _key(code) is not None


def level(code: str | None) -> Level | None:
    """'province', 'city' or 'county' for a known code, else None."""
    region = get(code)
    return region.level if region else None


def path(code: str | None) -> list[str]:
    """Codes from the province down to this region, e.g. ["320000", "320800", "320831"]."""
    region = get(code)
    chain: list[str] = []
    while region is not None:
        chain.append(region.code)
        region = _regions().get(region.parent) if region.parent else None
    return chain[::-1]


def within(scope: str | None, code: str | None) -> bool:
    """Whether the region lies in the scope region (a region is within itself)."""
    key = _key(scope)
    return key is not None and key in path(code)


def children(code: str | None) -> list[str]:
    """Direct subdivisions of a region, in code order."""
    key = _key(code)
    return list(_children().get(key, ())) if key else []


def descendants(code: str | None) -> list[str]:
    """Every region below this one (not itself), in code order."""
    found: list[str] = []
    pending = children(code)
    while pending:
        current = pending.pop()
        found.append(current)
        pending.extend(_children().get(current, ()))
    return sorted(found)


def full_name(code: str | None) -> str:
    """Names from the province down joined, e.g. "江苏省淮安市金湖县"; "" if unknown."""
    return "".join(_regions()[part].name for part in path(code))


def name(code: str | None) -> str:
    """The region's own name, e.g. "金湖县"; "" if unknown."""
    region = get(code)
    return region.name if region else ""


def province_of(code: str | None) -> str | None:
    """Code of the province-level division containing the region (itself for a province)."""
    chain = path(code)
    return chain[0] if chain else None


def city_of(code: str | None) -> str | None:
    """Code of the prefecture-level city containing the region (itself for a city).

    A municipality stands for its own city ("110105" -> "110000"); a county administered
    directly by a province has no city and gives None, as does a province.
    """
    chain = path(code)
    if len(chain) >= 2 and _regions()[chain[1]].level == "city":
        return chain[1]
    if chain and province_is_municipality(chain[0]):
        return chain[0]
    return None


def province_is_municipality(code: str | None) -> bool:
    """Whether a province-level code is one of the four municipalities (直辖市)."""
    return code in {"110000", "120000", "310000", "500000"}


def provinces() -> list[str]:
    """Codes of all province-level divisions, in code order."""
    return [r.code for r in _regions().values() if r.level == "province"]


def all_codes(levels: Iterable[Level] = LEVELS) -> list[str]:
    """Codes of every region at the given levels, in code order."""
    wanted = set(levels)
    return [r.code for r in _regions().values() if r.level in wanted]


def find(region_name: str, scope: str | None = None) -> list[str]:
    """Codes named region_name, with or without its suffix ("淮安" -> 淮安市, 淮安区), in scope."""
    text = region_name.strip()
    if not text:
        return []
    hits = [
        r.code
        for r in _regions().values()
        if r.name == text or (r.name.startswith(text) and r.name[len(text) :] in _SUFFIXES)
    ]
    return [code for code in hits if scope is None or within(scope, code)]
