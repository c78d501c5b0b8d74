"""File responses (Excel, Word, CSV) with a UTF-8 download name."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response

MIMES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


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
