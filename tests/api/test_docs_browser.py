"""/api/docs renders in a real headless Chromium with every outside host unreachable."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (scripts/bootstrap.sh installs it under CI=true)"
)


@pytest.fixture
def live_url(app):
    """The test app on a real server on loopback, in a thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _rendered_dom(url: str, profile: str) -> str:
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        # Any host but loopback fails to resolve: the page must need nothing from outside.
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        # Swagger UI renders only what is in view: a window tall enough for every operation.
        "--window-size=1280,40000",
        "--virtual-time-budget=30000",
        "--dump-dom",
        url,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stdout


def test_swagger_ui_lists_the_operations_offline(live_url, tmp_path, client):
    def client_operations() -> int:
        paths = client.get("/api/openapi.json").json["paths"].values()
        return sum(method in item for item in paths for method in ("get", "post", "put", "patch", "delete"))

    dom = _rendered_dom(f"{live_url}/api/docs", str(tmp_path / "profile"))
    operations = re.findall(r'class="opblock opblock-(get|post|put|patch|delete)', dom)
    documented = client_operations()
    assert len(operations) == documented, (len(operations), documented)
    assert "/api/v1/needs/{listing_id}" in dom.replace("\u200b", "")
    assert "matchmaker 产学研对接平台 API" in dom
