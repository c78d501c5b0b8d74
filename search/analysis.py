"""Chinese text analysis shared by indexing, querying and matching (first cut; refined by matching work)."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import jieba

_WORD = re.compile(r"\w", re.UNICODE)


def normalize(text: str) -> str:
    """NFKC-normalise and lowercase text so full-width and half-width forms compare equal."""
    return unicodedata.normalize("NFKC", text or "").lower()


@cache
def _tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def segment(text: str) -> list[str]:
    """Split text into search tokens (jieba search mode), dropping punctuation and spaces."""
    return [t for t in _tokenizer().cut_for_search(normalize(text)) if t.strip() and _WORD.search(t)]


def bigrams(text: str) -> list[str]:
    """Character bigrams of each run of word characters; single characters stand alone."""
    out: list[str] = []
    for run in re.findall(r"\w+", normalize(text)):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out
