"""Operators' view: JSON log lines that carry the request id, and Prometheus metrics at /metrics."""

from __future__ import annotations

import io
import json
import logging

from matchmaker import logs
from tests import factories as f


def test_every_web_log_line_is_json_with_the_request_id(app, client, world):
    out = io.StringIO()
    handler = logs.configure({"LOG_FORMAT": "json", "TESTING": True}, stream=out)
    logging.getLogger("matchmaker").setLevel(logging.INFO)
    try:
        r = client.get("/api/v1/needs", headers={**world.h_alice, "X-Request-ID": "req-abc-123"})
        client.get("/api/v1/needs/999999")
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger("matchmaker").setLevel(logging.NOTSET)
    assert r.status_code == 200
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    access = [line for line in lines if line["logger"] == "matchmaker.access"]
    assert (access[0]["request_id"], access[0]["path"], access[0]["status"]) == (
        "req-abc-123",
        "/api/v1/needs",
        200,
    )
    assert access[1]["status"] == 404 and len(access[1]["request_id"]) == 32  # generated when not sent
    assert all(line["request_id"] != "-" for line in lines)
    assert access[0]["endpoint"].startswith("needs.") and access[0]["duration_ms"] >= 0


def test_metrics_report_latency_by_endpoint_outbox_and_deliveries(app, client, world):
    f.make_need(world.ent_a, world.alice, status="draft")
    client.post(
        "/api/v1/needs",
        json={
            "title": "精密铸件气孔缺陷检测",
            "summary": "铸件内部气孔导致废品率偏高，寻求无损检测与工艺优化方案。",
            "fields": ["equipment"],
            "need_type": "key_technology",
        },
        headers=world.h_alice,
    )
    client.get("/api/v1/needs")
    r = client.get("/metrics")
    assert r.status_code == 200 and r.content_type.startswith("text/plain")
    text = r.get_data(as_text=True)
    assert 'matchmaker_http_request_duration_seconds_count{endpoint="needs.' in text
    backlog = [line for line in text.splitlines() if line.startswith("matchmaker_outbox_backlog ")]
    assert backlog and float(backlog[0].split()[1]) >= 0
    assert "matchmaker_outbox_oldest_age_seconds" in text
    assert "matchmaker_notification_deliveries" in text
    assert "matchmaker_queue_depth" not in text  # embedded default: no queue to report


def test_metrics_report_queue_depth_when_redis_is_configured(app, client, fake_rq):
    from rq import Queue

    from workers.queues import redis_connection

    Queue("index", connection=redis_connection()).enqueue("tests.workers.sample_jobs.session_is_clean")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'matchmaker_queue_depth{queue="index"} 1.0' in text
    assert 'matchmaker_queue_depth{queue="match"} 0.0' in text


def test_metrics_still_answer_when_the_database_is_not_there(app, client):
    from matchmaker.extensions import db

    db.drop_all()
    r = client.get("/metrics")
    assert r.status_code == 200
    assert "matchmaker_database_up 0.0" in r.get_data(as_text=True)
