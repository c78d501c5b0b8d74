"""Chinese text analysis shared by indexing, querying and matching.

Text is NFKC-normalised and lowercased, then segmented by jieba (search mode) with a domain
dictionary: curated technology terms in ``search/data/terms.txt``, the synonym list's terms
(``search/data/synonyms.txt``) and the taxonomy's field names when that module is available.
Stopwords (``search/data/stopwords.txt``) are dropped. Keyword
extraction ranks tokens by TF-IDF with IDF taken from the platform's own corpus (``IdfTable``).
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import jieba

from search import lexicon
from search.text import normalize

jieba.setLogLevel(logging.WARNING)

_DATA = Path(__file__).with_name("data")
_RUN = re.compile(r"\w+", re.UNICODE)
_WORD = re.compile(r"\w", re.UNICODE)
_NUMERIC = re.compile(r"^[\d._]+$")
_LOCK = threading.Lock()


def _read_list(name: str) -> list[str]:
    path = _DATA / name
    if not path.exists():
        return []
    lines = (normalize(line).strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _taxonomy_terms() -> list[str]:
    """Field names from the taxonomy, if that package provides them (optional dependency)."""
    try:
        from matchmaker.taxonomy import fields

        return [normalize(t) for t in fields.all_terms()]
    except (ImportError, AttributeError):
        return []


@cache
def stopwords() -> frozenset[str]:
    """The stopword set dropped by ``segment``."""
    return frozenset(_read_list("stopwords.txt"))


@cache
def domain_terms() -> tuple[str, ...]:
    """Curated technology terms, synonym-list terms and taxonomy field names, kept whole by the segmenter."""
    terms = dict.fromkeys(_read_list("terms.txt") + lexicon.terms() + _taxonomy_terms())
    return tuple(t for t in terms if len(t) >= 2)


def _tokenizer() -> jieba.Tokenizer:
    with _LOCK:
        return _build_tokenizer()


@cache
def _build_tokenizer() -> jieba.Tokenizer:
    tok = jieba.Tokenizer()
    tok.initialize()
    for term in domain_terms():
        # A little above the minimum frequency that keeps the term whole, so context rarely splits it.
        tok.add_word(term, freq=tok.suggest_freq(term, False) * 4)
    return tok


def segment(text: str | None) -> list[str]:
    """Split text into search tokens (jieba search mode), dropping punctuation, spaces and stopwords."""
    stop = stopwords()
    tokens = _tokenizer().cut_for_search(normalize(text))
    return [t for t in tokens if t not in stop and _WORD.search(t) and not t.isspace()]


def words(text: str | None) -> list[str]:
    """The words of text as written (jieba accurate mode), without the parts search mode adds."""
    stop = stopwords()
    tokens = _tokenizer().cut(normalize(text))
    return [t for t in tokens if t not in stop and _WORD.search(t) and not t.isspace()]


def bigrams(text: str | None) -> list[str]:
    """Character bigrams of each run of word characters; single characters stand alone."""
    out: list[str] = []
    for run in _RUN.findall(normalize(text)):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


@dataclass
class IdfTable:
    """Inverse document frequencies of tokens, counted over the platform's own listings."""

    docs: int = 0
    df: Counter[str] = field(default_factory=Counter)

    def add(self, tokens: Iterable[str]) -> None:
        """Count one document's distinct tokens."""
        self.docs += 1
        self.df.update(set(tokens))

    @classmethod
    def from_documents(cls, documents: Iterable[Iterable[str]]) -> IdfTable:
        """Build a table from an iterable of token lists."""
        table = cls()
        for tokens in documents:
            table.add(tokens)
        return table

    def idf(self, token: str) -> float:
        """Smoothed IDF, always positive; unseen tokens get the highest value."""
        n = self.df.get(token, 0)
        return math.log(1.0 + (self.docs - n + 0.5) / (n + 0.5))


def extract_keywords(text: str | None, idf: IdfTable | None = None, top: int = 10) -> list[str]:
    """The ``top`` most characteristic tokens of text by TF-IDF (longer, non-numeric tokens only)."""
    counts = Counter(t for t in segment(text) if len(t) >= 2 and not _NUMERIC.match(t))
    if not counts:
        return []
    table = idf or IdfTable()
    first = {t: i for i, t in enumerate(counts)}
    ranked = sorted(counts, key=lambda t: (-counts[t] * table.idf(t), first[t]))
    # Drop tokens that are only parts of a chosen longer token (search mode emits both).
    chosen: list[str] = []
    for tok in ranked:
        if not any(tok in c for c in chosen):
            chosen.append(tok)
        if len(chosen) == top:
            break
    return chosen
