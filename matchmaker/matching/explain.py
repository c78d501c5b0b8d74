"""Short Chinese explanations of a match (匹配理由), built from what the features found."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matchmaker.matching import taxo

MAX_KEYWORDS = 4
FRESH_ENOUGH = 0.8  # freshness value above which "近期更新" is worth saying
RESPONSIVE_ENOUGH = 0.7
SEMANTIC_CLOSE = 0.5  # semantic feature value above which the texts are said to be close
_REGION_FALLBACK = {"county": "同县", "city": "同市", "province": "同省"}


def _region_part(level: str, code: str) -> str:
    """'同在金湖县' / '同在淮安市' / '同在江苏省', or a plain level word when the name is unknown."""
    prefix = {"county": code, "city": code[:4] + "00", "province": code[:2] + "0000"}[level]
    name = taxo.region_name(prefix) or (taxo.region_name(code[:2] + "0000") if level == "city" else "")
    return f"同在{name}" if name else _REGION_FALLBACK[level]


def _field_part(code: str) -> str:
    name = taxo.field_name(code)
    return f"同属{name}领域" if name else "领域相同"


def _text_part(details: Mapping[str, Any]) -> str:
    """What the texts share; every reason starts here, so region or budget never stand alone."""
    if details.get("keywords"):
        return "关键词重合：" + "、".join(details["keywords"][:MAX_KEYWORDS])
    if details.get("semantic", 0.0) >= SEMANTIC_CLOSE:
        return "内容相近"
    return "内容相关" if details.get("text", 0.0) > 0.0 or details.get("semantic", 0.0) > 0.0 else ""


def explain(details: Mapping[str, Any]) -> str:
    """Join the reasons worth telling a user, text first, e.g. '关键词重合：传感器；同在金湖县'."""
    text = _text_part(details)
    if not text:
        return ""
    parts = [text]
    if details.get("field"):
        parts.append(_field_part(details["field"]))
    if details.get("region_level") and details.get("region"):
        parts.append(_region_part(details["region_level"], details["region"]))
    if details.get("modes"):
        parts.append("合作方式一致：" + "、".join(taxo.mode_label(m) for m in details["modes"]))
    if details.get("maturity", 0.0) >= 1.0:
        parts.append("成熟度满足要求")
    if details.get("budget", 0.0) >= 1.0:
        parts.append("报价在预算内")
    if details.get("freshness", 0.0) >= FRESH_ENOUGH:
        parts.append("近期更新")
    if details.get("responsiveness", 0.0) >= RESPONSIVE_ENOUGH:
        parts.append("对方响应积极")
    return "；".join(parts)
