"""`flask db upgrade` from an empty database builds exactly the models' schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect

from matchmaker import create_app
from matchmaker.extensions import db

EXPECTED_TABLES = {"organizations", "users", "api_tokens", "needs", "outputs", "audit_log", "outbox"}


@contextmanager
def _logging_kept() -> Iterator[None]:
    """Alembic's env.py runs logging.config.fileConfig, which disables every existing logger; undo it."""
    manager = logging.Logger.manager
    disabled = {
        name: lg.disabled for name, lg in manager.loggerDict.items() if isinstance(lg, logging.Logger)
    }
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        for name, lg in manager.loggerDict.items():
            if isinstance(lg, logging.Logger):
                lg.disabled = disabled.get(name, False)
        root.handlers[:] = handlers
        root.setLevel(level)


def _app(uri: str, tmp_path: Path) -> Flask:
    return create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": uri,
            "SEARCH_LOCAL_PATH": str(tmp_path / "search.sqlite3"),
            "OUTBOX_DIR": str(tmp_path / "outbox"),
        }
    )


def _schema_diff() -> list:
    """What autogenerate would write for the current database against the models (empty = in sync).

    Neither SQLAlchemy nor Alembic compares expression indexes (they warn and skip them): those are
    checked by name in ``_expression_indexes``.
    """
    with db.engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*expression-based index")
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, db.metadata)


def _expression_indexes() -> set[str]:
    names = "('ix_needs_shown', 'ix_outputs_shown')"
    if db.engine.dialect.name == "sqlite":
        found = f"SELECT name FROM sqlite_master WHERE type = 'index' AND name IN {names}"
    else:
        found = f"SELECT indexname FROM pg_indexes WHERE indexname IN {names}"
    with db.engine.connect() as conn:
        return set(conn.exec_driver_sql(found).scalars())


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def _check_upgrade_downgrade_upgrade(app: Flask) -> None:
    with app.app_context(), _logging_kept():
        assert _tables() == set()
        flask_migrate.upgrade()
        assert _tables() >= EXPECTED_TABLES
        assert _tables() == set(db.metadata.tables)
        assert _schema_diff() == []
        assert _expression_indexes() == {"ix_needs_shown", "ix_outputs_shown"}

        flask_migrate.downgrade(revision="base")
        assert _tables() == set()
        flask_migrate.upgrade()
        assert _schema_diff() == []
        db.session.remove()
        db.engine.dispose()


def test_sqlite_upgrade_matches_models(tmp_path):
    _check_upgrade_downgrade_upgrade(_app(f"sqlite:///{tmp_path / 'migrated.sqlite3'}", tmp_path))


def test_diff_detects_a_schema_that_drifted(tmp_path):
    """The comparison is not vacuous: a column missing from the database shows up as a difference."""
    app = _app(f"sqlite:///{tmp_path / 'drift.sqlite3'}", tmp_path)
    with app.app_context(), _logging_kept():
        flask_migrate.upgrade()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("ALTER TABLE needs DROP COLUMN wanted_maturity")
        diff = _schema_diff()
        assert any(d[0] == "add_column" and d[3].name == "wanted_maturity" for d in diff), diff
        db.engine.dispose()


@pytest.mark.postgres
def test_postgres_upgrade_matches_models(postgres_database, tmp_path):
    _check_upgrade_downgrade_upgrade(_app(postgres_database, tmp_path))
