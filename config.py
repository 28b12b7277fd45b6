"""Configuration classes. The only module that reads ``os.environ``."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url() -> str:
    """Return DATABASE_URL normalised for SQLAlchemy (psycopg 3 driver), or the SQLite default."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'traincenter.db'}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


class Config:
    """Settings shared by every environment; each can be overridden by an environment variable."""

    SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-not-secret"
    SQLALCHEMY_DATABASE_URI = _database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Sessions and cookies (see GOTCHAS: Secure is a deployment setting).
    PERMANENT_SESSION_LIFETIME = timedelta(hours=_int("SESSION_HOURS", 8))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session: long score sheets must not lose the submit
    BEHIND_PROXY = _bool("BEHIND_PROXY", False)

    # Uploads
    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", 10) * 1024 * 1024
    MAX_IMPORT_ROWS = _int("MAX_IMPORT_ROWS", 20000)
    MAX_XLSX_UNCOMPRESSED_MB = _int("MAX_XLSX_UNCOMPRESSED_MB", 100)

    # Languages
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}

    # Rate limits (Flask-Limiter). Redis when RATELIMIT_STORAGE_URI is set, else per-process memory.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", 5)
    LOGIN_FAILURE_WINDOW_MINUTES = _int("LOGIN_FAILURE_WINDOW_MINUTES", 15)

    # Domain settings (the defaults live in traincenter.rules; these override them).
    PASS_MARK_THEORY = float(os.environ.get("PASS_MARK_THEORY", 60))
    PASS_MARK_PRACTICAL = float(os.environ.get("PASS_MARK_PRACTICAL", 60))
    CARRY_OVER_MONTHS = _int("CARRY_OVER_MONTHS", 12)
    ATTEMPT_LIMIT = _int("ATTEMPT_LIMIT", 2)
    SELF_STUDY_MAX_HOURS_PER_DAY = float(os.environ.get("SELF_STUDY_MAX_HOURS_PER_DAY", 8))
    HEALTH_WARNING_DAYS = _int("HEALTH_WARNING_DAYS", 30)
    DEFAULT_FEE = _int("DEFAULT_FEE", 1300)

    # Certificates and public pages
    CENTER_NAME = os.environ.get("CENTER_NAME", "市妇联家政服务员培训中心")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")

    DEMO_SEED = _int("DEMO_SEED", 20261126)


class DevelopmentConfig(Config):
    """Local development: the embedded SQLite database with demo data."""

    DEBUG = False


class TestingConfig(Config):
    """The test suite: a database per run (DATABASE_URL or a temporary SQLite file)."""

    TESTING = True
    SECRET_KEY = "testing-secret"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # fast hashes keep the suite quick


class ProductionConfig(Config):
    """Production: SECRET_KEY is required; cookies Secure when SESSION_COOKIE_SECURE=1."""

    SECRET_KEY = os.environ.get("SECRET_KEY")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_name() -> str:
    """Name of the configuration selected by TRAINCENTER_ENV (default: development)."""
    return os.environ.get("TRAINCENTER_ENV", "development")
