"""matchmaker: the Flask application for industry–academia technology matchmaking (产学研对接)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import INSTANCE, ConfigError, load_settings
from matchmaker.jsonio import SafeJSONProvider


def create_app(config: dict[str, Any] | str | None = None) -> Flask:
    """Application factory: settings, extensions, API, errors and CLI."""
    from matchmaker import cli, logs
    from matchmaker.api import register_api
    from matchmaker.api.http import context, observe, responses
    from matchmaker.auth import passwords
    from matchmaker.errors import register_error_handlers
    from matchmaker.extensions import db, limiter, migrate

    app = Flask(__name__, instance_path=str(INSTANCE))
    settings = load_settings(config if isinstance(config, str) else None)
    if isinstance(config, dict):
        settings = {**load_settings(config.get("ENV_NAME")), **config}
    app.config.from_mapping(settings)
    _refuse_unsafe_search(app)
    app.json = SafeJSONProvider(app)
    _prepare_instance(app)
    _trust_proxies(app)
    if not app.config.get("TESTING"):  # tests attach their own capture; see tests/ops/test_logs_metrics.py
        logs.configure(app.config)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    _warn_about_production_gaps(app)
    passwords.configure(
        time_cost=app.config["ARGON2_TIME_COST"], memory_cost=app.config["ARGON2_MEMORY_COST"]
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    limiter.init_app(app)
    import matchmaker.models  # noqa: F401  register the tables

    observe.install(app)  # before the caller is resolved, so a 401 is timed and logged too
    context.install(app)
    responses.install(app)
    register_api(app)
    register_error_handlers(app)
    cli.register(app)
    _start_embedded_scheduler(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client address and scheme from X-Forwarded-*.

    Everything that asks for the client address (the rate limiter, the audit log) then sees the
    real client instead of the proxy; headers from further hops than configured are ignored.
    """
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _warn_about_production_gaps(app: Flask) -> None:
    """Say loudly at start-up what a production set-up should not do silently."""
    if app.config.get("ENV_NAME") != "production":
        return
    log = logging.getLogger("matchmaker.config")
    if app.config.get("SMS_PROVIDER", "outbox") == "outbox":
        log.warning(
            "生产环境未配置短信服务商（SMS_PROVIDER=outbox）：短信只写入 %s，不会真正发出；"
            "请设置 SMS_PROVIDER=aliyun 或 tencent / SMS goes to files, not to phones",
            app.config.get("OUTBOX_DIR"),
        )
    if not app.config.get("SMTP_HOST"):
        log.warning("生产环境未配置 SMTP_HOST：邮件只写入本地文件夹 / e-mail goes to files")


def _start_embedded_scheduler(app: Flask) -> None:
    """Recurring jobs in process when asked for and no Redis (rq's cron process runs them otherwise)."""
    if app.config.get("EMBEDDED_SCHEDULER") and not app.config.get("REDIS_URL"):
        from workers.embedded import start_thread, state_file

        app.extensions["matchmaker.scheduler"] = start_thread(app, state_file(app))
        logging.getLogger(__name__).info("recurring jobs run in this process (EMBEDDED_SCHEDULER)")


def _refuse_unsafe_search(app: Flask) -> None:
    """A production app on PostgreSQL must not search a per-host SQLite file unless it runs on one host."""
    from search.backends import deployment_problem

    problem = deployment_problem(app.config) or _vector_size_problem(app.config)
    if problem:
        raise ConfigError(problem)


def _vector_size_problem(config: Any) -> str | None:
    """The engine's vector field must have the embedder's size, or every rebuild refuses every document."""
    from matchmaker.matching.embedding import EMBEDDERS

    factory = EMBEDDERS.get(str(config.get("MATCH_EMBEDDER") or "none"))
    wanted, size = getattr(factory, "dim", None), config.get("SEARCH_VECTOR_DIM")
    if wanted is None or size is None or int(size) == wanted:
        return None
    return (
        f"SEARCH_VECTOR_DIM={size} but MATCH_EMBEDDER={config.get('MATCH_EMBEDDER')} makes vectors of "
        f"{wanted} numbers: set SEARCH_VECTOR_DIM={wanted}"
    )


def _prepare_instance(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"] or ""
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    local = app.config.get("SEARCH_LOCAL_PATH")
    if local and local != ":memory:":
        Path(local).parent.mkdir(parents=True, exist_ok=True)
