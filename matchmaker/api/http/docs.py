"""Swagger UI's own files, served by the app so /api/docs renders with no outside network.

They come from the flask-swagger-ui wheel (pinned in requirements.txt), which ships the
swagger-ui-dist bundle; only its static files are used, flask-smorest renders the page.
"""

from __future__ import annotations

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, abort, send_from_directory

ASSETS = Path(flask_swagger_ui.__file__).resolve().parent / "dist"
ASSET_NAMES = frozenset(
    {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "favicon-32x32.png"}
)

bp = Blueprint("docs_assets", __name__, url_prefix="/api/docs/assets")


@bp.get("/<string:name>")
def asset(name: str):
    """One of the Swagger UI files the docs page loads (cached for a day: they change with the pin)."""
    if name not in ASSET_NAMES:
        abort(404)
    return send_from_directory(ASSETS, name, max_age=86400)


def version() -> str:
    """The bundled Swagger UI version (for the README and the tests)."""
    return (ASSETS / "VERSION").read_text("utf-8").strip()
