"""The MIME message of a notification e-mail: text and HTML parts, RFC 2047 subject, one-click unsubscribe."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, parseaddr
from typing import Any


def _address(value: str) -> Address | str:
    name, addr = parseaddr(value)
    if not addr or "@" not in addr:
        return value
    user, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=user, domain=domain)


def message_id(delivery_id: int, to: str, subject: str, domain: str) -> str:
    """The same Message-ID for every attempt of one delivery, so a resend after an interrupted
    send is recognised as the same mail (receiving servers and clients de-duplicate on it)."""
    digest = hashlib.sha256(f"{delivery_id}|{to}|{subject}".encode()).hexdigest()[:16]
    return f"<matchmaker.d{delivery_id}.{digest}@{domain}>"


def build_email(*, sender: str, to: str, content: Mapping[str, Any], delivery_id: int) -> EmailMessage:
    """A multipart/alternative message; non-ASCII headers are encoded by the email package (UTF-8)."""
    msg = EmailMessage()
    msg["Subject"] = content["subject"]
    msg["From"] = _address(sender)
    msg["To"] = to
    msg["Date"] = formatdate(localtime=False)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "matchmaker.local"
    msg["Message-ID"] = message_id(delivery_id, to, content["subject"], domain)
    unsubscribe = content.get("unsubscribe_url")
    if unsubscribe:
        # RFC 8058 one-click: mail clients POST "List-Unsubscribe=One-Click" to the URL.
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(content["text"], charset="utf-8")
    msg.add_alternative(content["html"], subtype="html", charset="utf-8")
    return msg
