"""Importing the provincial registration system's export (技术合同登记系统导出表) into the register.

The export's Chinese headers map to register fields (several spellings accepted); each row is
checked like manual entry, must have its buyer or seller in the importer's scope, and is keyed by
its 合同登记号: a number already in the register (from an earlier import, a match or manual entry)
is a duplicate, so uploading the same export again creates nothing new. Dry run reports only;
a real run writes the whole file in one transaction, or nothing when any row has a problem
(importing/flow.py), and keeps the rows to fix as a file.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.extensions import db
from matchmaker.importing.columns import Column
from matchmaker.importing.flow import Importer, complete, require_importer
from matchmaker.importing.reading import read_table
from matchmaker.importing.rows import SPLIT, Row, convert, field_of, load_schema, map_headers, read_cells
from matchmaker.models import Organization, TechContract
from matchmaker.models.contracts.register import CONTRACT_TYPES
from matchmaker.schemas.contracts.register import TechContractCreate
from matchmaker.services.contracts.register import add_contract, find
from matchmaker.services.uow import UnitOfWork
from matchmaker.taxonomy import regions

KIND = "contract"
_SUFFIX = re.compile(r"[（(].*?[)）]$")  # 技术开发（委托） -> 技术开发


def region_of(text: str) -> str:
    """A region code from a code, a full name (江苏省淮安市金湖县) or a unique short name (金湖县)."""
    text = text.strip()
    if regions.exists(text):
        return text
    full = [code for code in regions.all_codes() if regions.full_name(code) == text]
    hits = full or regions.find(text)
    counties = [code for code in hits if regions.level(code) == "county"] or hits
    if len(counties) != 1:
        raise ValueError(f"无法确定地区“{text}”，请填写行政区划代码或完整名称")
    return counties[0]


def _cell(column: Column, text: str) -> Any:
    if column.key == "contract_type":
        label = _SUFFIX.sub("", text)
        found = [code for code, name in CONTRACT_TYPES.items() if label in (code, name)]
        if not found:
            raise ValueError(f"“{text}”不是合同类型，应为：{'、'.join(CONTRACT_TYPES.values())}")
        return found[0]
    if column.kind == "loose_fields":
        known = []
        for item in (part.strip() for part in SPLIT.split(text) if part.strip()):
            try:
                known.append(field_of(item))
            except ValueError:
                continue  # the province's own field names need not match the platform's tree
        return known[:5]
    if column.key.endswith("_region"):
        return region_of(text)
    return convert(column, text)


def _link_parties(row: Row, values: dict[str, Any]) -> None:
    """Sides with a code registered on the platform are linked to that organisation."""
    for side in ("buyer", "seller"):
        uscc = (values.pop(f"{side}_uscc", "") or "").strip().upper()
        org = db.session.scalar(select(Organization).where(Organization.uscc == uscc)) if uscc else None
        if org is not None:
            values[f"{side}_org_id"] = org.id


def _load(row: Row, values: dict[str, Any], headers: dict[str, str], actor: Actor) -> None:
    ok = not row.errors
    data = load_schema(TechContractCreate(), row, values, headers)
    sides = [values.get(f"{side}_region") for side in ("buyer", "seller")]
    known = [region for region in sides if region]
    if known and not policy.is_admin(actor) and not any(policy.staff_covers(actor, r) for r in known):
        row.errors.append((headers["buyer_region"], "买方和卖方都不在您的辖区内"))
    if ok and not row.errors:
        row.data = data


def check_row(row: Row, columns: dict[int, Column], actor: Actor) -> None:
    """Fill row.data and row.ref (the contract number), or row.errors with every problem at once."""
    headers = {c.key: c.header for c in columns.values()}
    values = read_cells(row, columns, _cell)
    row.ref = str(values.get("number", "")).strip()
    _link_parties(row, values)
    _load(row, values, headers, actor)


def check_table(table: list[list[str]], actor: Actor) -> list[Row]:
    """Every non-blank row checked; numbers repeated in the file or already registered are marked."""
    columns = map_headers(KIND, table[0])
    rows = [Row(number=i + 2, cells=cells) for i, cells in enumerate(table[1:]) if any(cells)]
    seen: dict[str, int] = {}
    for row in rows:
        check_row(row, columns, actor)
        if row.ok and row.ref in seen:
            row.errors.append(("合同登记号", f"与第 {seen[row.ref]} 行重复"))
        seen.setdefault(row.ref, row.number)
    refs = [row.ref for row in rows if row.ok]
    existing = set(db.session.scalars(select(TechContract.number).where(TechContract.number.in_(refs))))
    for row in rows:
        row.duplicate = row.ok and row.ref in existing
    return rows


def _importer(actor: Actor) -> Importer:
    def write_rows(rows: list[Row], uow: UnitOfWork) -> list[Any]:
        return [add_contract(row.data, actor=actor, source="import") for row in rows]

    return Importer(KIND, write_rows, lambda row: find(row.ref) is not None)


def import_contracts(*, actor: Actor, filename: str, content: bytes, dry_run: bool) -> dict[str, Any]:
    """Check (and unless dry_run, import) a registration export, all rows or none; returns the report."""
    require_importer(actor, "只有科技局工作人员可以导入技术合同")
    table = read_table(filename, content)
    return complete(_importer(actor), table[0], check_table(table, actor), actor=actor, dry_run=dry_run)
