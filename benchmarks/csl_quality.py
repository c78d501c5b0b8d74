"""Matching quality on real Chinese research texts: CSL dev sample, scored by the shared evaluator.

Usage: python benchmarks/csl_quality.py [PAPERS.jsonl] [--keep DIR] [--cache FILE] [--embedder NAME]
Reads ../shared/data/csl/dev.jsonl and ../shared/bench/csl_match_eval.py beside the repository
(never copied in); prepares outputs and needs, ranks them with ``rank_jsonl`` (what
``flask match-file`` runs, embeddings from the content-hash cache) and prints the metrics as one
JSON line. Exits 0 with a note when the shared files are absent.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path.insert(0, str(ROOT))

from matchmaker.matching.batch import rank_jsonl  # noqa: E402
from matchmaker.matching.embedding import EMBEDDERS, EmbeddingCache  # noqa: E402

CACHE = ROOT / "instance" / "embeddings.sqlite3"


def ranker_options(parser: argparse.ArgumentParser) -> None:
    """The embedder and cache options shared by the quality benchmarks."""
    parser.add_argument("--cache", default=str(CACHE), help="embedding cache (content hash)")
    parser.add_argument("--embedder", default="e5-small-q4", help="none, or a matching.embedding name")


def rank_options(args: argparse.Namespace) -> dict:
    """rank_jsonl keyword arguments for the chosen embedder and cache."""
    if args.embedder == "none":
        return {}
    return {"embedder": EMBEDDERS[args.embedder](), "cache": EmbeddingCache(args.cache)}


def _evaluator(path: Path):
    """Load the shared evaluator module from its file."""
    spec = importlib.util.spec_from_file_location("csl_match_eval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def timed_rank(work: Path, args: argparse.Namespace) -> float:
    """Rank work/needs.jsonl against work/outputs.jsonl into work/rankings.jsonl; seconds taken."""
    started = time.perf_counter()
    rank_jsonl(
        work / "outputs.jsonl",
        work / "needs.jsonl",
        work / "rankings.jsonl",
        progress=sys.stderr.isatty(),
        **rank_options(args),
    )
    return time.perf_counter() - started


def main() -> int:
    """Prepare, rank and score; print one JSON line of metrics."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("papers", nargs="?", default=str(SHARED / "data/csl/dev.jsonl"))
    parser.add_argument("--evaluator", default=str(SHARED / "bench/csl_match_eval.py"))
    parser.add_argument("--keep", help="directory to keep outputs.jsonl, needs.jsonl and rankings.jsonl")
    ranker_options(parser)
    args = parser.parse_args()
    papers, evaluator = Path(args.papers), Path(args.evaluator)
    if not papers.exists() or not evaluator.exists():
        print(f"skipped: {papers} or {evaluator} not found", file=sys.stderr)
        return 0
    ev = _evaluator(evaluator)
    rows = ev.load(str(papers))
    with tempfile.TemporaryDirectory(prefix="csl-quality-") as tmp:
        work = Path(args.keep or tmp)
        ev.prepare(rows, str(work))
        seconds = timed_rank(work, args)
        metrics = ev.score(rows, ev.load(str(work / "rankings.jsonl")))
    metrics["seconds"] = round(seconds, 1)
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
