"""Checking uploaded rows: headers to fields, Chinese labels to codes, the create schemas, scope.

Every problem is reported with its spreadsheet row number and column header, in Chinese.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from marshmallow import ValidationError
from sqlalchemy import select

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import ValidationFailed, translate
from matchmaker.extensions import db
from matchmaker.importing.columns import COLUMNS, Column
from matchmaker.importing.reading import Formula, bad_file
from matchmaker.models import LISTING_MODELS, Organization
from matchmaker.schemas.guards import FORBIDDEN
from matchmaker.schemas.listings import NeedCreate, OutputCreate
from matchmaker.services.listings.workflow import check_rules
from matchmaker.taxonomy import fields as field_tree

SCHEMAS = {"need": NeedCreate, "output": OutputCreate}
SPLIT = re.compile(r"[;；,，、\n]+")
TRUE, FALSE = {"是", "可议", "true", "1", "yes", "y"}, {"否", "不可议", "false", "0", "no", "n"}


@dataclass
class Row:
    """One data row: where it is, what it said, what it became, and what is wrong with it."""

    number: int
    cells: list[str]
    data: dict[str, Any] = field(default_factory=dict)
    org: Organization | None = None
    ref: str = ""
    duplicate: bool = False
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problems found."""
        return not self.errors


@cache
def _field_names() -> dict[str, str]:
    return {field_tree.name(code): code for code in field_tree.codes()}


def _clean_header(text: str) -> str:
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", text)


def map_headers(kind: str, headers: list[str]) -> dict[int, Column]:
    """Column index -> template column; a missing required column rejects the whole file."""
    by_header = {_clean_header(h): c for c in COLUMNS[kind] for h in (c.header, *c.aliases)}
    found = {i: by_header[_clean_header(h)] for i, h in enumerate(headers) if _clean_header(h) in by_header}
    missing = [c.header for c in COLUMNS[kind] if c.required and c not in found.values()]
    if missing:
        raise bad_file(f"缺少必填列：{'、'.join(missing)}（请使用导入模板）")
    return found


def _code(column: Column, text: str) -> str:
    vocab = column.vocab or {}
    if text in vocab:
        return text
    for code, label in vocab.items():
        if label == text:
            return code
    raise ValueError(f"“{text}”不是可选值，应为：{'、'.join(vocab.values())}")


def field_of(text: str) -> str:
    """A field code from its code or Chinese name (ValueError otherwise)."""
    if field_tree.exists(text):
        return text
    if text in _field_names():
        return _field_names()[text]
    raise ValueError(f"未知的产业领域：“{text}”")


def convert(column: Column, text: str) -> Any:
    """A cell's text as schema input; ValueError with a Chinese message when it cannot be read."""
    items = [part.strip() for part in SPLIT.split(text) if part.strip()]
    if column.kind in ("list", "fields", "vocab_list"):
        if column.kind == "fields":
            return [field_of(item) for item in items]
        return [_code(column, item) if column.kind == "vocab_list" else item for item in items]
    if column.kind == "vocab":
        return _code(column, text)
    if column.kind == "date":
        return re.sub(r"[/.年月]", "-", text).rstrip("日-")
    if column.kind == "bool":
        if text.lower() not in TRUE | FALSE:
            raise ValueError("应填写“是”或“否”")
        return text.lower() in TRUE
    return text


def cell_problem(text: Any) -> str | None:
    """Why a cell cannot be read at all: a formula, or characters no listing may hold."""
    if isinstance(text, Formula):
        return f"该单元格是公式（{text[:40]}），请直接填写内容，不要使用公式"
    if FORBIDDEN.search(text):
        return "含有不可见的控制字符（如 NUL），请删除后重新导入"
    return None


def external_ref(kind: str, uscc: str, title: str) -> str:
    """Stable id of a row's key fields (kind, organisation code, title): re-imports find it again."""
    key = unicodedata.normalize("NFKC", f"{kind}|{uscc}|{' '.join(title.split())}")
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def load_schema(schema: Any, row: Row, values: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    """Load values with the create schema; every message goes to row.errors, except those on a
    column whose cell was already reported (a bad cell is not also "required"). Returns the valid part."""
    reported = {column for column, _ in row.errors}
    try:
        return schema.load(values)
    except ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {"_": exc.messages}
        for key, messages in errors.items():
            if headers.get(key, key) in reported:
                continue
            for message in messages if isinstance(messages, list) else [str(messages)]:
                row.errors.append((headers.get(key, key), translate(str(message))))
        return exc.valid_data if isinstance(exc.valid_data, dict) else {}


def _load(kind: str, row: Row, values: dict[str, Any], headers: dict[str, str]) -> None:
    ok = not row.errors
    data = load_schema(SCHEMAS[kind](), row, values, headers)
    try:
        check_rules(kind, data)  # on the valid part too: a past deadline is told with a bad phone
    except ValidationFailed as exc:
        for key, messages in exc.errors.items():
            row.errors += [(headers.get(key, key), str(m)) for m in messages]
    if ok and not row.errors:
        row.data = data


def _organization(
    kind: str, row: Row, uscc: str, header: str, actor: Actor, known: dict[str, Organization | None]
) -> None:
    if uscc not in known:  # a file names few units, often on every row: one query for each
        found = select(Organization).where(Organization.uscc == uscc)
        known[uscc] = db.session.scalar(found) if uscc else None
    org = known[uscc]
    if org is None:
        row.errors.append((header, "未找到该统一社会信用代码对应的单位，请先在平台注册"))
    elif kind == "need" and org.kind != "enterprise":
        row.errors.append((header, f"{org.name}不是企业，不能发布技术需求"))
    elif kind == "output" and org.kind == "bureau":
        row.errors.append((header, f"{org.name}是科技局，不能发布科技成果"))
    elif not (policy.is_admin(actor) or policy.staff_covers(actor, org.region)):
        row.errors.append((header, f"{org.name}不在您的辖区内"))
    else:
        row.org = org


def read_cells(row: Row, columns: dict[int, Column], read: Callable[[Column, str], Any]) -> dict[str, Any]:
    """Each cell's value by field key (``read`` turns text into schema input); a formula, a control
    character or an unreadable value goes to row.errors with its column, and every cell is tried."""
    values: dict[str, Any] = {}
    for index, column in columns.items():
        text = row.cells[index] if index < len(row.cells) else ""
        problem = cell_problem(text)
        if problem:
            row.errors.append((column.header, problem))
            continue
        text = text.strip()
        if not text:
            continue
        try:
            values[column.key] = read(column, text)
        except ValueError as exc:
            row.errors.append((column.header, str(exc)))
    return values


def check_row(
    kind: str, row: Row, columns: dict[int, Column], actor: Actor, orgs: dict[str, Organization | None]
) -> None:
    """Fill row.data, row.org and row.ref, or row.errors with every (header, message) pair at once;
    ``orgs`` keeps the units already looked up by code."""
    headers = {c.key: c.header for c in columns.values()}
    values = read_cells(row, columns, convert)
    uscc = str(values.pop("uscc", "")).strip().upper()
    if headers["uscc"] not in {column for column, _ in row.errors}:
        _organization(kind, row, uscc, headers["uscc"], actor, orgs)
    _load(kind, row, values, headers)
    row.ref = external_ref(kind, uscc, values.get("title", ""))


def check_table(kind: str, table: list[list[str]], actor: Actor) -> tuple[list[str], list[Row]]:
    """Every non-blank data row checked; duplicates inside the file and already-imported rows marked."""
    columns = map_headers(kind, table[0])
    rows = [Row(number=i + 2, cells=cells) for i, cells in enumerate(table[1:]) if any(cells)]
    seen: dict[str, int] = {}
    orgs: dict[str, Organization | None] = {}
    for row in rows:
        check_row(kind, row, columns, actor, orgs)
        if row.ok and row.ref in seen:
            row.errors.append(("需求名称" if kind == "need" else "成果名称", f"与第 {seen[row.ref]} 行重复"))
        seen.setdefault(row.ref, row.number)
    model = LISTING_MODELS[kind]
    refs = [row.ref for row in rows if row.ok]
    existing = set(db.session.scalars(select(model.external_ref).where(model.external_ref.in_(refs))))
    for row in rows:
        row.duplicate = row.ok and row.ref in existing
    return table[0], rows


def _summary(rows: list[Row], bad: list[Row], *, dry_run: bool, created: int) -> str:
    if bad:
        verb = "正式导入时整个文件将不会导入" if dry_run else "整个文件未导入（没有创建任何一行）"
        return f"共 {len(rows)} 行，其中 {len(bad)} 行有问题，{verb}；请按错误说明修改后重新上传整个文件"
    fresh = sum(not row.duplicate for row in rows)
    if dry_run:
        return f"共 {len(rows)} 行，检查通过：可导入 {fresh} 行，此前已导入 {len(rows) - fresh} 行"
    return f"共 {len(rows)} 行，已导入 {created} 行，跳过此前已导入的 {len(rows) - created} 行"


def import_report(kind: str, rows: list[Row], *, dry_run: bool, created: int, file_id: str | None) -> dict:
    """The report of an import: counts, every rejected row's problems, the rejected-rows file."""
    bad = [row for row in rows if not row.ok]
    return {
        "kind": kind,
        "message": _summary(rows, bad, dry_run=dry_run, created=created),
        "dry_run": dry_run,
        "total_rows": len(rows),
        "valid": sum(row.ok and not row.duplicate for row in rows),
        "created": created,
        "duplicates": sum(row.duplicate for row in rows),
        "rejected": len(bad),
        "errors": [{"row": r.number, "column": col, "message": msg} for r in bad for col, msg in r.errors],
        "rejected_file_id": file_id,
    }
