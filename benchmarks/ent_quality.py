"""Matching quality on enterprise-language needs: ent dev needs against CSL dev + title distractors.

Usage: python benchmarks/ent_quality.py [--keep DIR] [--cache FILE] [--embedder NAME]
Reads ../shared/data/ent/dev-needs.jsonl, ../shared/data/csl/{dev,titles}.jsonl and
../shared/bench/ent_match_eval.py beside the repository (never copied in); prepares the 9,000
outputs and 100 needs, ranks them with ``rank_jsonl`` (what ``flask match-file`` runs) and prints
the evaluator's metrics as one JSON line. Exits 0 with a note when the shared files are absent.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.csl_quality import SHARED, _evaluator, ranker_options, timed_rank  # noqa: E402


def main() -> int:
    """Prepare, rank and score; print one JSON line of metrics."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="directory to keep outputs.jsonl, needs.jsonl and rankings.jsonl")
    ranker_options(parser)
    args = parser.parse_args()
    needs, evaluator = SHARED / "data/ent/dev-needs.jsonl", SHARED / "bench/ent_match_eval.py"
    papers = [SHARED / "data/csl/dev.jsonl", SHARED / "data/csl/titles.jsonl"]
    if not all(p.exists() for p in (needs, evaluator, *papers)):
        print("skipped: shared ent or csl files not found", file=sys.stderr)
        return 0
    ev = _evaluator(evaluator)
    with tempfile.TemporaryDirectory(prefix="ent-quality-") as tmp:
        work = Path(args.keep or tmp)
        ev.prepare(str(needs), str(work), ",".join(str(p) for p in papers))
        seconds = timed_rank(work, args)
        metrics = ev.score(str(needs), str(work / "rankings.jsonl"))
    metrics["seconds"] = round(seconds, 1)
    print(json.dumps(metrics))
    return 0


if __name__ == "__main__":
    sys.exit(main())
