"""Matching features (匹配特征): pure functions of plain data, each giving a value in [0, 1].

Missing data gives 0 (no evidence either way), so a feature only ever rewards what both sides
actually state. Functions that feed the explanation also return what they found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from search.analysis import normalize

# Region levels and their proximity values: same county, same city, same province.
REGION_VALUES = {"county": 1.0, "city": 0.6, "province": 0.3}
# Field agreement: same field, one field inside the other, sibling fields under one parent.
FIELD_SAME, FIELD_NESTED, FIELD_SIBLING = 1.0, 0.7, 0.5
TRL_SLACK = 4  # readiness levels below the wanted one at which maturity fit reaches 0


def _clamp(value: float) -> float:
    return 0.0 if value != value else min(1.0, max(0.0, value))  # NaN counts as no evidence


def text_relevance(score: float | None, best: float = 1.0) -> float:
    """Text score scaled to [0, 1]: scores already in range pass, others are divided by ``best``."""
    if not score or score <= 0:
        return 0.0
    if best > 1.0:
        return _clamp(score / best)
    return _clamp(score)


def semantic_similarity(cosine: float, zero: float) -> float:
    """Cosine rescaled so ``zero`` (what unrelated texts reach) gives 0 and identical texts 1."""
    if zero >= 1.0:
        return 0.0
    return _clamp((cosine - zero) / (1.0 - zero))


def prepare_keywords(
    keywords: Iterable[str], weight: Callable[[str], float] | None = None
) -> dict[str, tuple[str, float]]:
    """Normalised keyword -> (keyword as written, weight); done once per query by the engine."""
    prepared: dict[str, tuple[str, float]] = {}
    for kw in keywords:
        key = normalize(kw).strip()
        if key and key not in prepared:
            prepared[key] = (kw.strip(), weight(key) if weight else 1.0)
    return prepared


def overlap_prepared(prepared: Mapping[str, tuple[str, float]], haystack: str) -> tuple[float, list[str]]:
    """``keyword_overlap`` for prepared keywords and an already normalised text."""
    total = sum(w for _, w in prepared.values())
    hits = [k for k in prepared if k in haystack]
    if total <= 0 or not hits:
        return 0.0, []
    hits.sort(key=lambda k: -prepared[k][1])
    return _clamp(sum(prepared[k][1] for k in hits) / total), [prepared[k][0] for k in hits]


def keyword_overlap(
    keywords: Iterable[str], text: str, weight: Callable[[str], float] | None = None
) -> tuple[float, list[str]]:
    """Weighted share of ``keywords`` that occur verbatim in ``text``, and those keywords."""
    return overlap_prepared(prepare_keywords(keywords, weight), normalize(text))


def field_agreement(
    paths_a: Sequence[Sequence[str]], paths_b: Sequence[Sequence[str]]
) -> tuple[float, str | None]:
    """Best agreement between two sets of field paths (top-down codes) and the shared field code."""
    best, shared = 0.0, None
    for pa in paths_a:
        for pb in paths_b:
            common = 0
            while common < min(len(pa), len(pb)) and pa[common] == pb[common]:
                common += 1
            if not common:
                continue
            if common == len(pa) == len(pb):
                value = FIELD_SAME
            elif common == min(len(pa), len(pb)):
                value = FIELD_NESTED
            else:
                value = FIELD_SIBLING
            if value > best:
                best, shared = value, pa[common - 1]
    return best, shared


def region_proximity(a: str | None, b: str | None) -> tuple[float, str | None]:
    """Proximity of two GB/T 2260 six-digit codes and the shared level ('county', 'city', 'province')."""
    if not a or not b or len(a) != 6 or len(b) != 6 or not (a.isdigit() and b.isdigit()):
        return 0.0, None
    if a == b and a[4:] != "00":
        level = "county"
    elif a[:4] == b[:4] and a[2:4] != "00":
        level = "city"
    elif a[:2] == b[:2]:
        level = "province"
    else:
        return 0.0, None
    return REGION_VALUES[level], level


def mode_compatibility(a: Iterable[str], b: Iterable[str]) -> tuple[float, list[str]]:
    """1 when the two sides accept a common cooperation mode (listed), 0 otherwise or when unknown."""
    other = set(b)
    shared = [m for m in dict.fromkeys(a) if m in other]
    return (1.0 if shared else 0.0), shared


def maturity_fit(wanted_trl: int | None, offered_trl: int | None) -> float:
    """How well the offered readiness level meets the wanted one (1 at or above it)."""
    if not wanted_trl or not offered_trl:
        return 0.0
    if offered_trl >= wanted_trl:
        return 1.0
    return _clamp(1.0 - (wanted_trl - offered_trl) / TRL_SLACK)


def budget_fit(budget: float | None, price: float | None) -> float:
    """1 when the asking price is within the budget, else budget / price; 0 when either is unknown."""
    if budget is None or price is None or budget <= 0:
        return 0.0
    if price <= budget:
        return 1.0
    return _clamp(budget / price)


def _as_datetime(value: str | date | datetime | None) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def freshness(updated_at: str | date | datetime | None, now: datetime, half_life_days: float) -> float:
    """Exponential decay with the days since the last update: 1 today, 0.5 after one half-life."""
    when = _as_datetime(updated_at)
    if when is None or half_life_days <= 0:
        return 0.0
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    days = max(0.0, (now - when).total_seconds() / 86400.0)
    return _clamp(0.5 ** (days / half_life_days))


def responsiveness(value: float | None) -> float:
    """The other side's responsiveness as given (0..1), 0 when unknown."""
    return 0.0 if value is None else _clamp(float(value))
