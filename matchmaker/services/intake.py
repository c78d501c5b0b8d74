"""The intake check shared by 榜单 and technology needs: gaps, the report, and the text rules.

Pure functions of plain text: no database, no request. Each kind's own check
(``services/challenges/intake.py``, ``services/listings/intake.py``) decides which gaps block
submission and which are advice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Words that say nothing about which technology is wanted: a title made only of them is vague.
GENERIC_WORDS = (
    "产学研", "技术", "合作", "需求", "需要", "寻求", "寻找", "征集", "项目", "攻关", "研发", "开发",
    "服务", "支持", "咨询", "解决", "问题", "难题", "方案", "相关", "有关", "方面", "企业", "公司",
    "我司", "我们", "产品", "升级", "改造", "改进", "提升", "优化", "提高", "创新", "科技", "一项",
    "一个", "关于", "对接", "求", "新", "的", "与", "和", "及", "等",
)  # fmt: skip
SPECIFIC_MIN_CHARS = 3  # a title needs at least this many characters beyond the generic words
REPEAT_RATIO = 0.6  # distinct character pairs / all pairs below this: the text repeats itself
REPEAT_MIN_CHARS = 12
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclass
class Gap:
    """One thing the submission lacks: the field it concerns and what to do, in Chinese."""

    field: str
    message: str


@dataclass
class IntakeReport:
    """Blocking and advisory gaps; ``ready`` when nothing blocks submission."""

    blocking: list[Gap] = field(default_factory=list)
    advisory: list[Gap] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        """True when it may be submitted for review."""
        return not self.blocking

    def errors(self) -> dict[str, list[str]]:
        """Blocking gaps as per-field validation messages."""
        out: dict[str, list[str]] = {}
        for gap in self.blocking:
            out.setdefault(gap.field, []).append(gap.message)
        return out


def blank(value: Any) -> bool:
    """None, or a string of whitespace only."""
    return value is None or (isinstance(value, str) and not value.strip())


def letters(text: str | None) -> str:
    """The text without whitespace and punctuation."""
    return _NOISE.sub("", text or "")


def vague_title(title: str | None) -> bool:
    """True when the title says nothing specific (「技术合作」, 「寻求产学研合作项目」)."""
    rest = letters(title)
    for word in GENERIC_WORDS:
        rest = rest.replace(word, "")
    return len(rest) < SPECIFIC_MIN_CHARS


def _pairs(text: str) -> list[str]:
    return [text[i : i + 2] for i in range(len(text) - 1)]


def repeats_itself(text: str | None) -> bool:
    """True when the text is one phrase said again (「需要技术合作需要技术合作」)."""
    body = letters(text)
    n = len(body)
    if n < 4:
        return False
    if any(n % k == 0 and body == body[:k] * (n // k) for k in range(1, n // 2 + 1)):
        return True
    pairs = _pairs(body)
    return n >= REPEAT_MIN_CHARS and len(set(pairs)) / len(pairs) < REPEAT_RATIO


def similarity(a: str | None, b: str | None) -> float:
    """Character-pair overlap (Jaccard) of two texts, 0 to 1."""
    left, right = set(_pairs(letters(a))), set(_pairs(letters(b)))
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


def text_gaps(title: str | None, text_field: str, text: str | None, text_label: str) -> list[Gap]:
    """Blocking gaps of a title and its main text: vague title, text that repeats itself."""
    gaps: list[Gap] = []
    if vague_title(title):
        gaps.append(
            Gap("title", "标题过于笼统：请写明具体的技术方向或要解决的问题，例如「压力传感器温漂补偿」")
        )
    if repeats_itself(text):
        gaps.append(
            Gap(text_field, f"{text_label}内容重复：请用完整的句子说明现状、问题和目标，不要重复同一句话")
        )
    return gaps


def unitless_indicators(indicators: Iterable[Any]) -> Gap | None:
    """Advice when some indicators have no unit."""
    names = [i.name for i in indicators if blank(i.unit)]
    return Gap("indicators", f"以下指标未填写单位：{'、'.join(names)}") if names else None


def replace_indicators(owner: Any, items: list[dict[str, Any]], factory: Any) -> bool:
    """Replace the owner's indicators with the given ones (a whole list); True when they changed."""
    new = [(i["name"], i.get("comparator", ">="), float(i["target"]), i.get("unit", "")) for i in items]
    old = [(i.name, i.comparator, float(i.target), i.unit) for i in owner.indicators]
    if new == old:
        return False
    owner.indicators = [
        factory(position=n, name=name, comparator=cmp, target=target, unit=unit)
        for n, (name, cmp, target, unit) in enumerate(new)
    ]
    return True
