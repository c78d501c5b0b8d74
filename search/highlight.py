"""Highlight query tokens in titles and summaries with <em>, the same way for every engine."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

SNIPPET_CHARS = 120
SNIPPET_LEAD = 30
ELLIPSIS = "…"


@cache
def _fold_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch).lower()
    return folded if len(folded) == 1 else (ch.lower()[:1] or ch)


def _fold(text: str) -> str:
    # Fold character by character so offsets in the folded text are offsets in the original.
    return "".join(map(_fold_char, text))


def match_spans(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) spans where tokens occur, longest token first, adjacent spans merged."""
    words = sorted({_fold(t) for t in tokens if t and t.strip()}, key=len, reverse=True)
    if not words or not text:
        return []
    pattern = re.compile("|".join(re.escape(w) for w in words))
    spans: list[tuple[int, int]] = []
    for m in pattern.finditer(_fold(text)):
        if spans and spans[-1][1] == m.start():
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append((m.start(), m.end()))
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, pos = [], start
    for s, e in spans:
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out.append(html.escape(text[pos:s]))
        out.append(f"<em>{html.escape(text[s:e])}</em>")
        pos = e
    out.append(html.escape(text[pos:end]))
    return "".join(out)


def highlight(text: str, tokens: list[str]) -> str:
    """The whole text HTML-escaped with every token occurrence wrapped in <em>."""
    return _render(text or "", match_spans(text or "", tokens), 0, len(text or ""))


def snippet(text: str, tokens: list[str], width: int = SNIPPET_CHARS) -> str:
    """About width characters of text around the first match, escaped and highlighted, with ellipses."""
    text = (text or "").strip()
    spans = match_spans(text, tokens)
    if len(text) <= width:
        start, end = 0, len(text)
    else:
        first = spans[0][0] if spans else 0
        start = max(0, min(first - SNIPPET_LEAD, len(text) - width))
        end = min(len(text), start + width)
    body = _render(text, spans, start, end)
    return (ELLIPSIS if start > 0 else "") + body + (ELLIPSIS if end < len(text) else "")


def highlights(title: str, summary: str, tokens: list[str]) -> dict[str, str]:
    """Highlighted title and summary snippet for one hit."""
    return {"title": highlight(title, tokens), "summary": snippet(summary, tokens)}
