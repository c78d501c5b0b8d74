"""Production on PostgreSQL refuses the per-host local search index unless declared single-host."""

from __future__ import annotations

import pytest

from config import ConfigError
from matchmaker import create_app

PG = "postgresql+psycopg://matchmaker@db.internal:5432/matchmaker"


@pytest.fixture
def production(monkeypatch, tmp_path):
    """Environment of a production deployment; each test sets the database and search settings."""
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "kR7v2Qm9XzL4pT8wN1cY6bH3sJ5dF0gA-prod")  # a weak key is refused
    monkeypatch.setenv("SEARCH_LOCAL_PATH", str(tmp_path / "search.sqlite3"))
    for name in ("SEARCH_BACKEND", "SEARCH_SINGLE_HOST", "ELASTICSEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_postgresql_with_the_local_engine_does_not_start(production):
    production.setenv("DATABASE_URL", PG)
    with pytest.raises(ConfigError, match="SEARCH_SINGLE_HOST=1") as refused:
        create_app()
    assert "SEARCH_BACKEND=elasticsearch" in str(refused.value)


def test_a_declared_single_host_or_elasticsearch_starts(production):
    production.setenv("DATABASE_URL", PG)
    production.setenv("SEARCH_SINGLE_HOST", "1")
    assert create_app().config["SEARCH_SINGLE_HOST"] is True
    production.delenv("SEARCH_SINGLE_HOST")
    production.setenv("SEARCH_BACKEND", "elasticsearch")
    production.setenv("ELASTICSEARCH_URL", "http://127.0.0.1:9")
    assert create_app().config["SEARCH_BACKEND"] == "elasticsearch"


def test_sqlite_production_keeps_the_local_engine(production, tmp_path):
    # One SQLite database means one host anyway: its search file sits beside it.
    production.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    assert create_app().config["ENV_NAME"] == "production"


def test_a_vector_field_of_another_size_than_the_embedder_does_not_start(production, tmp_path):
    production.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.sqlite3'}")
    production.setenv("MATCH_EMBEDDER", "use-m3")  # 512 numbers; the default field holds 384
    with pytest.raises(ConfigError, match="SEARCH_VECTOR_DIM=512"):
        create_app()
    production.setenv("SEARCH_VECTOR_DIM", "512")
    assert create_app().config["SEARCH_VECTOR_DIM"] == 512
