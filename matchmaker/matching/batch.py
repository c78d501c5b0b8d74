"""Batch file matching (批量匹配): rank every need of a JSONL file against the outputs of another.

The work happens in a throwaway workspace: an in-memory text index over the given outputs and a
temporary directory (created here unless one is passed) that holds the rankings until they are
complete. Nothing of the application's own database or search index is read or written.

Input lines follow ``shared/bench/csl_match_eval.py`` (outputs: id, title, abstract, keywords,
field; needs: id, title, description, keywords, field) or the CONTRACTS listing dict (summary
instead of abstract/description). Output lines: ``{"need_id", "ranked": [ids], "scores": [...]}``.
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

from matchmaker.matching.engine import keyword_weigher, rank
from matchmaker.matching.textindex import TextIndex
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


def rank_jsonl(
    outputs_path: str | os.PathLike,
    needs_path: str | os.PathLike,
    out_path: str | os.PathLike,
    top: int = 100,
    progress: bool = True,
    *,
    workdir: str | os.PathLike | None = None,
    weights: Weights | None = None,
) -> dict[str, int]:
    """Rank all outputs for every need and write one ranking line per need; returns counts."""
    weights = weights or Weights()
    index = TextIndex()
    outputs: dict[Any, dict[str, Any]] = {}
    for record in tqdm(read_jsonl(outputs_path), desc="索引成果", file=sys.stderr, disable=not progress):
        listing = as_listing(record, "output")
        outputs[listing["id"]] = listing
        index.add(listing)
    index.freeze()
    weigh = keyword_weigher(index.idf_table())
    pool = max(weights.candidate_pool, top)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory(dir=workdir, prefix="match-file-") as tmp:
        partial = Path(tmp) / "rankings.jsonl"
        needs = 0
        with open(partial, "w", encoding="utf-8") as out:
            for record in tqdm(
                read_jsonl(needs_path), desc="匹配需求", file=sys.stderr, disable=not progress
            ):
                need = as_listing(record, "need")
                found = index.candidates(need, pool, exclude_org=need.get("org_id"))
                ranked = rank(
                    need,
                    [(outputs[oid], s) for oid, s in found],
                    weights=weights,
                    top=top,
                    now=now,
                    keyword_weight=weigh,
                )
                line = {"need_id": need["id"], "ranked": [r.object_id for r in ranked]}
                line["scores"] = [round(r.total, 6) for r in ranked]
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
                needs += 1
        shutil.move(str(partial), os.fspath(out_path))
    return {"outputs": len(outputs), "needs": needs}
