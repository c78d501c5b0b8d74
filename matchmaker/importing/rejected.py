"""Rejected rows kept as an Excel file under the instance folder, behind an unguessable id.

Only the uploader, staff whose scope covers the uploader's region, and admins may download it.
"""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path

from flask import current_app

from matchmaker.auth import policy
from matchmaker.auth.actor import Actor
from matchmaker.errors import NotFound
from matchmaker.importing.rows import Row
from matchmaker.reports.spreadsheets import Sheet, workbook_bytes

_ID = re.compile(r"^[A-Za-z0-9_-]{24,64}$")


def _folder() -> Path:
    folder = Path(current_app.config.get("IMPORTS_DIR") or Path(current_app.instance_path) / "imports")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def workbook(headers: list[str], rows: list[Row]) -> bytes:
    """The rejected rows as a workbook: original cells plus 行号 and 错误说明 (built before any write)."""
    body = [[row.number, "；".join(f"「{col}」{msg}" for col, msg in row.errors), *row.cells] for row in rows]
    return workbook_bytes([Sheet("未导入的行", ["行号", "错误说明", *headers], body, widths=(6, 60))])


def store(content: bytes, *, actor: Actor, kind: str) -> str:
    """Keep a rejected-rows workbook for the uploader and staff in scope; returns the file's id."""
    file_id = secrets.token_urlsafe(24)
    folder = _folder()
    (folder / f"{file_id}.xlsx").write_bytes(content)
    scope = actor.user.region_scope if actor.user else None
    meta = {"user_id": actor.user_id, "region": scope, "kind": kind}
    (folder / f"{file_id}.json").write_text(json.dumps(meta), "utf-8")
    return file_id


def load(file_id: str, *, actor: Actor) -> bytes:
    """The rejected-rows file, if this caller may have it (404 otherwise, so ids cannot be probed)."""
    folder = _folder()
    if not _ID.match(file_id) or not (folder / f"{file_id}.json").is_file():
        raise NotFound("未找到该文件")
    meta = json.loads((folder / f"{file_id}.json").read_text("utf-8"))
    allowed = (
        policy.is_admin(actor)
        or (actor.user_id is not None and actor.user_id == meta["user_id"])
        or (meta["region"] is not None and policy.staff_covers(actor, meta["region"]))
    )
    if not allowed:
        raise NotFound("未找到该文件")
    return (folder / f"{file_id}.xlsx").read_bytes()
