"""The domain lexicon as data: synonym groups and broader-to-narrower expansions (``data/synonyms.txt``).

``a = b = c`` makes every term expand to the others; ``a > b c`` makes a search for ``a`` also look
for ``b`` and ``c`` (a 石油装备 search finds 抽油机), never the other way round.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from search.text import normalize

_FILE = Path(__file__).with_name("data") / "synonyms.txt"


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    rows = (normalize(line).strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [row for row in rows if row and not row.startswith("#")]


def parse(lines: list[str]) -> dict[str, tuple[str, ...]]:
    """Expansion of each term from synonym lines; every term maps to others only, in file order."""
    out: dict[str, dict[str, None]] = {}
    for line in lines:
        if ">" in line:
            head, _, tail = line.partition(">")
            broad, narrow = head.split(), tail.split()
            for term in broad:
                out.setdefault(term, {}).update(dict.fromkeys(t for t in narrow if t != term))
            continue
        group = [t.strip() for t in line.split("=") if t.strip()]
        for term in group:
            out.setdefault(term, {}).update(dict.fromkeys(t for t in group if t != term))
    return {term: tuple(more) for term, more in out.items()}


@cache
def expansions() -> dict[str, tuple[str, ...]]:
    """Term -> the other terms a search for it also looks for (from the data file)."""
    return parse(_lines(_FILE))


def expand(term: str) -> tuple[str, ...]:
    """The other terms a search for ``term`` also looks for (none when it has no entry)."""
    return expansions().get(normalize(term).strip(), ())


def terms() -> list[str]:
    """Every term the lexicon names, for the segmenter's dictionary."""
    seen: dict[str, None] = {}
    for term, more in expansions().items():
        seen[term] = None
        seen.update(dict.fromkeys(more))
    return list(seen)
