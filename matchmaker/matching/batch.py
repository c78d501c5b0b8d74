"""Batch file matching (批量匹配): rank every need of a JSONL file against the outputs of another.

The work happens in a throwaway workspace: an in-memory catalogue over the given outputs (the same
candidate stages, fusion and scorer as the app, ``pipeline.rank_query``) and a temporary directory
that holds the rankings until they are complete. Nothing of the application's database or search
index is read or written; embeddings come from a content-hash cache (``instance/embeddings.sqlite3``
for the command), so a second run over the same texts embeds nothing.

Input lines follow ``shared/bench/csl_match_eval.py`` (outputs: id, title, abstract, keywords,
field; needs: id, title, description, keywords, field) or the CONTRACTS listing dict (summary
instead of abstract/description). Output lines: ``{"need_id", "ranked": [ids], "scores", "raw"}``
(``scores``: calibrated probabilities, 匹配度; ``raw``: the ranking scores).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tqdm import tqdm

from matchmaker.matching.embedding import Embedder, EmbeddingCache, embed_cached, embed_text, role_of
from matchmaker.matching.pipeline import Catalogue, rank_query
from matchmaker.matching.weights import Weights


def read_jsonl(path: str | os.PathLike) -> Iterator[dict[str, Any]]:
    """Yield the JSON object of every non-blank line."""
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def as_listing(record: Mapping[str, Any], kind: str) -> dict[str, Any]:
    """A CONTRACTS-shaped listing dict from a batch-file record."""
    listing = dict(record)
    listing["kind"] = kind
    if "summary" not in listing:
        listing["summary"] = record.get("abstract") or record.get("description") or ""
    if "fields" not in listing:
        listing["fields"] = [record["field"]] if record.get("field") else []
    return listing


def _embedded(listings: list[dict], embedder: Embedder | None, cache, progress: bool) -> list:
    """Each listing's embedding (cached by content), or None everywhere without an embedder."""
    if embedder is None:
        return [None] * len(listings)
    texts = [embed_text(x) for x in listings]
    role = role_of(listings[0]["kind"]) if listings else "passage"
    with tqdm(total=len(texts), desc="嵌入向量", file=sys.stderr, disable=not progress) as bar:
        return list(embed_cached(embedder, texts, role, cache, progress=bar.update))


def rank_jsonl(
    outputs_path: str | os.PathLike,
    needs_path: str | os.PathLike,
    out_path: str | os.PathLike,
    top: int = 100,
    progress: bool = True,
    *,
    workdir: str | os.PathLike | None = None,
    weights: Weights | None = None,
    embedder: Embedder | None = None,
    cache: EmbeddingCache | None = None,
    floor: float = 0.0,
) -> dict[str, int]:
    """Rank all outputs for every need (the app's ranking path) and write one line per need."""
    weights = weights or Weights()
    outputs = [as_listing(r, "output") for r in read_jsonl(outputs_path)]
    needs = [as_listing(r, "need") for r in read_jsonl(needs_path)]
    catalogue = Catalogue(
        zip(outputs, _embedded(outputs, embedder, cache, progress), strict=True),
        unrelated_cosine=embedder.unrelated_cosine if embedder else 0.0,
    )
    vectors = _embedded(needs, embedder, cache, progress)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="match-file-") as tmp:
        partial = Path(tmp) / "rankings.jsonl"
        with open(partial, "w", encoding="utf-8") as out:
            for need, vector in tqdm(
                list(zip(needs, vectors, strict=True)), desc="匹配需求", file=sys.stderr, disable=not progress
            ):
                orgs = [need["org_id"]] if need.get("org_id") is not None else []
                ranked = rank_query(
                    catalogue, need, vector, weights=weights, top=top, floor=floor, exclude_orgs=orgs, now=now
                )
                line = {"need_id": need["id"], "ranked": [r.object_id for r in ranked]}
                line["scores"] = [r.probability for r in ranked]
                line["raw"] = [r.total for r in ranked]
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        shutil.move(str(partial), os.fspath(out_path))
    return {"outputs": len(outputs), "needs": len(needs)}
