"""A local HTTP server standing in for the Aliyun and Tencent SMS APIs; it checks signatures itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit


def aliyun_expected(params: dict[str, str], secret: str) -> str:
    """Aliyun's RPC signature, written out step by step from the documentation (independent of the app)."""
    pairs = []
    for key in sorted(params):
        pairs.append(quote(key, safe="~") + "=" + quote(params[key], safe="~"))
    string_to_sign = "GET&%2F&" + quote("&".join(pairs), safe="~")
    mac = hmac.new((secret + "&").encode("utf-8"), string_to_sign.encode("utf-8"), "sha1")
    return base64.b64encode(mac.digest()).decode("ascii")


def tc3_expected(secret_key: str, timestamp: int, host: str, body: bytes, day: str) -> str:
    """TC3-HMAC-SHA256 signature, written out step by step from the documentation."""
    hashed_body = hashlib.sha256(body).hexdigest()
    canonical_request = (
        "POST\n/\n\n"
        f"content-type:application/json; charset=utf-8\nhost:{host}\n\n"
        f"content-type;host\n{hashed_body}"
    )
    string_to_sign = (
        f"TC3-HMAC-SHA256\n{timestamp}\n{day}/sms/tc3_request\n"
        + hashlib.sha256(canonical_request.encode()).hexdigest()
    )
    k_date = hmac.new(("TC3" + secret_key).encode(), day.encode(), "sha256").digest()
    k_service = hmac.new(k_date, b"sms", "sha256").digest()
    k_signing = hmac.new(k_service, b"tc3_request", "sha256").digest()
    return hmac.new(k_signing, string_to_sign.encode(), "sha256").hexdigest()


@dataclass
class FakeProvider:
    """Records requests; answers like the provider (``reply`` overrides: status and JSON body)."""

    aliyun_secret: str = "aliyun-secret"
    tencent_secret: str = "tencent-secret"
    requests: list[dict[str, Any]] = field(default_factory=list)
    replies: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        port = self.server.server_address[1]
        return f"http://127.0.0.1:{port}/"

    def answer(
        self, kind: str, query: dict[str, str], headers: dict[str, str], body: bytes
    ) -> tuple[int, dict]:
        """Check the signature and answer with the next queued reply or a success."""
        self.requests.append({"kind": kind, "query": query, "headers": headers, "body": body})
        if kind == "aliyun":
            signature = query.pop("Signature", "")
            if signature != aliyun_expected(query, self.aliyun_secret):
                return 400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature"}
        else:
            auth = headers.get("authorization", "")
            day = auth.split("Credential=")[1].split("/")[1]
            expected = tc3_expected(
                self.tencent_secret, int(headers["x-tc-timestamp"]), headers["host"], body, day
            )
            if not auth.endswith(f"Signature={expected}"):
                return 200, {
                    "Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "bad"}}
                }
        if self.replies:
            return self.replies.pop(0)
        if kind == "aliyun":
            return 200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r1"}
        serial = {"SerialNo": "5000:1045710669157053657849499619", "Code": "Ok", "Message": "send success"}
        return 200, {"Response": {"SendStatusSet": [serial], "RequestId": "r2"}}


def start_provider() -> FakeProvider:
    """Start the stand-in on a free loopback port."""
    provider = FakeProvider()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self, kind: str, body: bytes) -> None:
            query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
            status, payload = provider.answer(
                kind, query, {k.lower(): v for k, v in self.headers.items()}, body
            )
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._reply("aliyun", b"")

        def do_POST(self) -> None:
            self._reply("tencent", self.rfile.read(int(self.headers.get("Content-Length") or 0)))

        def log_message(self, *args: Any) -> None:
            pass

    provider.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=provider.server.serve_forever, daemon=True).start()
    return provider
