"""The OpenAPI document changes only on purpose: it must equal the stored copy, byte for byte."""

from __future__ import annotations

from pathlib import Path

SNAPSHOT = Path(__file__).parent / "data" / "openapi.json"


def test_openapi_document_equals_the_stored_copy(client):
    served = client.get("/api/openapi.json").get_data()
    assert served == SNAPSHOT.read_bytes(), (
        "the OpenAPI document changed; if that is intended, run "
        "`.venv/bin/python scripts/openapi_snapshot.py` and commit the new copy with the change"
    )
