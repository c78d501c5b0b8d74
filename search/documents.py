"""Pure conversion of a listing (技术需求 need, 科技成果 output) into the document both engines index."""

from __future__ import annotations

import re
from typing import Any

from search.analysis import bigrams, normalize, segment

LISTING_FIELDS = (
    "kind", "id", "version", "status", "org_id", "org_name", "region", "fields", "keywords", "modes",
    "maturity", "trl", "budget_min", "budget_max", "title", "summary", "created_at", "published_at",
    "deadline",
)  # fmt: skip
TEXT_FIELDS = ("title_seg", "keywords_seg", "body_seg", "bigrams", "suggest", "embedding")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")


def doc_id(kind: str, object_id: int) -> str:
    """The document id of a listing, e.g. "need-12"."""
    return f"{kind}-{object_id}"


def cjk_bigrams(text: str) -> list[str]:
    """Character bigrams of Chinese text only (Latin words and numbers are left to segmentation)."""
    return [b for b in bigrams(text) if _CJK.fullmatch(b)]


def region_path(code: str | None) -> list[str]:
    """Province, city and county codes from the top for a GB/T 2260 region code."""
    if not code:
        return []
    try:
        from matchmaker.taxonomy import regions

        path = list(regions.path(code))
    except (ImportError, AttributeError, KeyError, LookupError):
        path = []
    return path or _structural_region_path(code)


def _structural_region_path(code: str) -> list[str]:
    # GB/T 2260 codes encode their ancestors: 32 0000 province, 3208 00 city, 320831 county.
    if len(code) != 6 or not code.isdigit():
        return [code]
    path = [code[:2] + "0000", code[:4] + "00", code]
    return list(dict.fromkeys(path))


def field_path(codes: list[str] | None) -> list[str]:
    """Every field code with its ancestors (产业领域 hierarchy), without repeats."""
    out: list[str] = []
    for code in codes or []:
        try:
            from matchmaker.taxonomy import fields

            path = list(fields.path(code))
        except (ImportError, AttributeError, KeyError, LookupError):
            path = []
        out.extend(path or [code])
    return list(dict.fromkeys(out))


def _joined(tokens: list[str]) -> str:
    return " ".join(tokens)


def listing_document(listing: dict[str, Any]) -> dict[str, Any]:
    """Build the search document for a listing dict (see docs/CONTRACTS.md, "Search documents")."""
    doc: dict[str, Any] = {key: listing.get(key) for key in LISTING_FIELDS}
    doc["fields"] = list(doc["fields"] or [])
    doc["keywords"] = list(doc["keywords"] or [])
    doc["modes"] = list(doc["modes"] or [])
    doc["title"] = doc["title"] or ""
    doc["summary"] = doc["summary"] or ""
    doc["doc_id"] = doc_id(listing["kind"], listing["id"])
    doc["region_path"] = list(listing.get("region_path") or region_path(doc["region"]))
    doc["field_path"] = list(listing.get("field_path") or field_path(doc["fields"]))
    doc["title_seg"] = _joined(segment(doc["title"]))
    doc["keywords_seg"] = _joined([tok for kw in doc["keywords"] for tok in segment(kw)])
    doc["body_seg"] = _joined(segment(doc["summary"]))
    texts = [doc["title"], doc["summary"], *doc["keywords"]]
    doc["bigrams"] = _joined([b for text in texts for b in cjk_bigrams(text)])
    doc["suggest"] = list(dict.fromkeys(normalize(s).strip() for s in [doc["title"], *doc["keywords"]] if s))
    if listing.get("embedding") is not None:  # the listing's sentence embedding (search.vectors)
        doc["embedding"] = [float(v) for v in listing["embedding"]]
    return doc


def public_source(doc: dict[str, Any]) -> dict[str, Any]:
    """The document without its derived text fields, as returned in search hits."""
    return {key: value for key, value in doc.items() if key not in TEXT_FIELDS}
