"""Configuration classes. The only module that reads ``os.environ``."""

import os
from datetime import timedelta
from pathlib import Path

from traincenter import rules

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


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else float(default)


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
    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_MB", rules.MAX_UPLOAD_MB) * rules.MB
    MAX_IMPORT_ROWS = _int("MAX_IMPORT_ROWS", rules.MAX_IMPORT_ROWS)
    MAX_XLSX_UNCOMPRESSED_MB = _int("MAX_XLSX_UNCOMPRESSED_MB", rules.MAX_XLSX_UNCOMPRESSED_MB)

    # Languages
    BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("TIMEZONE", "Asia/Shanghai")
    LANGUAGES = {"zh_Hans_CN": "中文", "en": "English"}
    # Command-line output: Chinese unless LANG asks for English (``--lang`` overrides both).
    CLI_LOCALE = "en" if os.environ.get("LANG", "").lower().startswith("en") else "zh_Hans_CN"

    # Rate limits (Flask-Limiter). Redis when RATELIMIT_STORAGE_URI is set, else per-process memory.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    VERIFY_RATE_LIMIT = os.environ.get("VERIFY_RATE_LIMIT", "30 per minute;300 per hour")
    # Login throttling (rules.logins): a per-account lockout with growing delays, and a separate
    # per-address cap high enough for a whole classroom on one Wi-Fi address.
    LOGIN_MAX_FAILURES = _int("LOGIN_MAX_FAILURES", rules.LOGIN_FREE_FAILURES)
    LOGIN_LOCK_FIRST_MINUTES = _float("LOGIN_LOCK_FIRST_MINUTES", rules.LOGIN_LOCK_FIRST_MINUTES)
    LOGIN_LOCK_MAX_MINUTES = _float("LOGIN_LOCK_MAX_MINUTES", rules.LOGIN_LOCK_MAX_MINUTES)
    LOGIN_FAILURE_MEMORY_HOURS = _float("LOGIN_FAILURE_MEMORY_HOURS",
                                        rules.LOGIN_FAILURE_MEMORY_HOURS)
    LOGIN_ADDRESS_MAX_FAILURES = _int("LOGIN_ADDRESS_MAX_FAILURES", rules.LOGIN_ADDRESS_MAX_FAILURES)
    LOGIN_ADDRESS_WINDOW_MINUTES = _float("LOGIN_ADDRESS_WINDOW_MINUTES",
                                          rules.LOGIN_ADDRESS_WINDOW_MINUTES)
    LOGIN_ADDRESS_REQUESTS_PER_MINUTE = _int("LOGIN_ADDRESS_REQUESTS_PER_MINUTE",
                                             rules.LOGIN_ADDRESS_REQUESTS_PER_MINUTE)

    # Domain settings: the defaults are the rules' named constants; the environment overrides them.
    # Pass marks apply to exams scheduled from now on (each exam records the marks in force).
    PASS_MARK_THEORY = _float("PASS_MARK_THEORY", rules.PASS_MARK)
    PASS_MARK_PRACTICAL = _float("PASS_MARK_PRACTICAL", rules.PASS_MARK)
    CARRY_OVER_MONTHS = _int("CARRY_OVER_MONTHS", rules.CARRY_OVER_MONTHS)
    ATTEMPT_LIMIT = _int("ATTEMPT_LIMIT", rules.ATTEMPT_LIMIT)
    SELF_STUDY_MAX_HOURS_PER_DAY = _float("SELF_STUDY_MAX_HOURS_PER_DAY",
                                          rules.SELF_STUDY_MAX_HOURS_PER_DAY)
    HEALTH_WARNING_DAYS = _int("HEALTH_WARNING_DAYS", rules.HEALTH_WARNING_DAYS)
    DEFAULT_FEE = _float("DEFAULT_FEE", rules.DEFAULT_FEE)

    # Online applications (报名): checks against bots; the poster's contact lines.
    APPLY_MIN_FILL_SECONDS = _int("APPLY_MIN_FILL_SECONDS", rules.APPLY_MIN_FILL_SECONDS)
    APPLY_MAX_PER_ADDRESS_PER_DAY = _int("APPLY_MAX_PER_ADDRESS_PER_DAY",
                                         rules.APPLY_MAX_PER_ADDRESS_PER_DAY)
    # Requests per address to send the form or check a status (Flask-Limiter; Redis if set).
    APPLY_RATE_LIMIT = os.environ.get("APPLY_RATE_LIMIT", "30 per hour")

    # QR check-in: the window around a session, when an arrival is late, limits per address/user.
    CHECKIN_MARGIN_MINUTES = _int("CHECKIN_MARGIN_MINUTES", rules.CHECKIN_MARGIN_MINUTES)
    CHECKIN_LATE_AFTER_MINUTES = _int("CHECKIN_LATE_AFTER_MINUTES",
                                      rules.CHECKIN_LATE_AFTER_MINUTES)
    CHECKIN_SCAN_RATE_LIMIT = os.environ.get("CHECKIN_SCAN_RATE_LIMIT", "300 per minute")
    CHECKIN_CODE_RATE_LIMIT = os.environ.get("CHECKIN_CODE_RATE_LIMIT", "10 per minute")

    # Photos users upload (self-study work): kept outside the web root, re-encoded, no EXIF.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE_DIR / "uploads")
    WORK_PHOTO_MAX_MB = _int("WORK_PHOTO_MAX_MB", rules.WORK_PHOTO_MAX_MB)  # photos of self-study

    # Certificates and public pages
    CENTER_NAME = os.environ.get("CENTER_NAME", "市妇联家政服务员培训中心")
    CENTER_PHONE = os.environ.get("CENTER_PHONE", "")  # printed on the application poster
    CENTER_ADDRESS = os.environ.get("CENTER_ADDRESS", "")
    # The address phones open from QR codes and slips. Unset: the address each request came in
    # on (open the system through its LAN address before printing). Never a loopback default.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "").strip()
    # The certificate PDF shows the holder's full ID number unless this is on (public pages mask).
    CERTIFICATE_MASK_ID_NUMBER = _bool("CERTIFICATE_MASK_ID_NUMBER",
                                       rules.CERTIFICATE_MASKS_ID_NUMBER)

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
