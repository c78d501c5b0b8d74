"""Secured clusters: API key or basic auth, and TLS checked by a CA file or a certificate fingerprint.

osmem-server speaks plain HTTP and ignores credentials, so it shows the credentials do not disturb a
real session; a small loopback server that insists on them (and serves TLS with a certificate made
here by openssl) shows they are sent and that certificates are checked.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from elasticsearch import AuthenticationException
from elasticsearch import ConnectionError as EsConnectionError

from config import ConfigError, load_settings
from search.backends import make_backend
from search.backends.es_client import make_client, security_options

API_KEY = base64.b64encode(b"key-id:key-secret").decode()
BASIC = "Basic " + base64.b64encode(b"matchmaker:s3cret-pass").decode()
INFO = {
    "name": "n1",
    "cluster_name": "test",
    "version": {"number": "8.19.3"},
    "tagline": "You Know, for Search",
}


class _Cluster(BaseHTTPRequestHandler):
    """Answers GET / like Elasticsearch, but only with the expected Authorization header."""

    def do_GET(self) -> None:
        ok = self.headers.get("Authorization") in (f"ApiKey {API_KEY}", BASIC)
        body = json.dumps(INFO if ok else {"error": "security_exception", "status": 401}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def cluster(tmp_path):
    """(http url, https url, CA file, fingerprint) of a credential-checking cluster on loopback."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "node.crt", tmp_path / "node.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    plain = ThreadingHTTPServer(("127.0.0.1", 0), _Cluster)
    secure = ThreadingHTTPServer(("127.0.0.1", 0), _Cluster)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    secure.socket = context.wrap_socket(secure.socket, server_side=True)
    for server in (plain, secure):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    der = ssl.PEM_cert_to_DER_cert(cert.read_text())
    fingerprint = ":".join(f"{b:02X}" for b in hashlib.sha256(der).digest())
    yield (
        f"http://127.0.0.1:{plain.server_port}",
        f"https://127.0.0.1:{secure.server_port}",
        cert,
        fingerprint,
    )
    for server in (plain, secure):
        server.shutdown()
        server.server_close()


def _info(url: str, **security) -> dict:
    client = make_client(url, max_retries=0, timeout=3, security=security)
    try:
        return client.info().body
    finally:
        client.close()


def test_api_key_and_basic_auth_are_sent(cluster):
    http, *_ = cluster
    assert _info(http, API_KEY=API_KEY)["version"]["number"] == "8.19.3"
    assert _info(http, USERNAME="matchmaker", PASSWORD="s3cret-pass")["cluster_name"] == "test"
    with pytest.raises(AuthenticationException):
        _info(http, USERNAME="matchmaker", PASSWORD="wrong")
    with pytest.raises(AuthenticationException):
        _info(http)


def test_tls_is_checked_by_ca_file_or_fingerprint(cluster):
    _, https, ca, fingerprint = cluster
    assert _info(https, API_KEY=API_KEY, CA_CERTS=str(ca))["cluster_name"] == "test"
    assert _info(https, API_KEY=API_KEY, FINGERPRINT=fingerprint)["cluster_name"] == "test"
    with pytest.raises(EsConnectionError):  # an unknown self-signed certificate is refused
        _info(https, API_KEY=API_KEY)
    with pytest.raises(EsConnectionError):
        _info(https, API_KEY=API_KEY, FINGERPRINT="00" * 32)


def test_settings_reach_the_backend(cluster):
    _, https, ca, _ = cluster
    config = {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": https,
              "ELASTICSEARCH_CA_CERTS": str(ca), "ELASTICSEARCH_USERNAME": "matchmaker",
              "ELASTICSEARCH_PASSWORD": "s3cret-pass"}  # fmt: skip
    backend = make_backend(config)
    assert backend.client.info().body["cluster_name"] == "test"
    backend.close()


@pytest.mark.es
def test_credentials_do_not_disturb_a_session_with_osmem(osmem_clone):
    config = {"SEARCH_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": osmem_clone.url,
              "ELASTICSEARCH_COMPAT_HEADERS": "0", "ELASTICSEARCH_API_KEY": API_KEY}  # fmt: skip
    backend = make_backend(config)
    backend.ensure_index()
    assert backend.ping()
    backend.close()


def test_security_options_map_the_settings():
    assert security_options({"API_KEY": "abc"}) == {"api_key": "abc"}
    assert security_options({"USERNAME": "u", "PASSWORD": "p"}) == {"basic_auth": ("u", "p")}
    assert security_options({"FINGERPRINT": "AB:CD"}) == {"ssl_assert_fingerprint": "abcd"}
    assert security_options({}) == {}


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        (
            {"ELASTICSEARCH_API_KEY": "k", "ELASTICSEARCH_USERNAME": "u", "ELASTICSEARCH_PASSWORD": "p"},
            "not both",
        ),
        ({"ELASTICSEARCH_USERNAME": "u"}, "ELASTICSEARCH_PASSWORD"),
        ({"ELASTICSEARCH_CA_CERTS": "/nonexistent/ca.crt"}, "ELASTICSEARCH_CA_CERTS"),
        ({"ELASTICSEARCH_FINGERPRINT": "12:34"}, "ELASTICSEARCH_FINGERPRINT"),
    ],
)
def test_contradictory_or_malformed_credentials_stop_start_up(environ, named):
    with pytest.raises(ConfigError, match=named):
        load_settings("development", environ=environ)
