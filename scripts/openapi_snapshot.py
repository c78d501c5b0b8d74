"""Write the OpenAPI document the app serves to tests/api/data/openapi.json (the stored copy).

Run it only when an API change is meant to change the document, and commit the new copy with
that change: `.venv/bin/python scripts/openapi_snapshot.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "api" / "data" / "openapi.json"


def main() -> None:
    """Build the testing app, fetch its OpenAPI document and store the exact bytes."""
    sys.path.insert(0, str(ROOT))
    from matchmaker import create_app

    body = create_app("testing").test_client().get("/api/openapi.json").get_data()
    SNAPSHOT.write_bytes(body)
    print(f"{SNAPSHOT.relative_to(ROOT)}: {len(body)} bytes")


if __name__ == "__main__":
    main()
