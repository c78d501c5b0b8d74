"""Reading settings from the environment: the one `.env` loader and typed, validated parsers.

Every process (``flask``, gunicorn through ``wsgi.py``, ``python -m workers.run``) builds its
settings through ``config.load_settings``, which reads ``.env`` here first, so one file gives every
process the same configuration. Variables already set in the environment win over the file.
Each parser names the variable and the expected form when a value is wrong.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting is missing or malformed; the message names the variable and what it should be."""


Parser = Callable[[str], Any]


def read_env_file(environ: MutableMapping[str, str] | None = None) -> Path | None:
    """Copy ``MATCHMAKER_ENV_FILE`` (default ``.env`` in the project root) into the environment.

    Values already present are kept; returns the file read, or None when there is none.
    """
    env = os.environ if environ is None else environ
    path = Path(env.get("MATCHMAKER_ENV_FILE") or ROOT / ".env")
    if not path.is_file():
        return None
    for key, value in dotenv_values(path).items():
        if value is not None and key not in env:
            env[key] = value
    return path


def text(raw: str) -> str:
    """A plain string (kept as written)."""
    return raw


text.expected = "text"  # type: ignore[attr-defined]


def flag(raw: str) -> bool:
    """An on/off value: 1/true/yes/on or 0/false/no/off."""
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


flag.expected = "one of 1, true, yes, on, 0, false, no, off"  # type: ignore[attr-defined]


def integer(minimum: int = 0, maximum: int | None = None) -> Parser:
    """A whole number within bounds."""

    def parse(raw: str) -> int:
        value = int(raw.strip())
        if value < minimum or (maximum is not None and value > maximum):
            raise ValueError(raw)
        return value

    top = "" if maximum is None else f" and at most {maximum}"
    parse.expected = f"a whole number of at least {minimum}{top}"  # type: ignore[attr-defined]
    return parse


def number(raw: str) -> float:
    """A non-negative decimal number."""
    value = float(raw.strip())
    if not value >= 0:  # also rejects nan
        raise ValueError(raw)
    return value


number.expected = "a non-negative number, e.g. 10 or 2.5"  # type: ignore[attr-defined]


def json_object(values: str) -> Parser:
    """A JSON object whose values are numbers ("numbers") or strings ("strings")."""

    def parse(raw: str) -> dict[str, Any]:
        value = json.loads(raw)
        ok = (int, float) if values == "numbers" else (str,)
        if not isinstance(value, dict) or not all(
            isinstance(v, ok) and not isinstance(v, bool) for v in value.values()
        ):
            raise ValueError(raw)
        return value

    example = '{"index": 300, "match": 600}' if values == "numbers" else '{"match.new": "SMS_123"}'
    parse.expected = f"a JSON object of {values}, e.g. {example}"  # type: ignore[attr-defined]
    return parse


def json_numbers(raw: str) -> list[int]:
    """A JSON list of non-negative whole numbers."""
    value = json.loads(raw)
    if not isinstance(value, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
    ):
        raise ValueError(raw)
    return value


json_numbers.expected = "a JSON list of whole seconds, e.g. [10, 60, 300]"  # type: ignore[attr-defined]


def choice(*options: str) -> Parser:
    """One of a fixed set of words (case-insensitive)."""

    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise ValueError(raw)
        return value

    parse.expected = "one of " + ", ".join(options)  # type: ignore[attr-defined]
    return parse


def port(raw: str) -> int:
    """A TCP port."""
    return integer(1, 65535)(raw)


port.expected = "a TCP port number from 1 to 65535"  # type: ignore[attr-defined]


def parse_value(var: str, parser: Parser, raw: str) -> Any:
    """Parse one variable or raise ConfigError naming it and the expected form."""
    try:
        return parser(raw)
    except (ValueError, TypeError) as exc:  # json.JSONDecodeError is a ValueError
        expected = getattr(parser, "expected", "a valid value")
        shown = raw if len(raw) <= 60 else raw[:57] + "..."
        raise ConfigError(f"环境变量 {var} 的值无效 / invalid {var}={shown!r}: expected {expected}") from exc


def check_elasticsearch(settings: dict[str, Any]) -> None:
    """Refuse contradictory or malformed Elasticsearch credentials before anything connects."""
    prefix = "ELASTICSEARCH_"
    api_key, user, password = (settings.get(prefix + k) for k in ("API_KEY", "USERNAME", "PASSWORD"))
    if api_key and user:
        raise ConfigError("set ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME/PASSWORD, not both")
    if bool(user) != bool(password):
        raise ConfigError(
            "ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD go together: set both or neither"
        )
    ca = settings.get(prefix + "CA_CERTS")
    if ca and not Path(ca).is_file():
        raise ConfigError(
            f"invalid ELASTICSEARCH_CA_CERTS={ca!r}: expected the path of a PEM file that exists"
        )
    fingerprint = settings.get(prefix + "FINGERPRINT")
    if fingerprint and not re.fullmatch(r"[0-9a-f]{64}", fingerprint.replace(":", "").strip().lower()):
        raise ConfigError(
            "invalid ELASTICSEARCH_FINGERPRINT: expected the SHA-256 of the node certificate, 64 hex "
            "digits (colons allowed), e.g. from `openssl x509 -fingerprint -sha256 -noout -in http_ca.crt`"
        )
