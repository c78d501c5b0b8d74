"""Channels behind one interface: ``send(message) -> provider message id``, or a typed error.

A ``TransientError`` (network trouble, throttling, 5xx) is retried; a ``PermanentError`` (a bad
number, a rejected template, bad credentials) is recorded as a failure straight away.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaker.notifications.channels.base import (
    Channel,
    DeliveryError,
    Outgoing,
    PermanentError,
    TransientError,
)

__all__ = [
    "Channel",
    "DeliveryError",
    "Outgoing",
    "PermanentError",
    "TransientError",
    "email_channel",
    "sms_channel",
]


def email_channel(config: Mapping[str, Any]) -> Channel:
    """SMTP when SMTP_HOST is set, else the local outbox folder."""
    from matchmaker.notifications.channels.outbox import OutboxChannel
    from matchmaker.notifications.channels.smtp import SmtpChannel

    if config.get("SMTP_HOST"):
        return SmtpChannel(config)
    return OutboxChannel(config["OUTBOX_DIR"], config)


def sms_channel(config: Mapping[str, Any]) -> Channel:
    """The SMS provider named by SMS_PROVIDER: outbox (default), aliyun or tencent."""
    from matchmaker.notifications.channels.outbox import OutboxChannel
    from matchmaker.notifications.channels.sms import AliyunSms, TencentSms

    name = (config.get("SMS_PROVIDER") or "outbox").lower()
    if name == "aliyun":
        return AliyunSms(config)
    if name == "tencent":
        return TencentSms(config)
    if name != "outbox":
        raise ValueError(f"unknown SMS_PROVIDER {name!r}; use outbox, aliyun or tencent")
    return OutboxChannel(config["OUTBOX_DIR"], config)
