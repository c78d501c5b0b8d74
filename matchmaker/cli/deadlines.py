"""Deadlines: `flask expire-listings`, `close-challenge-windows` and `challenge-reminders`."""

from __future__ import annotations

import click

from matchmaker.auth.actor import SYSTEM


@click.command("expire-listings")
def expire_listings() -> None:
    """Mark listings whose deadline has passed as expired."""
    from matchmaker.services.listings.workflow import expire_listings as run

    click.echo(f"已过期 {run(actor=SYSTEM)} 条")


@click.command("close-challenge-windows")
def close_challenge_windows() -> None:
    """Close the application window of published challenges past their deadline."""
    from workers.jobs.challenges import close_challenge_windows as run

    click.echo(f"已截止申报的榜单：{len(run())} 个")


@click.command("challenge-reminders")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 90))
def challenge_reminders(days: int) -> None:
    """Remind teams and staff of challenge milestones and deadlines due within DAYS (each once)."""
    from matchmaker.services.challenges.reminders import remind_due

    counts = remind_due(days=days)
    click.echo(f"已提醒：节点 {counts['milestones']} 个，项目到期 {counts['awards']} 个")
