"""/api/v1/jobs: background work for bureau staff and admins (queues, failures, recurring jobs, backlog)."""

from __future__ import annotations

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from matchmaker.api.http.context import signed_in
from workers import monitor

blp = Blueprint(
    "jobs", __name__, url_prefix="/api/v1", description="后台任务：队列、失败任务、周期任务与待处理积压"
)


class QueueCounts(Schema):
    """Jobs per state in one rq queue."""

    name = fields.String()
    queued = fields.Integer()
    started = fields.Integer()
    failed = fields.Integer()
    scheduled = fields.Integer(metadata={"description": "等待重试或定时执行"})
    deferred = fields.Integer()


class FailedJob(Schema):
    """A job that failed after its retries, with its error."""

    id = fields.String()
    queue = fields.String()
    func = fields.String()
    args = fields.List(fields.String())
    description = fields.String(allow_none=True)
    failed_at = fields.String(allow_none=True)
    error = fields.String(metadata={"description": "错误的最后一行"})
    traceback = fields.String(allow_none=True, metadata={"description": "完整堆栈（仅管理员）"})


class RecurringJob(Schema):
    """A recurring job and when a worker last enqueued it."""

    name = fields.String()
    func = fields.String()
    queue = fields.String()
    schedule = fields.String()
    last_enqueued_at = fields.String(allow_none=True)


class Backlog(Schema):
    """Work recorded in the database that the periodic drain still owes."""

    outbox_pending = fields.Integer(metadata={"description": "搜索 outbox 中未确认的行"})
    outbox_oldest_at = fields.String(allow_none=True)
    match_runs_pending = fields.Integer(metadata={"description": "未完成的匹配任务"})
    match_runs_oldest_at = fields.String(allow_none=True)
    notifications_pending = fields.Integer(metadata={"description": "通知 outbox 中尚未处理的事件"})
    notifications_oldest_at = fields.String(allow_none=True)


class JobsOverview(Schema):
    """Queue mode (inline or rq), counts, workers, recurring jobs, recent failures and the backlog."""

    mode = fields.String(metadata={"description": "inline（内嵌同步执行）或 rq"})
    redis = fields.String(allow_none=True, metadata={"description": "ok，或 unreachable: 原因"})
    queues = fields.List(fields.Nested(QueueCounts))
    workers = fields.Integer(metadata={"description": "在线 worker 数"})
    cron_schedulers = fields.Integer(
        metadata={"description": "在线的周期任务调度进程数；为 0 时周期任务不会执行"}
    )
    recurring = fields.List(fields.Nested(RecurringJob))
    failed = fields.List(fields.Nested(FailedJob))
    backlog = fields.Nested(Backlog)


class Requeued(Schema):
    """A failed job put back on its queue."""

    id = fields.String()
    queue = fields.String()
    func = fields.String()
    status = fields.String()


@blp.route("/jobs", methods=["GET"])
@blp.response(200, JobsOverview)
def jobs_overview():
    """Background work: per-queue counts, failures, recurring jobs and the durable backlog (staff, admin)."""
    return monitor.overview_for(signed_in())


@blp.route("/jobs/<job_id>/requeue", methods=["POST"])
@blp.response(200, Requeued)
def requeue_job(job_id):
    """Put a failed job back on its queue (admin)."""
    return monitor.requeue_for(signed_in(), job_id)
