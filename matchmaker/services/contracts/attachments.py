"""Attachments of filings: PDF and images only (checked by their first bytes), size-capped, stored by key.

Files live under ``FILINGS_DIR`` (default ``instance/filings``) named by an unguessable key; the
database keeps the name the user gave, the type and the size. Only the filing's enterprise and
staff in scope may read them (the caller checks).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from matchmaker.errors import ValidationFailed

MAX_BYTES = 4 * 1024 * 1024  # under the request cap (MAX_CONTENT_LENGTH, 5 MB)
SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def _folder() -> Path:
    folder = Path(current_app.config.get("FILINGS_DIR") or Path(current_app.instance_path) / "filings")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sniff(content: bytes) -> str:
    """The content type from the file's first bytes (422 unless PDF, PNG or JPEG, or too large)."""
    if len(content) > MAX_BYTES:
        raise ValidationFailed("附件不能超过 4 MB", errors={"file": ["附件不能超过 4 MB"]})
    for signature, mime in SIGNATURES.items():
        if content.startswith(signature):
            return mime
    raise ValidationFailed(
        "附件仅支持 PDF、PNG 或 JPEG", errors={"file": ["附件仅支持 PDF、PNG 或 JPEG 格式"]}
    )


def store(content: bytes) -> str:
    """Write the bytes and return their storage key."""
    key = secrets.token_urlsafe(24)
    (_folder() / key).write_bytes(content)
    return key


def read(key: str) -> bytes:
    """The stored bytes of a key."""
    return (_folder() / key).read_bytes()
