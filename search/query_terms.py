"""What a query asks for, in relevance tiers both engines share.

A query is cut into words (jieba accurate mode). Each word becomes a group: the word itself, its
synonyms and narrower terms from the lexicon, or all of its search-mode parts together (温度传感器
matches a text with 温度 and 传感器). Documents are ranked by tier first, BM25 within a tier:

1. ``title``: the title holds every word group (a listing about what was asked);
2. ``all``: the text holds every word group (multi-word queries only);
3. ``any``: the text holds some word group;
4. ``substring``: some word occurs inside a longer word (传感 in 压力传感器), from the bigram field;
5. ``pieces``: the text holds a dictionary sub-word of a query word (器械 of 医疗器械);
6. ``overlap``: the query shares three consecutive characters with the text (two adjacent bigrams).

Each tier after the first only fills a list the better tiers leave short, so sub-word and
character-pair noise (锂离子 finding 等离子) never outranks a word match.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from search.analysis import segment, words
from search.documents import cjk_bigrams
from search.lexicon import expand

# Relative weight of a token match per field: the title says most, then keywords, then the summary.
TITLE_BOOST = 3.0
KEYWORDS_BOOST = 2.0
BODY_BOOST = 1.0
# Character bigrams only catch what segmentation missed, so they rank below every segmented match.
BIGRAM_BOOST = 0.3
SEG_FIELDS = {"title_seg": TITLE_BOOST, "keywords_seg": KEYWORDS_BOOST, "body_seg": BODY_BOOST}
MAX_WORDS = 12
MAX_ALTERNATIVES = 16
TIERS = ("title", "all", "any", "substring", "pieces", "overlap")
# Tier rank used in sorting: higher is better.
TIER_RANK = {name: len(TIERS) - i for i, name in enumerate(TIERS)}


@dataclass(frozen=True)
class Group:
    """One query word: alternatives that each match it whole, or parts that together do."""

    word: str
    alternatives: tuple[str, ...]
    parts: tuple[str, ...]
    pieces: tuple[str, ...]
    bigrams: tuple[str, ...]


@dataclass(frozen=True)
class QueryTerms:
    """The word groups of a query and the bigram pairs of its Chinese runs."""

    groups: tuple[Group, ...]
    pairs: tuple[tuple[str, str], ...]

    @property
    def empty(self) -> bool:
        """True when the query has nothing searchable."""
        return not (self.groups or self.pairs)

    def tiers(self) -> list[str]:
        """The tiers this query can fill, best first."""
        out = ["title", "all", "any"] if len(self.groups) > 1 else ["title", "any"]
        if not self.groups:
            out = []
        if any(g.bigrams for g in self.groups):
            out.append("substring")
        if any(g.pieces for g in self.groups):
            out.append("pieces")
        if self.pairs:
            out.append("overlap")
        return out

    def tokens(self) -> list[str]:
        """Every whole token the query may match (for highlighting)."""
        out = [t for g in self.groups for t in (*g.alternatives, *g.pieces)]
        return list(dict.fromkeys(out))


def _maximal_parts(word: str) -> tuple[str, ...]:
    # Search mode also emits the word's dictionary sub-words; the ones inside no other sub-word cover it.
    parts = [p for p in dict.fromkeys(segment(word)) if p != word and len(p) > 1]
    return tuple(p for p in parts if not any(p != q and p in q for q in parts))


def _group(word: str) -> Group:
    alternatives = tuple(dict.fromkeys((word, *expand(word))))[:MAX_ALTERNATIVES]
    grams = cjk_bigrams(word)
    pieces = _maximal_parts(word)
    # One sub-word alone is a weaker word (离子 of 锂离子): it only stands for the word with the others.
    parts = pieces if len(pieces) > 1 else ()
    return Group(word, alternatives, parts, pieces, tuple(grams) if len(word) > 1 else ())


def parse(q: str) -> QueryTerms:
    """The word groups and bigram pairs of query text."""
    found = list(dict.fromkeys(words(q)))
    # Single characters (的, 新, v) say little once the query has a real word.
    if any(len(w) > 1 for w in found):
        found = [w for w in found if len(w) > 1]
    groups = tuple(_group(w) for w in found[:MAX_WORDS])
    pairs: list[tuple[str, str]] = []
    for run in q.split():
        # A Chinese character alone between punctuation (代 of 代"新"词) is a unigram, not a pair.
        grams = [g for g in cjk_bigrams(run) if len(g) == 2]
        pairs.extend((a, b) for a, b in pairwise(grams) if a[1] == b[0])
    return QueryTerms(groups, tuple(dict.fromkeys(pairs))[: MAX_WORDS * 2])
