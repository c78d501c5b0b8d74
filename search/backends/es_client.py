"""Elasticsearch client construction, index names and the versioned mapping files.

Content type: the 8.x client sends ``application/vnd.elasticsearch+json; compatible-with=8`` on every
request (it rewrites even explicitly passed ``application/json`` headers), which Elasticsearch 8 and 9
need for REST compatibility but OpenSearch-compatible servers such as osmem-server reject with 406.
With ``compat_headers=False`` (setting ``ELASTICSEARCH_COMPAT_HEADERS=0``) the client uses
``PlainJsonNode``, which turns the media types back into plain ``application/json`` and
``application/x-ndjson`` just before the request leaves. Production against Elasticsearch keeps
the default (compatibility headers on).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from elastic_transport import HttpHeaders, Urllib3HttpNode
from elastic_transport._node import NodeApiResponse
from elasticsearch import Elasticsearch

MAPPING_VERSION = 1
MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"
_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([\w-]+)\s*;\s*compatible-with=\d+")


class PlainJsonNode(Urllib3HttpNode):
    """HTTP node that sends plain JSON media types instead of the 8.x compatibility ones."""

    def perform_request(  # type: ignore[override]
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: HttpHeaders | None = None,
        **kw: Any,
    ) -> NodeApiResponse:
        """Rewrite Accept and Content-Type, then send as usual."""
        if headers is not None:
            headers = headers.copy()
            for name in ("accept", "content-type"):
                if name in headers:
                    headers[name] = _COMPAT.sub(r"application/\1", headers[name])
        return super().perform_request(method, target, body=body, headers=headers, **kw)


def make_client(
    url: str,
    *,
    compat_headers: bool = True,
    timeout: float = 10.0,
    max_retries: int = 2,
    security: Mapping[str, Any] | None = None,
) -> Elasticsearch:
    """Official client for url; compat_headers=False for servers that want plain application/json.

    ``security`` holds the ELASTICSEARCH_* credentials: API_KEY, or USERNAME and PASSWORD; CA_CERTS
    (a PEM file) and/or FINGERPRINT (the SHA-256 of the node's certificate, hex, colons allowed).
    """
    kwargs: dict[str, Any] = {"request_timeout": timeout, "max_retries": max_retries}
    kwargs.update(security_options(security or {}))
    if not compat_headers:
        kwargs["node_class"] = PlainJsonNode
    return Elasticsearch(url, **kwargs)


def security_options(security: Mapping[str, Any]) -> dict[str, Any]:
    """Client keyword arguments for the configured credentials and certificate checks.

    The settings loader has already refused contradictory or malformed values (config.env).
    """
    options: dict[str, Any] = {}
    if security.get("API_KEY"):
        options["api_key"] = str(security["API_KEY"])
    elif security.get("USERNAME"):
        options["basic_auth"] = (str(security["USERNAME"]), str(security.get("PASSWORD") or ""))
    if security.get("CA_CERTS"):
        options["ca_certs"] = str(security["CA_CERTS"])
    if security.get("FINGERPRINT"):
        options["ssl_assert_fingerprint"] = str(security["FINGERPRINT"]).replace(":", "").strip().lower()
    return options


@cache
def load_mapping(version: int = MAPPING_VERSION) -> dict[str, Any]:
    """Settings and mappings of a listings index version, from search/mappings/listings-v{N}.json."""
    return json.loads((MAPPINGS_DIR / f"listings-v{version}.json").read_text(encoding="utf-8"))


class IndexNames:
    """Names of the physical indices and aliases for one prefix."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.read = f"{prefix}listings"
        self.write = f"{prefix}listings-write"
        self.building = f"{prefix}listings-building"

    def new_index(self, version: int = MAPPING_VERSION) -> str:
        """A fresh physical index name: {prefix}listings-v{N}-{timestamp}."""
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S%f")
        return f"{self.prefix}listings-v{version}-{stamp}"
