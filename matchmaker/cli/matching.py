"""`flask match-file`: rank needs against outputs from JSONL files (benchmarks, offline runs)."""

from __future__ import annotations

import click


@click.command("match-file")
@click.option("--outputs", "outputs_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--needs", "needs_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option("--top", default=100, show_default=True, type=click.IntRange(1, 1000))
def match_file(outputs_path: str, needs_path: str, out_path: str, top: int) -> None:
    """Rank every need of a JSONL file against the outputs of another, in a throwaway workspace."""
    from flask import current_app

    from matchmaker.matching.batch import rank_jsonl
    from matchmaker.matching.weights import Weights

    weights = Weights.from_mapping(current_app.config.get("MATCH_WEIGHTS"))
    counts = rank_jsonl(outputs_path, needs_path, out_path, top=top, progress=True, weights=weights)
    click.echo(f"完成：{counts}", err=True)
