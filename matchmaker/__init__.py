"""matchmaker: the Flask application for industry–academia technology matchmaking (产学研对接)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask

from config import INSTANCE, ConfigError, load_settings


def create_app(config: dict[str, Any] | str | None = None) -> Flask:
    """Application factory: settings, extensions, API, errors and CLI."""
    from matchmaker import cli
    from matchmaker.api import context, register_api
    from matchmaker.auth import passwords
    from matchmaker.errors import register_error_handlers
    from matchmaker.extensions import db, limiter, migrate

    app = Flask(__name__, instance_path=str(INSTANCE))
    settings = load_settings(config if isinstance(config, str) else None)
    if isinstance(config, dict):
        settings = {**load_settings(config.get("ENV_NAME")), **config}
    app.config.from_mapping(settings)
    _refuse_unsafe_search(app)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    _prepare_instance(app)
    logging.getLogger("jieba").setLevel(logging.WARNING)
    passwords.configure(
        time_cost=app.config["ARGON2_TIME_COST"], memory_cost=app.config["ARGON2_MEMORY_COST"]
    )

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    limiter.init_app(app)
    import matchmaker.models  # noqa: F401  register the tables

    context.install(app)
    register_api(app)
    register_error_handlers(app)
    cli.register(app)
    _start_embedded_scheduler(app)
    return app


def _start_embedded_scheduler(app: Flask) -> None:
    """Recurring jobs in process when asked for and no Redis (rq's cron process runs them otherwise)."""
    if app.config.get("EMBEDDED_SCHEDULER") and not app.config.get("REDIS_URL"):
        from workers.embedded import start_thread

        app.extensions["matchmaker.scheduler"] = start_thread(
            app, Path(app.instance_path) / "recurring-jobs.json"
        )
        logging.getLogger(__name__).info("recurring jobs run in this process (EMBEDDED_SCHEDULER)")


def _refuse_unsafe_search(app: Flask) -> None:
    """A production app on PostgreSQL must not search a per-host SQLite file unless it runs on one host."""
    from search.backends import deployment_problem

    problem = deployment_problem(app.config)
    if problem:
        raise ConfigError(problem)


def _prepare_instance(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"] or ""
    if uri.startswith("sqlite:///"):
        Path(uri.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {})
    local = app.config.get("SEARCH_LOCAL_PATH")
    if local and local != ":memory:":
        Path(local).parent.mkdir(parents=True, exist_ok=True)
