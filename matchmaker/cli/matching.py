"""`flask match-file` (rank JSONL files through the app's ranking path) and `flask embed-listings`."""

from __future__ import annotations

import click


@click.command("match-file")
@click.option("--outputs", "outputs_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--needs", "needs_path", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False))
@click.option("--top", default=100, show_default=True, type=click.IntRange(1, 1000))
@click.option("--floor", default=0.0, show_default=True, type=click.FloatRange(0.0, 1.0), help="最低匹配度")
def match_file(outputs_path: str, needs_path: str, out_path: str, top: int, floor: float) -> None:
    """Rank every need of a JSONL file against the outputs of another, in a throwaway workspace."""
    from flask import current_app

    from matchmaker.matching.batch import rank_jsonl
    from matchmaker.matching.embedding import EmbeddingCache
    from matchmaker.matching.weights import Weights
    from matchmaker.queries.catalogue import embedder

    cfg = current_app.config
    counts = rank_jsonl(
        outputs_path,
        needs_path,
        out_path,
        top=top,
        progress=True,
        weights=Weights.from_mapping(cfg.get("MATCH_WEIGHTS")),
        embedder=embedder(),
        cache=EmbeddingCache(cfg["MATCH_EMBEDDING_CACHE"]) if cfg.get("MATCH_EMBEDDING_CACHE") else None,
        floor=floor,
    )
    click.echo(f"完成：{counts}", err=True)


@click.command("embed-listings")
@click.option("--limit", default=100_000, show_default=True, type=click.IntRange(1))
@click.option("--rematch/--no-rematch", default=True, show_default=True, help="重新匹配向量有变化的信息")
def embed_listings(limit: int, rematch: bool) -> None:
    """Embed published listings whose vector is missing or stale, then re-rank them."""
    from workers.jobs.index import embed_listings as run

    click.echo(f"已计算语义向量：{run(limit=limit, rematch=rematch)} 条")
