"""Failures visible to staff: GET /api/v1/jobs, POST /api/v1/jobs/<id>/requeue and `flask jobs`."""

from __future__ import annotations

from rq import Queue

from matchmaker.extensions import db
from matchmaker.models import AuditLog, MatchRun, OutboxEvent
from workers.enqueue import enqueue


def _fail_one(run_jobs, tag: str = "api"):
    job = enqueue("tests.workers.sample_jobs.always_fail", tag, retry=None)
    run_jobs("default")
    return job


def test_only_staff_and_admins_see_background_jobs(client, world):
    assert client.get("/api/v1/jobs").status_code == 401
    for headers in (world.h_alice, world.h_rita):
        response = client.get("/api/v1/jobs", headers=headers)
        assert response.status_code == 403 and response.json["code"] == "forbidden"
    assert client.get("/api/v1/jobs", headers=world.h_staff_jinhu).status_code == 200
    assert client.get("/api/v1/jobs", headers=world.h_admin).status_code == 200


def test_inline_mode_reports_the_durable_backlog(client, world):
    db.session.add(OutboxEvent(topic="search", kind="need", object_id=1, version=1, op="upsert"))
    db.session.add(MatchRun(kind="need", object_id=1, reason="publish"))
    db.session.commit()
    data = client.get("/api/v1/jobs", headers=world.h_staff_city).json
    assert data["mode"] == "inline" and "queues" not in data
    assert data["backlog"]["outbox_pending"] == 1 and data["backlog"]["match_runs_pending"] == 1
    assert data["backlog"]["match_runs_oldest_at"]
    assert client.post("/api/v1/jobs/abc/requeue", headers=world.h_admin).status_code == 409


def test_failed_jobs_show_their_error_and_admins_requeue_them(client, world, fake_rq, run_jobs):
    job = _fail_one(run_jobs)
    staff = client.get("/api/v1/jobs", headers=world.h_staff_city).json
    assert staff["mode"] == "rq" and staff["redis"] == "ok"
    default = next(q for q in staff["queues"] if q["name"] == "default")
    assert default["failed"] == 1 and default["queued"] == 0
    [failed] = staff["failed"]
    assert failed["id"] == job.id and failed["error"] == "RuntimeError: 故意失败：api"
    assert failed["traceback"] is None and failed["args"] == ["'api'"]
    admin = client.get("/api/v1/jobs", headers=world.h_admin).json
    assert "Traceback" in admin["failed"][0]["traceback"]
    assert {r["name"] for r in admin["recurring"]} >= {"drain-backlog", "nightly-rematch", "expire-sweep"}
    assert admin["workers"] == 0 and admin["cron_schedulers"] == 0  # the burst worker has quit

    url = f"/api/v1/jobs/{job.id}/requeue"
    assert client.post(url, headers=world.h_staff_city).status_code == 403
    response = client.post(url, headers=world.h_admin)
    assert response.status_code == 200 and response.json == {
        "id": job.id,
        "queue": "default",
        "func": "tests.workers.sample_jobs.always_fail",
        "status": "queued",
    }
    assert Queue("default", connection=fake_rq).get_job_ids() == [job.id]
    assert AuditLog.query.filter_by(action="job_requeue").one().detail["job_id"] == job.id
    assert client.post(url, headers=world.h_admin).status_code == 409  # no longer failed
    assert client.post("/api/v1/jobs/no-such-job/requeue", headers=world.h_admin).status_code == 404
    assert client.post("/api/v1/jobs/bad%20id/requeue", headers=world.h_admin).status_code == 404


def test_redis_down_still_shows_the_backlog(client, world, dead_redis_url, app):
    app.config["REDIS_URL"] = dead_redis_url
    db.session.add(MatchRun(kind="output", object_id=3, reason="publish"))
    db.session.commit()
    data = client.get("/api/v1/jobs", headers=world.h_admin).json
    assert data["mode"] == "rq" and data["redis"] == "unreachable: ConnectionError"
    assert data["backlog"]["match_runs_pending"] == 1
    response = client.post("/api/v1/jobs/abc/requeue", headers=world.h_admin)
    assert response.status_code == 503 and response.json["code"] == "unavailable"


def test_flask_jobs_lists_counts_failures_and_requeues(app, fake_rq, run_jobs):
    job = _fail_one(run_jobs, "cli")
    cli = app.test_cli_runner()
    out = cli.invoke(args=["jobs"]).output
    assert "模式：rq（Redis：ok）" in out and "队列 default：排队 0，执行中 0，失败 1" in out
    assert "周期任务 nightly-rematch：cron 0 2 * * *（Asia/Shanghai）" in out
    assert "未完成匹配 0 个" in out
    assert "在线 worker：0，周期任务调度进程：0" in out
    out = cli.invoke(args=["jobs", "failed"]).output
    assert job.id in out and "RuntimeError: 故意失败：cli" in out and "Traceback" not in out
    assert "Traceback" in cli.invoke(args=["jobs", "failed", "--traceback"]).output
    assert cli.invoke(args=["jobs", "requeue"]).exit_code == 2
    result = cli.invoke(args=["jobs", "requeue", "no-such-job"])
    assert result.exit_code == 1 and "任务不存在" in result.output
    assert "已重新排队 1 个失败任务" in cli.invoke(args=["jobs", "requeue", "--all"]).output
    assert Queue("default", connection=fake_rq).count == 1
    run_jobs("default")
    out = cli.invoke(args=["jobs", "requeue", job.id]).output
    assert f"已重新排队 {job.id}" in out


def test_flask_jobs_in_inline_mode(app):
    out = app.test_cli_runner().invoke(args=["jobs"]).output
    assert "模式：inline" in out and "搜索 outbox 未确认 0 条" in out
    result = app.test_cli_runner().invoke(args=["jobs", "failed"])
    assert result.exit_code == 1 and "未设置 REDIS_URL" in result.output
