"""Settings classes read from the environment: development (embedded defaults), testing, production."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("MATCHMAKER_INSTANCE", ROOT / "instance"))


def _flag(value: str) -> bool:
    """An on/off environment value: 1, true, yes, on."""
    return value.strip().lower() in ("1", "true", "yes", "on")


# Environment variable -> (setting, type). Read when the app is created, never at import.
ENV_SETTINGS: dict[str, tuple[str, Any]] = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", int),
    "TOKEN_TTL_HOURS": ("TOKEN_TTL_HOURS", int),
    "LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", str),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", int),
    "SEARCH_BACKEND": ("SEARCH_BACKEND", str),
    "SEARCH_LOCAL_PATH": ("SEARCH_LOCAL_PATH", str),
    "ELASTICSEARCH_URL": ("ELASTICSEARCH_URL", str),
    "SEARCH_INDEX_PREFIX": ("SEARCH_INDEX_PREFIX", str),
    "ELASTICSEARCH_COMPAT_HEADERS": ("ELASTICSEARCH_COMPAT_HEADERS", str),
    "ELASTICSEARCH_TIMEOUT": ("ELASTICSEARCH_TIMEOUT", float),
    "SEARCH_REFRESH": ("SEARCH_REFRESH", str),
    "SEARCH_SINGLE_HOST": ("SEARCH_SINGLE_HOST", _flag),
    "REDIS_URL": ("REDIS_URL", str),
    "WORKER_TTL": ("WORKER_TTL", int),
    "EMBEDDED_SCHEDULER": ("EMBEDDED_SCHEDULER", _flag),
    "MATCH_TOP": ("MATCH_TOP", int),
    "MATCH_PUSH_TOP": ("MATCH_PUSH_TOP", int),
    "MATCH_PUSH_MIN_SCORE": ("MATCH_PUSH_MIN_SCORE", float),
    "MATCH_WEIGHTS": ("MATCH_WEIGHTS", json.loads),
    "MATCH_MIN_PROBABILITY": ("MATCH_MIN_PROBABILITY", float),
    "MATCH_EMBEDDER": ("MATCH_EMBEDDER", str),
    "MATCH_EMBEDDING_CACHE": ("MATCH_EMBEDDING_CACHE", str),
    "JOB_RETRY_MAX": ("JOB_RETRY_MAX", int),
    "JOB_RETRY_INTERVALS": ("JOB_RETRY_INTERVALS", json.loads),
    "JOB_TIMEOUTS": ("JOB_TIMEOUTS", json.loads),
    "OUTBOX_DIR": ("OUTBOX_DIR", str),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", str),
    "SMTP_HOST": ("SMTP_HOST", str),
    "SMTP_PORT": ("SMTP_PORT", int),
    "SMTP_USER": ("SMTP_USER", str),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", str),
    "SMTP_SSL": ("SMTP_SSL", _flag),
    "SMTP_STARTTLS": ("SMTP_STARTTLS", _flag),
    "SMTP_TIMEOUT": ("SMTP_TIMEOUT", float),
    "SMTP_CA_FILE": ("SMTP_CA_FILE", str),
    "MAIL_FROM": ("MAIL_FROM", str),
    "SMS_PROVIDER": ("SMS_PROVIDER", str),
    "SMS_SIGN_NAME": ("SMS_SIGN_NAME", str),
    "SMS_TEMPLATES": ("SMS_TEMPLATES", json.loads),
    "ALIYUN_ACCESS_KEY_ID": ("ALIYUN_ACCESS_KEY_ID", str),
    "ALIYUN_ACCESS_KEY_SECRET": ("ALIYUN_ACCESS_KEY_SECRET", str),
    "ALIYUN_SMS_ENDPOINT": ("ALIYUN_SMS_ENDPOINT", str),
    "TENCENT_SECRET_ID": ("TENCENT_SECRET_ID", str),
    "TENCENT_SECRET_KEY": ("TENCENT_SECRET_KEY", str),
    "TENCENT_SMS_APP_ID": ("TENCENT_SMS_APP_ID", str),
    "TENCENT_SMS_REGION": ("TENCENT_SMS_REGION", str),
    "TENCENT_SMS_ENDPOINT": ("TENCENT_SMS_ENDPOINT", str),
    "SMS_QUIET_HOURS": ("SMS_QUIET_HOURS", str),
    "SMS_MAX_PER_NUMBER_PER_DAY": ("SMS_MAX_PER_NUMBER_PER_DAY", int),
    "SMS_MAX_PER_USER_PER_HOUR": ("SMS_MAX_PER_USER_PER_HOUR", int),
    "NOTIFY_MAX_ATTEMPTS": ("NOTIFY_MAX_ATTEMPTS", int),
    "NOTIFY_MAX_PUSHES_PER_DAY": ("NOTIFY_MAX_PUSHES_PER_DAY", int),
    "NOTIFY_OUTBOX_GRACE": ("NOTIFY_OUTBOX_GRACE", int),
    "NOTIFY_SENDING_TIMEOUT": ("NOTIFY_SENDING_TIMEOUT", int),
    "VERIFY_CODE_TTL_MINUTES": ("VERIFY_CODE_TTL_MINUTES", int),
    "VERIFY_MAX_PER_TARGET_PER_HOUR": ("VERIFY_MAX_PER_TARGET_PER_HOUR", int),
    "VERIFY_CLIENT_RATE_LIMIT": ("VERIFY_CLIENT_RATE_LIMIT", str),
}


class ConfigError(RuntimeError):
    """Raised when a setting that must come from the environment is missing."""


class BaseConfig:
    """Settings shared by every environment; each value may be overridden by an environment variable."""

    ENV_NAME = "base"
    SECRET_KEY: str | None = "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI: str | None = f"sqlite:///{INSTANCE / 'matchmaker.sqlite3'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    JSON_SORT_KEYS = False

    TOKEN_TTL_HOURS = 24 * 7
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536
    LOGIN_RATE_LIMIT = "10 per minute"
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits are kept per process in memory (Flask-Limiter logs the switch and the
    # recovery) instead of failing every login; short timeouts so a dead Redis costs a second at most.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    TRUSTED_PROXIES = 0

    SEARCH_BACKEND = "local"
    SEARCH_LOCAL_PATH = str(INSTANCE / "search.sqlite3")
    ELASTICSEARCH_URL: str | None = None
    SEARCH_INDEX_PREFIX = "matchmaker-"

    REDIS_URL: str | None = None
    # Without Redis: run the recurring jobs in a thread of this process (`make run` turns it on).
    EMBEDDED_SCHEDULER: bool = False
    MATCH_TOP = 20
    MATCH_PUSH_TOP = 3
    # 匹配度 is a calibrated probability: below MATCH_MIN_PROBABILITY nothing is stored, below
    # MATCH_PUSH_MIN_SCORE nothing is pushed.
    MATCH_MIN_PROBABILITY = 0.5
    MATCH_PUSH_MIN_SCORE = 0.9
    MATCH_WEIGHTS: dict[str, float] | None = None
    MATCH_EMBEDDER = "e5-small-q4"  # matching.embedding.EMBEDDERS; "none" turns the semantic channel off
    MATCH_EMBEDDING_CACHE = str(INSTANCE / "embeddings.sqlite3")  # match-file's content-hash cache
    OUTBOX_DIR = str(INSTANCE / "outbox")

    # Notifications: e-mail goes over SMTP when SMTP_HOST is set, SMS through SMS_PROVIDER;
    # otherwise both are written to OUTBOX_DIR.
    PUBLIC_BASE_URL = "http://localhost:5000"
    SMTP_HOST: str | None = None
    SMTP_PORT = 465
    SMTP_USER: str | None = None
    SMTP_PASSWORD: str | None = None
    SMTP_SSL = True
    SMTP_STARTTLS = False
    SMTP_TIMEOUT = 10.0
    SMTP_CA_FILE: str | None = None  # a private CA for an internal relay; the system store otherwise
    MAIL_FROM = "产学研对接平台 <noreply@matchmaker.local>"
    SMS_PROVIDER = "outbox"
    SMS_SIGN_NAME = "产学研对接平台"
    SMS_TEMPLATES: dict[str, str] = {}
    ALIYUN_ACCESS_KEY_ID: str | None = None
    ALIYUN_ACCESS_KEY_SECRET: str | None = None
    ALIYUN_SMS_ENDPOINT = "https://dysmsapi.aliyuncs.com/"
    TENCENT_SECRET_ID: str | None = None
    TENCENT_SECRET_KEY: str | None = None
    TENCENT_SMS_APP_ID: str | None = None
    TENCENT_SMS_REGION = "ap-guangzhou"
    TENCENT_SMS_ENDPOINT = "https://sms.tencentcloudapi.com/"
    SMS_QUIET_HOURS = "21:00-08:00"
    SMS_MAX_PER_NUMBER_PER_DAY = 5
    SMS_MAX_PER_USER_PER_HOUR = 3
    NOTIFY_MAX_ATTEMPTS = 4
    NOTIFY_MAX_PUSHES_PER_DAY = 3  # match recommendations per user per channel (e-mail, SMS); inbox gets all
    NOTIFY_SENDING_TIMEOUT = 180  # longer than the notify job timeout (120 s): a live send is never doubled
    NOTIFY_OUTBOX_GRACE = 60  # seconds an announcement waits for its own job before the drain replays it
    VERIFY_CODE_TTL_MINUTES = 10
    VERIFY_MAX_PER_TARGET_PER_HOUR = 5
    VERIFY_CLIENT_RATE_LIMIT = "10 per hour"

    API_TITLE = "matchmaker 产学研对接平台 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/"
    API_SPEC_OPTIONS = {
        "info": {
            "description": "技术需求、科技成果、审核发布、检索与匹配。认证：`Authorization: Bearer <token>`。"
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }

    @classmethod
    def validate(cls, env: Any) -> None:
        """Check the environment; the base configuration needs nothing from it."""


class DevelopmentConfig(BaseConfig):
    """Embedded defaults for `make run`: SQLite, FTS5 search, inline jobs, local outbox."""

    ENV_NAME = "development"
    # One person tries the demo and the README walk-throughs log in a dozen times in a row.
    LOGIN_RATE_LIMIT = "120 per minute"


class TestingConfig(BaseConfig):
    """Settings for the test suite; tests override paths per test."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SEARCH_LOCAL_PATH = ":memory:"
    MATCH_EMBEDDER = "hash-bigram"  # the deterministic double; one test runs the real model
    RATELIMIT_STORAGE_URI = "memory://"
    TOKEN_TTL_HOURS = 24
    ARGON2_TIME_COST = 1
    # Every test builds an app; the OpenAPI document is built when first asked for instead of at
    # start-up (about 60% of creating an app). tests/api/test_health_docs.py builds it in full.
    API_SPEC_LAZY = True
    ARGON2_MEMORY_COST = 1024


class ProductionConfig(BaseConfig):
    """Production: every secret and connection string must come from the environment."""

    ENV_NAME = "production"
    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None
    SESSION_COOKIE_SECURE = True

    @classmethod
    def validate(cls, env: Any) -> None:
        """Refuse to start without SECRET_KEY and DATABASE_URL."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not env.get(name)]
        if missing:
            raise ConfigError("生产环境缺少必需的环境变量 / missing required settings: " + ", ".join(missing))


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def load_settings(name: str | None = None, *, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Settings for MATCHMAKER_ENV (default development): class defaults, then the environment."""
    env = os.environ if environ is None else environ
    name = name or env.get("MATCHMAKER_ENV", "development")
    try:
        cls = CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(f"unknown MATCHMAKER_ENV {name!r}; choose one of {sorted(CONFIGS)}") from exc
    cls.validate(env)
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    if name != "testing":
        for var, (key, kind) in ENV_SETTINGS.items():
            if env.get(var):
                settings[key] = kind(env[var])
    if not settings.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = settings.get("REDIS_URL") or "memory://"
    return settings
