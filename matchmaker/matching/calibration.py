"""Calibrated 匹配度: raw text relevance -> probability that a match is relevant.

Each map is monotone (isotonic regression fitted on out-of-fold dev scores by
``benchmarks/match_calibrate.py``) and stored as breakpoints in ``data/calibration.json``: fitted
values only, no dev text. Between breakpoints the probability is interpolated linearly; below
the first it is the first value, above the last the last.

There are two maps because the lexical score is normalised by the query's own upper bound: a
request in free text (what firms post: a title and a description) scores lower for the same fit
than a bare list of keywords, so one map would call every free-text answer unlikely.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).with_name("data") / "calibration.json"
FREE_TEXT, KEYWORDS_ONLY = "free_text", "keywords_only"
FREE_TEXT_MIN_CHARS = 20  # a summary this long makes a request free text


def style_of(listing: Mapping) -> str:
    """Which map applies to a query listing: free text, or keywords with a stock title."""
    return FREE_TEXT if len(str(listing.get("summary") or "")) >= FREE_TEXT_MIN_CHARS else KEYWORDS_ONLY


@cache
def _table(style: str) -> tuple[np.ndarray, np.ndarray]:
    data = json.loads(DATA.read_text("utf-8"))[style]
    return np.asarray(data["raw"], np.float64), np.asarray(data["probability"], np.float64)


def probability(raw: float, style: str = FREE_TEXT) -> float:
    """The calibrated probability of relevance for a raw relevance score (monotone, in [0, 1])."""
    xs, ys = _table(style)
    return float(np.clip(np.interp(raw, xs, ys), 0.0, 1.0))


def percent(probability_value: float) -> int:
    """匹配度 as a whole percentage for messages: rounded, but 99 at most short of certainty, so a
    probability of 0.9988 never reads as 「匹配度 100%」."""
    value = max(0.0, min(1.0, probability_value))
    return 100 if value >= 1.0 else min(99, round(value * 100))
