"""Flask commands: create-admin, seed-demo, search (reindex, check, drain), expire-listings."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from matchmaker.auth.actor import SYSTEM

search_cli = AppGroup("search", help="搜索索引维护：重建、漂移检查、补发")


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="平台管理员")
@click.option("--phone", default=None)
@click.password_option("--password", envvar="ADMIN_PASSWORD")
def create_admin(email: str, name: str, phone: str | None, password: str) -> None:
    """Create a platform administrator (password prompted, or ADMIN_PASSWORD)."""
    from matchmaker.auth.actor import Actor
    from matchmaker.services import accounts

    god = Actor(user=_ephemeral_admin(), request_id="cli")
    user = accounts.create_user(
        actor=god,
        data={"email": email, "name": name, "phone": phone, "password": password, "roles": ["admin"]},
    )
    click.echo(f"已创建管理员 {user.email}（id={user.id}）")


def _ephemeral_admin():
    from matchmaker.models import User

    return User(id=None, name="cli", email="cli@localhost", roles=["admin"])


@click.command("seed-demo")
def seed_demo() -> None:
    """Load realistic Chinese demo data (idempotent) and print the demo logins."""
    from matchmaker.demo import seed

    summary = seed(echo=click.echo)
    click.echo(summary)


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


@click.command("expire-listings")
def expire_listings() -> None:
    """Mark listings whose deadline has passed as expired."""
    from matchmaker.services.listings import expire_listings as run

    click.echo(f"已过期 {run(actor=SYSTEM)} 条")


@click.command("close-challenge-windows")
def close_challenge_windows() -> None:
    """Close the application window of published challenges past their deadline."""
    from workers.jobs.challenges import close_challenge_windows as run

    click.echo(f"已截止申报的榜单：{len(run())} 个")


@search_cli.command("reindex")
def reindex() -> None:
    """Build a new versioned index from the database and swap the alias (no downtime)."""
    from tqdm import tqdm

    from matchmaker.search_access import search_backend
    from search.indexer import rebuild

    with tqdm(unit="doc", desc="重建索引") as bar:
        count = rebuild(search_backend(), progress=bar.update)
    click.echo(f"已重建索引：{count} 条")


@search_cli.command("check")
@click.option("--repair", is_flag=True, help="修复发现的差异")
def check(repair: bool) -> None:
    """Report drift between the database and the index; --repair fixes it."""
    from matchmaker.search_access import search_backend
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


@click.command("challenge-reminders")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 90))
def challenge_reminders(days: int) -> None:
    """Remind teams and staff of challenge milestones and deadlines due within DAYS (each once)."""
    from matchmaker.services.challenge_reminders import remind_due

    counts = remind_due(days=days)
    click.echo(f"已提醒：节点 {counts['milestones']} 个，项目到期 {counts['awards']} 个")


def register(app: Flask) -> None:
    """Attach the commands to the app."""
    from matchmaker.cli_jobs import jobs_cli

    for command in (create_admin, seed_demo, expire_listings, match_file, search_cli, jobs_cli):
        app.cli.add_command(command)
    app.cli.add_command(challenge_reminders)
    app.cli.add_command(close_challenge_windows)
