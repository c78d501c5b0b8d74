"""Render a cause's messages from zh-CN Jinja2 templates: e-mail (text + HTML), SMS text and params, inbox."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

_ENV: Environment | None = None
SMS_PARAM_MAX = 20  # providers cap variable length; titles are shortened, never split


def env() -> Environment:
    """The template environment: HTML autoescaped, undefined names are errors."""
    global _ENV
    if _ENV is None:
        _ENV = Environment(
            loader=PackageLoader("matchmaker.notifications", "templates"),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
    return _ENV


def text(source: str, context: Mapping[str, Any]) -> str:
    """Render a one-line template string (subjects, SMS text, inbox lines) without escaping."""
    return Environment(undefined=StrictUndefined, autoescape=False).from_string(source).render(**context)


def email(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """(plain text, HTML) of an e-mail template under templates/email/."""
    plain = env().get_template(f"email/{template}.txt").render(**context)
    html = env().get_template(f"email/{template}.html").render(**context)
    return plain.strip() + "\n", html


def shorten(value: Any, limit: int = SMS_PARAM_MAX) -> str:
    """An SMS template variable within the provider's length limit."""
    value = str(value)
    return value if len(value) <= limit else value[: limit - 1] + "…"
