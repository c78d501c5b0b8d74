"""File responses (Excel, Word, CSV) with a UTF-8 download name."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Response

MIMES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


# The documented media types: the same as sent, without the charset parameter.
DOC_MIMES = {extension: mime.split(";")[0] for extension, mime in MIMES.items()}


def file_doc(*extensions: str) -> dict[str, Any]:
    """``blp.doc(**file_doc("xlsx"))``: the 200 response may be a file of these types."""
    binary = {"schema": {"type": "string", "format": "binary"}}
    return {"responses": {200: {"content": {DOC_MIMES[e]: binary for e in extensions}}}}


def download(content: bytes, filename: str) -> Response:
    """The bytes as an attachment; the Chinese file name is sent RFC 6266 style (filename*)."""
    extension = filename.rsplit(".", 1)[-1]
    response = Response(content, mimetype=MIMES[extension])
    ascii_name = f"download.{extension}"
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
