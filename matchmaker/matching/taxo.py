"""Thin, defensive access to the taxonomy for matching: names and paths, or plain fallbacks.

Matching stays usable on bare data (benchmarks, batch files) when a code is unknown or the
taxonomy package is missing: a field path falls back to the dotted code's prefixes and a name to "".
"""

from __future__ import annotations

from functools import cache
from types import ModuleType


@cache
def _module(name: str) -> ModuleType | None:
    try:
        module = __import__(f"matchmaker.taxonomy.{name}", fromlist=[name])
    except ImportError:
        return None
    return module


def field_path(code: str) -> list[str]:
    """Codes from the top-level field down to ``code`` (dotted-prefix fallback for unknown codes)."""
    fields = _module("fields")
    found = list(fields.path(code)) if fields is not None else []
    if found:
        return found
    parts = code.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def field_name(code: str) -> str:
    """Chinese name of a field, "" when unknown."""
    fields = _module("fields")
    return fields.name(code) if fields is not None else ""


def region_name(code: str) -> str:
    """Chinese name of a region ("金湖县"), "" when unknown."""
    regions = _module("regions")
    return regions.name(code) if regions is not None else ""


def mode_label(code: str) -> str:
    """Chinese label of a cooperation mode, the code itself when unknown."""
    vocab = _module("vocab")
    return vocab.COOP_MODES.get(code, code) if vocab is not None else code


def stage_trl(stage: str | None) -> tuple[int, int] | None:
    """Readiness-level range of a maturity stage ("pilot" -> (6, 7)), None when unknown."""
    vocab = _module("vocab")
    if vocab is None or not stage:
        return None
    try:
        return vocab.trl_range(stage)
    except ValueError:
        return None
