"""Settings: production refuses to start without its secrets; the environment overrides defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigError, load_settings
from config.env import read_env_file
from matchmaker import create_app

PROD = {
    "SECRET_KEY": "kR7v2Qm9XzL4pT8wN1cY6bH3sJ5dF0gA-vault",
    "DATABASE_URL": "postgresql+psycopg://mm@db.internal/matchmaker",
}


@pytest.mark.parametrize("missing", [["SECRET_KEY"], ["DATABASE_URL"], ["SECRET_KEY", "DATABASE_URL"]])
def test_production_refuses_to_start_without_secrets(missing):
    environ = {key: value for key, value in PROD.items() if key not in missing}
    with pytest.raises(ConfigError) as info:
        load_settings("production", environ=environ)
    for name in missing:
        assert name in str(info.value)


def test_production_treats_blank_values_as_missing():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings("production", environ={**PROD, "SECRET_KEY": ""})


def test_production_takes_secrets_from_the_environment():
    settings = load_settings("production", environ=PROD)
    assert settings["SECRET_KEY"] == PROD["SECRET_KEY"]
    assert settings["SQLALCHEMY_DATABASE_URI"] == PROD["DATABASE_URL"]
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_matchmaker_env_selects_production(monkeypatch):
    with pytest.raises(ConfigError):
        load_settings(environ={"MATCHMAKER_ENV": "production"})
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    with pytest.raises(ConfigError):
        create_app()


def test_unknown_environment_name():
    with pytest.raises(ConfigError, match="staging"):
        load_settings("staging", environ={})


def test_environment_overrides_apply_with_their_types():
    settings = load_settings(
        "development",
        environ={
            "MAX_CONTENT_LENGTH": "1048576",
            "TOKEN_TTL_HOURS": "12",
            "LOGIN_RATE_LIMIT": "5 per minute",
            "ELASTICSEARCH_URL": "http://es.internal:9200",
            "SEARCH_BACKEND": "elasticsearch",
            "TRUSTED_PROXIES": "1",
        },
    )
    assert settings["MAX_CONTENT_LENGTH"] == 1048576
    assert settings["TOKEN_TTL_HOURS"] == 12
    assert settings["LOGIN_RATE_LIMIT"] == "5 per minute"
    assert settings["SEARCH_BACKEND"] == "elasticsearch"
    assert settings["ELASTICSEARCH_URL"] == "http://es.internal:9200"
    assert settings["TRUSTED_PROXIES"] == 1


def test_defaults_without_environment():
    settings = load_settings("development", environ={})
    assert settings["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert settings["SEARCH_BACKEND"] == "local" and settings["REDIS_URL"] is None
    assert settings["RATELIMIT_STORAGE_URI"] == "memory://"
    assert settings["MAX_CONTENT_LENGTH"] == 5 * 1024 * 1024


def test_rate_limit_storage_follows_redis():
    settings = load_settings("development", environ={"REDIS_URL": "redis://cache:6379/0"})
    assert settings["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/0"
    explicit = load_settings(
        "development", environ={"REDIS_URL": "redis://cache:6379/0", "RATELIMIT_STORAGE_URI": "memory://"}
    )
    assert explicit["RATELIMIT_STORAGE_URI"] == "memory://"


def test_testing_settings_ignore_the_environment():
    settings = load_settings("testing", environ={"DATABASE_URL": "postgresql://prod/db", "SECRET_KEY": "x"})
    assert settings["SQLALCHEMY_DATABASE_URI"] == "sqlite://"
    assert settings["SECRET_KEY"] == "test-secret"
    assert settings["ARGON2_TIME_COST"] == 1


def test_create_app_applies_a_dict_of_overrides(tmp_path):
    app = create_app(
        {
            "ENV_NAME": "testing",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "SEARCH_LOCAL_PATH": str(tmp_path / "s.sqlite3"),
            "LOGIN_RATE_LIMIT": "2 per hour",
        }
    )
    assert app.config["LOGIN_RATE_LIMIT"] == "2 per hour"
    assert app.config["TESTING"] is True and app.config["TOKEN_TTL_HOURS"] == 24


@pytest.mark.parametrize("key", ["dev-only-not-secret", "test-secret", "x", "short-but-mixed-9A!", "a" * 40])
def test_production_refuses_a_development_or_weak_secret_key(key):
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings("production", environ={**PROD, "SECRET_KEY": key})


@pytest.mark.parametrize(
    ("var", "value", "expected"),
    [
        ("SMTP_PORT", "abc", "TCP port"),
        ("SMTP_PORT", "70000", "TCP port"),
        ("JOB_TIMEOUTS", "[1,2]", "JSON object of numbers"),
        ("JOB_TIMEOUTS", '{"index": "slow"}', "JSON object of numbers"),
        ("JOB_RETRY_INTERVALS", "10,60", "JSON list"),
        ("SMTP_SSL", "maybe", "one of 1, true"),
        ("TOKEN_TTL_HOURS", "0", "at least 1"),
        ("ELASTICSEARCH_TIMEOUT", "soon", "number"),
        ("SMS_PROVIDER", "sendgrid", "outbox, aliyun, tencent"),
        ("SMS_TEMPLATES", '{"verify.code": 1}', "JSON object of strings"),
    ],
)
def test_a_bad_value_names_its_variable_and_the_expected_form(var, value, expected):
    with pytest.raises(ConfigError) as info:
        load_settings("development", environ={var: value})
    assert var in str(info.value) and expected in str(info.value)


def test_good_values_load_with_their_types():
    settings = load_settings(
        "development",
        environ={
            "SMTP_PORT": "587",
            "JOB_TIMEOUTS": '{"index": 60}',
            "SMTP_SSL": "off",
            "SEARCH_REFRESH": "1",
        },
    )
    assert settings["SMTP_PORT"] == 587 and settings["JOB_TIMEOUTS"] == {"index": 60}
    assert settings["SMTP_SSL"] is False and settings["SEARCH_REFRESH"] is True


ROOT = Path(__file__).resolve().parents[2]
PROCESSES = {
    "gunicorn (wsgi.py)": [
        sys.executable,
        "-c",
        "import wsgi; print(wsgi.app.config['SEARCH_INDEX_PREFIX'])",
    ],
    "flask CLI": [str(Path(sys.executable).with_name("flask")), "--app", "wsgi", "routes"],
    "worker": [sys.executable, "-m", "workers.run", "--burst"],
}


@pytest.mark.parametrize("process", sorted(PROCESSES))
def test_every_process_reads_the_same_env_file(tmp_path, process):
    env_file = tmp_path / "matchmaker.env"
    env_file.write_text("MATCHMAKER_ENV=development\nSMTP_PORT=abc\n", encoding="utf-8")
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MATCHMAKER_", "SMTP_", "FLASK_"))}
    environ |= {"MATCHMAKER_ENV_FILE": str(env_file), "MATCHMAKER_INSTANCE": str(tmp_path / "instance")}
    run = subprocess.run(
        PROCESSES[process], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0 and "SMTP_PORT" in run.stderr, (process, run.stderr[-500:])


def test_the_env_file_does_not_override_the_environment(tmp_path):
    env_file = tmp_path / "matchmaker.env"
    env_file.write_text("SEARCH_INDEX_PREFIX=fromfile-\nSMTP_HOST=mail.from.file\n", encoding="utf-8")
    environ = {"MATCHMAKER_ENV_FILE": str(env_file), "SMTP_HOST": "mail.from.env"}
    read_env_file(environ)
    assert environ["SEARCH_INDEX_PREFIX"] == "fromfile-" and environ["SMTP_HOST"] == "mail.from.env"


def test_production_warns_loudly_when_sms_and_mail_go_to_files(monkeypatch, tmp_path, caplog):
    import logging

    for key, value in {**PROD, "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("MATCHMAKER_ENV", "production")
    monkeypatch.setenv("MATCHMAKER_ENV_FILE", str(tmp_path / "none.env"))
    monkeypatch.setenv("SEARCH_LOCAL_PATH", str(tmp_path / "s.sqlite3"))
    before = list(logging.getLogger().handlers)
    try:
        with caplog.at_level(logging.WARNING, logger="matchmaker.config"):
            create_app()
    finally:
        for handler in [h for h in logging.getLogger().handlers if h not in before]:
            logging.getLogger().removeHandler(handler)
    warnings = [r.getMessage() for r in caplog.records if r.name == "matchmaker.config"]
    assert any("SMS_PROVIDER=outbox" in w for w in warnings) and any("SMTP_HOST" in w for w in warnings)
