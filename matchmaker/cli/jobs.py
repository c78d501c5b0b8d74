"""`flask jobs`: background work for operators (counts, failed jobs with errors, requeue, backlog)."""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext


def _connection() -> Any:
    from workers.queues import redis_connection

    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("未设置 REDIS_URL：内嵌模式下任务同步执行，没有任务队列")
    return redis_connection(url)


def _echo_backlog(backlog: dict[str, Any]) -> None:
    click.echo(
        f"待处理积压：搜索 outbox 未确认 {backlog['outbox_pending']} 条"
        f"（最早 {backlog['outbox_oldest_at'] or '—'}），"
        f"未完成匹配 {backlog['match_runs_pending']} 个（最早 {backlog['match_runs_oldest_at'] or '—'}），"
        f"待发通知事件 {backlog['notifications_pending']} 条"
        f"（最早 {backlog['notifications_oldest_at'] or '—'}）"
    )


def _echo_overview(data: dict[str, Any]) -> None:
    if data["mode"] == "inline":
        click.echo("模式：inline（未设置 REDIS_URL，任务在请求中同步执行）")
        _echo_backlog(data["backlog"])
        return
    click.echo(f"模式：rq（Redis：{data['redis']}）")
    if data["redis"] == "ok":
        for q in data["queues"]:
            click.echo(
                f"队列 {q['name']}：排队 {q['queued']}，执行中 {q['started']}，失败 {q['failed']}，"
                f"计划 {q['scheduled']}，等待依赖 {q['deferred']}"
            )
        click.echo(f"在线 worker：{data['workers']}，周期任务调度进程：{data['cron_schedulers']}")
        for r in data["recurring"]:
            click.echo(f"周期任务 {r['name']}：{r['schedule']}，上次入队 {r['last_enqueued_at'] or '—'}")
    _echo_backlog(data["backlog"])


@click.group(
    "jobs",
    cls=AppGroup,
    invoke_without_command=True,
    help="后台任务：队列概况、失败任务、重新排队、待处理积压",
)
@with_appcontext
@click.pass_context
def jobs_cli(ctx: click.Context) -> None:
    """Without a subcommand: mode, per-queue counts, workers, recurring jobs and the backlog."""
    from workers.monitor import overview

    if ctx.invoked_subcommand is None:
        _echo_overview(overview(failed_limit=0))


@jobs_cli.command("failed")
@click.option("--queue", type=click.Choice(["index", "match", "notify", "default"]), default=None)
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--traceback", "full", is_flag=True, help="显示完整堆栈")
def failed(queue: str | None, limit: int, full: bool) -> None:
    """List failed jobs, newest first, with their errors."""
    from workers.monitor import failed_jobs

    items = failed_jobs(_connection(), queue, limit, full=full)
    if not items:
        click.echo("没有失败的任务")
    for item in items:
        click.echo(f"{item['id']}  [{item['queue']}]  {item['func']}({', '.join(item['args'])})")
        click.echo(f"    失败于 {item['failed_at'] or '—'}：{item['error']}")
        if full and item["traceback"]:
            click.echo("    " + item["traceback"].rstrip().replace("\n", "\n    "))


@jobs_cli.command("requeue")
@click.argument("job_id", required=False)
@click.option("--all", "everything", is_flag=True, help="重新排队全部失败任务")
@click.option("--queue", type=click.Choice(["index", "match", "notify", "default"]), default=None)
def requeue(job_id: str | None, everything: bool, queue: str | None) -> None:
    """Put a failed job (JOB_ID) or every failed job (--all) back on its queue."""
    from matchmaker.errors import DomainError
    from workers.monitor import requeue as requeue_one
    from workers.monitor import requeue_all

    if bool(job_id) == everything:
        raise click.UsageError("请给出一个 JOB_ID，或使用 --all")
    if everything:
        click.echo(f"已重新排队 {requeue_all(_connection(), queue)} 个失败任务")
        return
    assert job_id is not None
    try:
        result = requeue_one(_connection(), job_id)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"已重新排队 {result['id']}（{result['func']}，队列 {result['queue']}）")


@jobs_cli.command("run-due")
def run_due_command() -> None:
    """Run the recurring jobs whose slot is due now, inline (embedded set-up; call it from cron)."""
    from workers.embedded import run_due, state_file

    ran = run_due(state_file(current_app))
    click.echo(f"已运行：{'、'.join(ran)}" if ran else "没有到期的定时任务")


@jobs_cli.command("run")
@click.argument("name")
def run_now(name: str) -> None:
    """Run one recurring job (e.g. weekly-digest, challenge-windows) now, inline."""
    from workers.embedded import run_one
    from workers.schedule import SCHEDULE

    entries = {entry.name: entry for entry in SCHEDULE}
    if name not in entries:
        raise click.BadParameter(f"没有名为 {name} 的定时任务；可选：{'、'.join(entries)}", param_hint="NAME")
    click.echo(f"{name}：{run_one(entries[name])}")
