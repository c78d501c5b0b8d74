"""The one path every import takes: check the whole file, then write all of it or nothing.

A file with any problem row creates nothing: the report lists every problem of every row and the
rows to fix can be downloaded, so a dry run that passes means the real run cannot fail halfway.
A clean file is written in one transaction, rows in a fixed order (two uploads sharing rows wait
on each other, never deadlock): when a concurrent upload of the same file committed some rows
first, the transaction starts again without them (they count as duplicates); any other failure
rolls the whole file back. (No savepoints: pysqlite would commit the outermost one on release.)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.exc import IntegrityError

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import Conflict, Forbidden
from matchmaker.importing import rejected
from matchmaker.importing.rows import Row, import_report
from matchmaker.services.uow import UnitOfWork, unit_of_work

RETRIES = 3


class RowFailed(Conflict):
    """A row the database refused during the real run: the whole file was rolled back."""


@dataclass
class Importer:
    """What differs between kinds: how checked rows are written (in the order given, returning what
    was written), and how to see that a row already is there."""

    kind: str
    write_rows: Callable[[list[Row], UnitOfWork], list[Any]]
    exists: Callable[[Row], bool]


def require_importer(actor: Actor, message: str) -> None:
    """Admins, and staff with a region scope, may import; 403 with ``message`` otherwise."""
    if not (policy.is_admin(actor) or (actor.has_role("staff") and actor.user and actor.user.region_scope)):
        raise Forbidden(message)


def _write(importer: Importer, rows: list[Row]) -> int:
    """All rows in one go (a few statements); when the database refuses, again row by row in a new
    transaction, so the refusal is pinned on its row (_Refused) and the first attempt left nothing."""
    ordered = sorted(rows, key=lambda r: r.ref)
    try:
        with unit_of_work() as uow:
            return len(importer.write_rows(ordered, uow))
    except IntegrityError:
        pass
    with unit_of_work() as uow:
        for row in ordered:
            try:
                importer.write_rows([row], uow)
            except IntegrityError as exc:
                raise _Refused(row, exc) from exc
    return len(ordered)  # pragma: no cover - only when the refusal went away in between


class _Refused(Exception):
    def __init__(self, row: Row, exc: IntegrityError) -> None:
        super().__init__(str(exc.orig))
        self.row = row


def _write_all_or_nothing(importer: Importer, rows: list[Row]) -> int:
    """Write the rows in one transaction; a row a concurrent upload committed meanwhile makes it
    start again without the rows now there (a few times at most), any other refusal rolls back."""
    for _ in range(RETRIES):
        try:
            return _write(importer, rows)
        except _Refused as refused:
            if not importer.exists(refused.row):
                raise RowFailed(
                    f"第 {refused.row.number} 行写入数据库失败，整个文件均未导入（没有创建任何一行），"
                    "请检查后重新导入",
                    errors={"file": [f"第 {refused.row.number} 行：{str(refused)[:200]}"]},
                ) from refused
            for row in rows:
                row.duplicate = importer.exists(row)
            rows = [row for row in rows if not row.duplicate]
    raise Conflict("同一文件正在被多次同时导入，请稍后重试")


def complete(
    importer: Importer, headers: list[str], rows: list[Row], *, actor: Actor, dry_run: bool
) -> dict[str, Any]:
    """Write every new row of a clean file (unless dry_run), or none; returns the report."""
    bad = [row for row in rows if not row.ok]
    fresh = [row for row in rows if row.ok and not row.duplicate]
    created, file_id = 0, None
    if bad and not dry_run:
        file_id = rejected.store(rejected.workbook(headers, bad), actor=actor, kind=importer.kind)
    elif fresh and not dry_run:
        created = _write_all_or_nothing(importer, fresh)
    return import_report(importer.kind, rows, dry_run=dry_run, created=created, file_id=file_id)
