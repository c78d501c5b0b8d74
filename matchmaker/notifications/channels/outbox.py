"""The embedded default channel: each e-mail (.eml) or SMS (.json) becomes a file under OUTBOX_DIR."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from matchmaker.notifications.channels.base import Outgoing
from matchmaker.notifications.email import build_email


class OutboxChannel:
    """Writes messages to ``<OUTBOX_DIR>/<channel>/``; the file name is the provider id."""

    provider = "outbox"

    def __init__(self, folder: str | Path, config: Mapping[str, Any]) -> None:
        self.folder = Path(folder)
        self.config = config

    def send(self, message: Outgoing) -> str:
        """Write the message atomically (temp file, then rename) and return its file name."""
        target = self.folder / message.channel
        target.mkdir(parents=True, exist_ok=True)
        if message.channel == "email":
            mail = build_email(
                sender=self.config["MAIL_FROM"],
                to=message.address,
                content=message.content,
                delivery_id=message.delivery_id,
            )
            name, data = f"{message.delivery_id:08d}.eml", bytes(mail)
        else:
            record = {
                "phone": message.address,
                "sign_name": self.config.get("SMS_SIGN_NAME"),
                **message.content,
            }
            name = f"{message.delivery_id:08d}.json"
            data = json.dumps(record, ensure_ascii=False, indent=2).encode()
        tmp = target / f".{name}.tmp"
        tmp.write_bytes(data)
        tmp.replace(target / name)
        return f"{message.channel}/{name}"
