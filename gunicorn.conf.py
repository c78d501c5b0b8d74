"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (the Dockerfile and deploy/ use it).

Everything can be changed with environment variables (read from the same `.env` as the app):
GUNICORN_BIND, WEB_CONCURRENCY, GUNICORN_THREADS, GUNICORN_TIMEOUT.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from config.env import read_env_file

read_env_file()

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "") or min(2 * (os.cpu_count() or 1) + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
max_requests = 20000  # recycle workers now and then (caches grow slowly); 2,000 recycled a worker every
# few seconds at load-benchmark rates, and each restart stalled its connections for 1–2 s
max_requests_jitter = 2000
# The app writes one JSON access line per request with its request id (matchmaker.logs), so
# gunicorn's own access log stays off; its error log goes to stderr as JSON too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "matchmaker.logs.JsonFormatter"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "root": {"handlers": [], "level": loglevel.upper()},  # the app puts its own handler there
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": loglevel.upper(), "propagate": False}},
}
proc_name = "matchmaker-web"

# Prometheus: with several workers each keeps its own samples in files here; /metrics sums them.
METRICS_DIR = os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/tmp/matchmaker-metrics")


def on_starting(server):
    """Start with an empty metrics folder (stale files from a previous run would be summed)."""
    shutil.rmtree(METRICS_DIR, ignore_errors=True)
    Path(METRICS_DIR).mkdir(parents=True, exist_ok=True)


def child_exit(server, worker):
    """Drop the gauges of a worker that has gone."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
