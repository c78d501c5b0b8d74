"""`flask search`: index maintenance (rebuild with alias swap, drift check and repair, outbox drain)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

search_cli = AppGroup("search", help="搜索索引维护：重建、漂移检查、补发")


@search_cli.command("reindex")
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="分词进程数（默认每核一个）")
def reindex(workers: int | None) -> None:
    """Build a new versioned index from the database and swap the alias (no downtime)."""
    from tqdm import tqdm

    from matchmaker.extensions import search_backend
    from search.indexer import rebuild
    from search.parallel import default_workers

    with tqdm(unit="doc", desc="重建索引") as bar:

        def total(n: int) -> None:
            bar.total = n
            bar.refresh()

        # the backend reports how many documents are written so far: advance the bar by the difference
        count = rebuild(
            search_backend(),
            progress=lambda done: bar.update(done - bar.n),
            workers=workers or default_workers(),
            on_total=total,
        )
    click.echo(f"已重建索引：{count} 条")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="修复发现的差异")
def check(repair: bool) -> None:
    """Report drift between the database and the index; --repair fixes it."""
    from matchmaker.extensions import search_backend
    from search.indexer import check as run_check
    from search.indexer import repair as run_repair

    backend = search_backend()
    drift = run_check(backend)
    click.echo(f"缺失 {len(drift.missing)}，多余 {len(drift.extra)}，过期 {len(drift.stale)}")
    for label, items in (("缺失", drift.missing), ("多余", drift.extra), ("过期", drift.stale)):
        if items:
            click.echo(f"  {label}: {', '.join(items[:20])}{' …' if len(items) > 20 else ''}")
    if repair and not drift.clean:
        left = run_repair(backend, drift)
        click.echo("已修复" if left.clean else f"仍有差异：{left}")
    if not repair and not drift.clean:
        raise SystemExit(1)


@search_cli.command("drain")
def drain() -> None:
    """Replay the search outbox now."""
    from workers.jobs.index import drain_search_outbox

    click.echo(drain_search_outbox(limit=100_000))
