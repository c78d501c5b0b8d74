"""Settings classes read from the environment: development (embedded defaults), testing, production."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from config import env
from config.env import ConfigError

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = Path(os.environ.get("MATCHMAKER_INSTANCE", ROOT / "instance"))


# Environment variable -> (setting, parser). Read when the app is created, never at import.
_SECONDS = env.number
ENV_SETTINGS: dict[str, tuple[str, env.Parser]] = {
    "SECRET_KEY": ("SECRET_KEY", env.text),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", env.text),
    "MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", env.integer(1024)),
    "TOKEN_TTL_HOURS": ("TOKEN_TTL_HOURS", env.integer(1)),
    "LOGIN_RATE_LIMIT": ("LOGIN_RATE_LIMIT", env.text),
    "LOGIN_LOCKOUT_FAILURES": ("LOGIN_LOCKOUT_FAILURES", env.integer(1)),
    "LOGIN_LOCKOUT_MINUTES": ("LOGIN_LOCKOUT_MINUTES", env.integer(1)),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", env.text),
    "TRUSTED_PROXIES": ("TRUSTED_PROXIES", env.integer(0, 10)),
    "REQUIRE_VERIFIED_ORG": ("REQUIRE_VERIFIED_ORG", env.flag),
    "EMBEDDED_SCHEDULER": ("EMBEDDED_SCHEDULER", env.flag),
    "SEARCH_BACKEND": ("SEARCH_BACKEND", env.choice("local", "elasticsearch", "es")),
    "SEARCH_LOCAL_PATH": ("SEARCH_LOCAL_PATH", env.text),
    "ELASTICSEARCH_URL": ("ELASTICSEARCH_URL", env.text),
    "ELASTICSEARCH_API_KEY": ("ELASTICSEARCH_API_KEY", env.text),
    "ELASTICSEARCH_USERNAME": ("ELASTICSEARCH_USERNAME", env.text),
    "ELASTICSEARCH_PASSWORD": ("ELASTICSEARCH_PASSWORD", env.text),
    "ELASTICSEARCH_CA_CERTS": ("ELASTICSEARCH_CA_CERTS", env.text),
    "ELASTICSEARCH_FINGERPRINT": ("ELASTICSEARCH_FINGERPRINT", env.text),
    "SEARCH_INDEX_PREFIX": ("SEARCH_INDEX_PREFIX", env.text),
    "ELASTICSEARCH_COMPAT_HEADERS": ("ELASTICSEARCH_COMPAT_HEADERS", env.flag),
    "ELASTICSEARCH_TIMEOUT": ("ELASTICSEARCH_TIMEOUT", _SECONDS),
    "SEARCH_REFRESH": ("SEARCH_REFRESH", env.flag),
    "SEARCH_SINGLE_HOST": ("SEARCH_SINGLE_HOST", env.flag),
    "SEARCH_COVERAGE_TTL": ("SEARCH_COVERAGE_TTL", _SECONDS),
    "SEARCH_VECTOR_DIM": ("SEARCH_VECTOR_DIM", env.integer(1, 4096)),
    "SEARCH_VECTOR_FIELD": ("SEARCH_VECTOR_FIELD", env.choice("auto", "dense_vector", "knn_vector", "none")),
    "REDIS_URL": ("REDIS_URL", env.text),
    "WORKER_TTL": ("WORKER_TTL", env.integer(20)),
    "MATCH_TOP": ("MATCH_TOP", env.integer(1, 1000)),
    "MATCH_PUSH_TOP": ("MATCH_PUSH_TOP", env.integer(0, 100)),
    "MATCH_PUSH_MIN_SCORE": ("MATCH_PUSH_MIN_SCORE", env.number),
    "MATCH_WEIGHTS": ("MATCH_WEIGHTS", env.json_object("numbers")),
    "MATCH_MIN_PROBABILITY": ("MATCH_MIN_PROBABILITY", env.number),
    "MATCH_EMBEDDER": ("MATCH_EMBEDDER", env.text),
    "MATCH_EMBEDDING_CACHE": ("MATCH_EMBEDDING_CACHE", env.text),
    "JOB_RETRY_MAX": ("JOB_RETRY_MAX", env.integer(0, 20)),
    "JOB_RETRY_INTERVALS": ("JOB_RETRY_INTERVALS", env.json_numbers),
    "JOB_TIMEOUTS": ("JOB_TIMEOUTS", env.json_object("numbers")),
    "OUTBOX_DIR": ("OUTBOX_DIR", env.text),
    "FILINGS_DIR": ("FILINGS_DIR", env.text),
    "PUBLIC_BASE_URL": ("PUBLIC_BASE_URL", env.text),
    "LINK_TEMPLATES": ("LINK_TEMPLATES", env.json_object("strings")),
    "SMTP_HOST": ("SMTP_HOST", env.text),
    "SMTP_PORT": ("SMTP_PORT", env.port),
    "SMTP_USER": ("SMTP_USER", env.text),
    "SMTP_PASSWORD": ("SMTP_PASSWORD", env.text),
    "SMTP_SSL": ("SMTP_SSL", env.flag),
    "SMTP_STARTTLS": ("SMTP_STARTTLS", env.flag),
    "SMTP_TIMEOUT": ("SMTP_TIMEOUT", _SECONDS),
    "SMTP_CA_FILE": ("SMTP_CA_FILE", env.text),
    "MAIL_FROM": ("MAIL_FROM", env.text),
    "SMS_PROVIDER": ("SMS_PROVIDER", env.choice("outbox", "aliyun", "tencent")),
    "SMS_SIGN_NAME": ("SMS_SIGN_NAME", env.text),
    "SMS_TEMPLATES": ("SMS_TEMPLATES", env.json_object("strings")),
    "ALIYUN_ACCESS_KEY_ID": ("ALIYUN_ACCESS_KEY_ID", env.text),
    "ALIYUN_ACCESS_KEY_SECRET": ("ALIYUN_ACCESS_KEY_SECRET", env.text),
    "ALIYUN_SMS_ENDPOINT": ("ALIYUN_SMS_ENDPOINT", env.text),
    "TENCENT_SECRET_ID": ("TENCENT_SECRET_ID", env.text),
    "TENCENT_SECRET_KEY": ("TENCENT_SECRET_KEY", env.text),
    "TENCENT_SMS_APP_ID": ("TENCENT_SMS_APP_ID", env.text),
    "TENCENT_SMS_REGION": ("TENCENT_SMS_REGION", env.text),
    "TENCENT_SMS_ENDPOINT": ("TENCENT_SMS_ENDPOINT", env.text),
    "SMS_QUIET_HOURS": ("SMS_QUIET_HOURS", env.text),
    "SMS_MAX_PER_NUMBER_PER_DAY": ("SMS_MAX_PER_NUMBER_PER_DAY", env.integer(0)),
    "SMS_MAX_PER_USER_PER_HOUR": ("SMS_MAX_PER_USER_PER_HOUR", env.integer(0)),
    "SMS_DAILY_CAP": ("SMS_DAILY_CAP", env.integer(0)),
    "NOTIFY_MAX_ATTEMPTS": ("NOTIFY_MAX_ATTEMPTS", env.integer(1, 20)),
    "NOTIFY_MAX_PUSHES_PER_DAY": ("NOTIFY_MAX_PUSHES_PER_DAY", env.integer(0)),
    "NOTIFY_OUTBOX_GRACE": ("NOTIFY_OUTBOX_GRACE", env.integer(0)),
    "NOTIFY_SENDING_TIMEOUT": ("NOTIFY_SENDING_TIMEOUT", env.integer(1)),
    "NOTIFY_RETRY_WAITS": ("NOTIFY_RETRY_WAITS", env.json_numbers),
    "MATCH_CLAIM_TIMEOUT": ("MATCH_CLAIM_TIMEOUT", env.integer(1)),
    "NOTIFY_SEND_BATCH": ("NOTIFY_SEND_BATCH", env.integer(1, 500)),
    "JOB_COALESCE": ("JOB_COALESCE", env.flag),
    "VERIFY_CODE_TTL_MINUTES": ("VERIFY_CODE_TTL_MINUTES", env.integer(1, 1440)),
    "VERIFY_MAX_PER_TARGET_PER_HOUR": ("VERIFY_MAX_PER_TARGET_PER_HOUR", env.integer(1)),
    "VERIFY_MAX_PER_TARGET_PER_DAY": ("VERIFY_MAX_PER_TARGET_PER_DAY", env.integer(1)),
    "VERIFY_MAX_PER_USER_PER_DAY": ("VERIFY_MAX_PER_USER_PER_DAY", env.integer(1)),
    "VERIFY_CLIENT_RATE_LIMIT": ("VERIFY_CLIENT_RATE_LIMIT", env.text),
    "LOG_LEVEL": ("LOG_LEVEL", env.choice("debug", "info", "warning", "error")),
    "LOG_FORMAT": ("LOG_FORMAT", env.choice("json", "text")),
    "METRICS_ENABLED": ("METRICS_ENABLED", env.flag),
}


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
    # Lockout: this many failed logins for one account within the window lock it for the window.
    LOGIN_LOCKOUT_FAILURES = 5
    LOGIN_LOCKOUT_MINUTES = 15
    RATELIMIT_STORAGE_URI: str | None = None
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits are kept per process in memory (Flask-Limiter logs the switch and the
    # recovery) instead of failing every login; short timeouts so a dead Redis costs a second at most.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS: dict[str, Any] = {"socket_connect_timeout": 1, "socket_timeout": 1}
    TRUSTED_PROXIES = 0  # reverse proxies in front of the app whose X-Forwarded-For is believed
    REQUIRE_VERIFIED_ORG = True  # only verified units submit listings and challenges or apply

    SEARCH_BACKEND = "local"
    SEARCH_LOCAL_PATH = str(INSTANCE / "search.sqlite3")
    ELASTICSEARCH_URL: str | None = None
    SEARCH_INDEX_PREFIX = "matchmaker-"
    # Seconds each process reuses its count of database rows against index documents (the
    # `partial` flag of search answers and /readyz); 0 counts on every request.
    SEARCH_COVERAGE_TTL = 5.0
    # The listing embedding's field in Elasticsearch/OpenSearch: read from the cluster by default.
    SEARCH_VECTOR_FIELD = "auto"
    SEARCH_VECTOR_DIM = 384  # the embedder's dimension (e5-small)
    # A secured cluster: an API key, or a user name and password; a private CA file or the
    # certificate's SHA-256 fingerprint when the cluster's certificate is self-signed.
    ELASTICSEARCH_API_KEY: str | None = None
    ELASTICSEARCH_USERNAME: str | None = None
    ELASTICSEARCH_PASSWORD: str | None = None
    ELASTICSEARCH_CA_CERTS: str | None = None
    ELASTICSEARCH_FINGERPRINT: str | None = None

    REDIS_URL: str | None = None
    # Without Redis: run the recurring jobs in a thread of this process (`make run` turns it on).
    EMBEDDED_SCHEDULER: bool = False
    MATCH_TOP = 20
    # Seconds after which a match run claimed by a job that died may be claimed by another
    # (None: 15 minutes, longer than any match job runs); the outage tests shorten it.
    MATCH_CLAIM_TIMEOUT: int | None = None
    MATCH_PUSH_TOP = 3
    # 匹配度 is a calibrated probability: below MATCH_MIN_PROBABILITY nothing is stored, below
    # MATCH_PUSH_MIN_SCORE nothing is pushed.
    MATCH_MIN_PROBABILITY = 0.5
    MATCH_PUSH_MIN_SCORE = 0.9
    MATCH_WEIGHTS: dict[str, float] | None = None
    MATCH_EMBEDDER = "e5-small-q4"  # matching.embedding.EMBEDDERS; "none" turns the semantic channel off
    MATCH_EMBEDDING_CACHE = str(INSTANCE / "embeddings.sqlite3")  # match-file's content-hash cache
    OUTBOX_DIR = str(INSTANCE / "outbox")
    # Attachments of 产学研 filings (contract scans, invoices, payment vouchers), by unguessable key.
    FILINGS_DIR = str(INSTANCE / "filings")

    # Notifications: e-mail goes over SMTP when SMTP_HOST is set, SMS through SMS_PROVIDER;
    # otherwise both are written to OUTBOX_DIR.
    PUBLIC_BASE_URL = "http://localhost:5000"
    # Paths of the pages messages link to (matchmaker/notifications/links.py has the defaults).
    LINK_TEMPLATES: dict[str, str] = {}
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
    SMS_DAILY_CAP = 2000  # paid SMS of the whole platform per day; staff are alerted when reached
    NOTIFY_MAX_ATTEMPTS = 4
    NOTIFY_MAX_PUSHES_PER_DAY = 3  # match recommendations per user per channel (e-mail, SMS); inbox gets all
    NOTIFY_SENDING_TIMEOUT = 180  # longer than the notify job timeout (120 s): a live send is never doubled
    NOTIFY_OUTBOX_GRACE = 60  # seconds an announcement waits for its own job before the drain replays it
    NOTIFY_SEND_BATCH = 10  # deliveries per send job (1: a work horse per delivery, the old way)
    # One waiting drain job at a time however many writes commit (off: a drain per write, the old way).
    JOB_COALESCE = True
    # Seconds before attempts 2, 3, 4, 5 of a failed delivery (empty: dispatch.RETRY_WAITS).
    NOTIFY_RETRY_WAITS: list[int] = []
    VERIFY_CODE_TTL_MINUTES = 10
    VERIFY_MAX_PER_TARGET_PER_HOUR = 5
    VERIFY_MAX_PER_TARGET_PER_DAY = 10
    VERIFY_MAX_PER_USER_PER_DAY = 10
    VERIFY_CLIENT_RATE_LIMIT = "10 per hour"

    LOG_LEVEL = "info"
    LOG_FORMAT = "json"
    METRICS_ENABLED = True

    API_TITLE = "matchmaker 产学研对接平台 API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    # Swagger UI's files come from the pinned flask-swagger-ui wheel (matchmaker/api/docs.py), never
    # from a CDN: a government intranet has no outside network.
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    OPENAPI_SWAGGER_UI_CONFIG = {"validatorUrl": None}
    API_SPEC_OPTIONS = {
        "info": {
            "description": "技术需求、科技成果、审核发布、检索与匹配。认证：`Authorization: Bearer <token>`。"
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }

    @classmethod
    def validate(cls, environ: Any) -> None:
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
    LOG_FORMAT = "text"
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    SEARCH_LOCAL_PATH = ":memory:"
    MATCH_EMBEDDER = "hash-bigram"  # the deterministic double; one test runs the real model
    MATCH_EMBEDDING_CACHE = ""  # no file cache: tests that want one give a path
    SEARCH_VECTOR_DIM = 64  # the test double's dimension
    RATELIMIT_STORAGE_URI = "memory://"
    SEARCH_COVERAGE_TTL = 0.0  # tests change the index between requests
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
    def validate(cls, environ: Any) -> None:
        """Refuse to start without SECRET_KEY and DATABASE_URL, or with a weak SECRET_KEY."""
        missing = [name for name in ("SECRET_KEY", "DATABASE_URL") if not environ.get(name)]
        if missing:
            raise ConfigError("生产环境缺少必需的环境变量 / missing required settings: " + ", ".join(missing))
        key = environ["SECRET_KEY"]
        # The key signs unsubscribe links and verification-code hashes: a known or short one
        # lets anyone forge them.
        if key in KNOWN_KEYS or len(key) < MIN_SECRET_KEY_LENGTH or len(set(key)) < 8:
            raise ConfigError(
                "生产环境的 SECRET_KEY 太弱 / SECRET_KEY is a development value or too weak: expected at "
                f"least {MIN_SECRET_KEY_LENGTH} random characters, e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`"
            )


CONFIGS: dict[str, type[BaseConfig]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
MIN_SECRET_KEY_LENGTH = 32
KNOWN_KEYS = {BaseConfig.SECRET_KEY, TestingConfig.SECRET_KEY, "change-me", "changeme", "secret"}


def load_settings(name: str | None = None, *, environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Settings for MATCHMAKER_ENV (default development): class defaults, `.env`, then the environment.

    With ``environ`` given (tests), only that mapping is read; otherwise ``.env`` is merged into
    os.environ first (variables already set win). Bad values raise ConfigError naming the variable.
    """
    if environ is None:
        env.read_env_file()
    source = os.environ if environ is None else environ
    name = name or source.get("MATCHMAKER_ENV", "development")
    try:
        cls = CONFIGS[name]
    except KeyError as exc:
        raise ConfigError(f"unknown MATCHMAKER_ENV {name!r}; choose one of {sorted(CONFIGS)}") from exc
    cls.validate(source)
    settings = {key: getattr(cls, key) for key in dir(cls) if key.isupper()}
    if name != "testing":
        for var, (key, parser) in ENV_SETTINGS.items():
            if source.get(var):
                settings[key] = env.parse_value(var, parser, source[var])
    env.check_elasticsearch(settings)
    if not settings.get("RATELIMIT_STORAGE_URI"):
        settings["RATELIMIT_STORAGE_URI"] = settings.get("REDIS_URL") or "memory://"
    return settings
