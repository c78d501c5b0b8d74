"""E-mail over SMTP: implicit TLS (SMTP_SSL), STARTTLS, or plain on a trusted network."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from typing import Any

from matchmaker.notifications.channels.base import Outgoing, PermanentError, TransientError
from matchmaker.notifications.email import build_email


class SmtpChannel:
    """Sends each message on its own connection (notification volume is low; no pool to go stale)."""

    provider = "smtp"

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = config

    def _connect(self) -> smtplib.SMTP:
        cfg = self.config
        host, port, timeout = cfg["SMTP_HOST"], int(cfg.get("SMTP_PORT") or 465), float(cfg["SMTP_TIMEOUT"])
        context = ssl.create_default_context(cafile=cfg.get("SMTP_CA_FILE") or None)
        if cfg.get("SMTP_SSL"):
            return smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        conn = smtplib.SMTP(host, port, timeout=timeout)
        if cfg.get("SMTP_STARTTLS"):
            conn.starttls(context=context)
        return conn

    def send(self, message: Outgoing) -> str:
        """Send one message; 4xx answers and network errors are transient, 5xx permanent."""
        mail = build_email(
            sender=self.config["MAIL_FROM"],
            to=message.address,
            content=message.content,
            delivery_id=message.delivery_id,
        )
        try:
            with self._connect() as conn:
                if self.config.get("SMTP_USER"):
                    conn.login(self.config["SMTP_USER"], self.config.get("SMTP_PASSWORD") or "")
                conn.send_message(mail)
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentError(f"SMTP authentication failed: {exc.smtp_code}") from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            error = TransientError if all(400 <= c < 500 for c in codes) else PermanentError
            raise error(f"recipient refused: {codes}") from exc
        except smtplib.SMTPResponseException as exc:
            error = TransientError if 400 <= exc.smtp_code < 500 else PermanentError
            raise error(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TransientError(f"SMTP unavailable: {exc}") from exc
        return str(mail["Message-ID"])
