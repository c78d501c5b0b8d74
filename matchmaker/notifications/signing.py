"""Request signing for the SMS providers, as pure functions of their inputs.

Aliyun dysmsapi (RPC style, signature version 1.0): sort the parameters, percent-encode keys and
values per RFC 3986 (space as %20, ``*`` as %2A, ``~`` kept), join them, and sign
``GET&%2F&<encoded query>`` with HMAC-SHA1 keyed by ``secret + "&"``; the result is base64.

Tencent Cloud API 3.0 (TC3-HMAC-SHA256): a canonical request over the method, path, query, signed
headers and the payload's SHA-256; a string to sign with the timestamp and the credential scope
``<UTC date>/<service>/tc3_request``; and a key derived by chaining HMAC-SHA256 over the date,
the service and ``tc3_request``, starting from ``"TC3" + secret``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from datetime import UTC, datetime
from urllib.parse import quote


def aliyun_encode(value: str) -> str:
    """Aliyun's percent-encoding: RFC 3986 unreserved characters kept, everything else %XX (UTF-8)."""
    return quote(value, safe="-_.~")


def aliyun_string_to_sign(params: Mapping[str, str], method: str = "GET") -> str:
    """The string Aliyun signs: method, the encoded path and the encoded canonical query."""
    query = "&".join(f"{aliyun_encode(k)}={aliyun_encode(params[k])}" for k in sorted(params))
    return f"{method}&{aliyun_encode('/')}&{aliyun_encode(query)}"


def aliyun_signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    """Base64 HMAC-SHA1 signature of the parameters (without Signature itself)."""
    digest = hmac.new(
        f"{secret}&".encode(), aliyun_string_to_sign(params, method).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def aliyun_signed_query(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    """The full query string with the signature first, ready to append to the endpoint."""
    signature = aliyun_signature(params, secret, method)
    rest = "&".join(f"{aliyun_encode(k)}={aliyun_encode(params[k])}" for k in sorted(params))
    return f"Signature={aliyun_encode(signature)}&{rest}"


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac256(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def tc3_authorization(
    *,
    secret_id: str,
    secret_key: str,
    service: str,
    host: str,
    payload: bytes,
    timestamp: int,
    content_type: str = "application/json; charset=utf-8",
) -> str:
    """The Authorization header of a TC3-HMAC-SHA256 signed POST / request."""
    day = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    signed_headers = "content-type;host"
    canonical = "\n".join(
        [
            "POST",
            "/",
            "",
            f"content-type:{content_type}\nhost:{host}\n",
            signed_headers,
            _sha256_hex(payload),
        ]
    )
    scope = f"{day}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope, _sha256_hex(canonical.encode())])
    key = _hmac256(_hmac256(_hmac256(f"TC3{secret_key}".encode(), day), service), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (
        f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, "
        f"SignedHeaders={signed_headers}, Signature={signature}"
    )
