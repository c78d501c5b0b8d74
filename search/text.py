"""Text normalisation shared by every part of search (kept apart so the lexicon and analysis share it)."""

from __future__ import annotations

import unicodedata


def normalize(text: str | None) -> str:
    """NFKC-normalise and lowercase text so full-width and half-width forms compare equal."""
    return unicodedata.normalize("NFKC", text or "").lower()
