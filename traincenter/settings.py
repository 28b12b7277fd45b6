"""The settings in force, read from the app config (which takes its defaults from ``rules``).

Every reader of a setting goes through this module: rules functions get their keyword arguments
here, and nothing else reads ``current_app.config``.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context

from . import rules


def _config():
    return current_app.config


# --- domain rules -------------------------------------------------------------------------------


def pass_marks() -> rules.PassMarks:
    """The pass marks for exams scheduled now (each exam keeps the marks it was scheduled with)."""
    config = _config()
    return rules.PassMarks(theory=float(config["PASS_MARK_THEORY"]),
                           practical=float(config["PASS_MARK_PRACTICAL"]))


def attempt_settings() -> dict[str, int]:
    """Keyword arguments for ``rules.plan_next_attempt``: the attempt limit and carry-over months."""
    config = _config()
    return {"limit": config["ATTEMPT_LIMIT"], "months": config["CARRY_OVER_MONTHS"]}


def attempt_limit() -> int:
    """Exam attempts allowed per course (first exam + re-exams)."""
    return _config()["ATTEMPT_LIMIT"]


def carry_over_months() -> int:
    """How long a passed part is carried over."""
    return _config()["CARRY_OVER_MONTHS"]


def health_warning_days() -> int:
    """Days before expiry when the status turns yellow."""
    return _config()["HEALTH_WARNING_DAYS"]


def self_study_max_hours_per_day() -> float:
    """The plausibility limit of self-study hours logged for one day."""
    return float(_config()["SELF_STUDY_MAX_HOURS_PER_DAY"])


def default_fee() -> float:
    """The course fee a new class starts with."""
    return float(_config()["DEFAULT_FEE"])


def upload_limits() -> rules.UploadLimits:
    """How big an upload may be (the rules' defaults outside an app)."""
    if not has_app_context():
        return rules.UploadLimits()
    config = _config()
    return rules.UploadLimits(
        max_bytes=config["MAX_CONTENT_LENGTH"],
        max_rows=config["MAX_IMPORT_ROWS"],
        max_uncompressed=config["MAX_XLSX_UNCOMPRESSED_MB"] * rules.MB,
    )


def max_upload_mb() -> int:
    """The upload size limit in whole MB (said on the 413 page)."""
    return _config()["MAX_CONTENT_LENGTH"] // rules.MB


def photo_limits() -> rules.ImageLimits:
    """What an uploaded photo of self-study work may be (the rules' defaults outside an app)."""
    if not has_app_context():
        return rules.ImageLimits()
    return rules.ImageLimits(max_bytes=int(_config()["WORK_PHOTO_MAX_MB"]) * rules.MB)


def upload_folder() -> Path:
    """Where uploaded photos are kept, outside the web root (``instance/uploads`` by default):
    ``portraits/`` (trainees' passport photos) and ``self_study/`` (photos of her work)."""
    return Path(_config()["UPLOAD_FOLDER"])


# --- online applications and QR check-in --------------------------------------------------------


def apply_min_fill_seconds() -> int:
    """The least time between showing the application form and sending it."""
    return int(_config()["APPLY_MIN_FILL_SECONDS"])


def apply_max_per_address_per_day() -> int:
    """Applications one network address may send in 24 hours."""
    return int(_config()["APPLY_MAX_PER_ADDRESS_PER_DAY"])


def apply_rate_limit() -> str:
    """Flask-Limiter's limit on sending the application form and on status checks."""
    return _config()["APPLY_RATE_LIMIT"]


def checkin_settings() -> dict[str, int]:
    """Keyword arguments for ``rules.checkin_window``: the margin and when an arrival is late."""
    config = _config()
    return {"margin_minutes": int(config["CHECKIN_MARGIN_MINUTES"]),
            "late_after_minutes": int(config["CHECKIN_LATE_AFTER_MINUTES"])}


def checkin_scan_rate_limit() -> str:
    """Flask-Limiter's limit on opening check-in QR codes, per network address."""
    return _config()["CHECKIN_SCAN_RATE_LIMIT"]


def checkin_code_rate_limit() -> str:
    """Flask-Limiter's limit on check-in codes a trainee sends, per account."""
    return _config()["CHECKIN_CODE_RATE_LIMIT"]


def secret_key(purpose: str) -> bytes:
    """A key for one purpose (check-in codes, form stamps), derived from SECRET_KEY."""
    secret = str(_config()["SECRET_KEY"]).encode()
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()


def timezone_name() -> str:
    """The center's time zone (sessions are scheduled in its wall-clock time)."""
    return _config()["BABEL_DEFAULT_TIMEZONE"]


def local_time(epoch_seconds: float) -> datetime:
    """The center's wall-clock time (naive) of a moment given in Unix seconds."""
    return datetime.fromtimestamp(epoch_seconds, ZoneInfo(timezone_name())).replace(tzinfo=None)


def local_now() -> datetime:
    """The center's wall-clock time now (naive), to compare with session times."""
    return local_time(time.time())


# --- the center and its addresses ---------------------------------------------------------------


def center_name() -> str:
    """The center's name, printed on certificates, notices and reports."""
    return _config()["CENTER_NAME"]


def center_phone() -> str:
    """The center's telephone number for applicants (may be empty)."""
    return _config().get("CENTER_PHONE") or ""


def center_address() -> str:
    """The center's address for applicants (may be empty)."""
    return _config().get("CENTER_ADDRESS") or ""


def public_base_url() -> str:
    """The configured base of addresses printed for people (no trailing slash; '' when unset:
    ``addresses.public_base_url`` then takes the request's host)."""
    return (_config().get("PUBLIC_BASE_URL") or "").rstrip("/")


def certificate_masks_id_number() -> bool:
    """Whether the certificate PDF masks the holder's ID number (by default it shows it whole)."""
    return bool(_config().get("CERTIFICATE_MASK_ID_NUMBER", rules.CERTIFICATE_MASKS_ID_NUMBER))


# --- accounts and limits ------------------------------------------------------------------------


def password_hash_method() -> str:
    """werkzeug's hash method for passwords."""
    return _config().get("PASSWORD_HASH_METHOD", "scrypt")


def login_throttle() -> rules.LoginThrottle:
    """The login throttling in force: per-account lockout and the per-address cap."""
    config = _config()
    return rules.LoginThrottle(
        free_failures=config["LOGIN_MAX_FAILURES"],
        first_lock_minutes=config["LOGIN_LOCK_FIRST_MINUTES"],
        max_lock_minutes=config["LOGIN_LOCK_MAX_MINUTES"],
        memory_hours=config["LOGIN_FAILURE_MEMORY_HOURS"],
        address_max_failures=config["LOGIN_ADDRESS_MAX_FAILURES"],
        address_window_minutes=config["LOGIN_ADDRESS_WINDOW_MINUTES"],
        address_requests_per_minute=config["LOGIN_ADDRESS_REQUESTS_PER_MINUTE"],
    )


def login_rate_limit() -> str:
    """Flask-Limiter's cap on login forms sent from one address (room for a whole classroom)."""
    return login_throttle().address_rate_limit


def verify_rate_limit() -> str:
    """Flask-Limiter's limit string for public verification lookups."""
    return _config()["VERIFY_RATE_LIMIT"]


# --- languages ----------------------------------------------------------------------------------


def languages() -> dict[str, str]:
    """The interface languages: locale code → its own name."""
    return _config()["LANGUAGES"]


def default_locale() -> str:
    """The locale of pages, documents and notices unless a user chose another (Chinese)."""
    return _config()["BABEL_DEFAULT_LOCALE"]


def cli_locale() -> str:
    """The locale of command-line output: this command's ``--lang``, else LANG, else Chinese."""
    chosen = g.get("cli_locale") if has_app_context() else None
    return chosen or _config().get("CLI_LOCALE") or default_locale()


def use_cli_locale(code: str | None) -> None:
    """Make ``code`` (zh or en) the locale of this command's output (None: LANG's default)."""
    g.cli_locale = None if not code else ("en" if code.lower().startswith("en")
                                           else default_locale())


# --- infrastructure -----------------------------------------------------------------------------


def database_url() -> str:
    """The SQLAlchemy URL of the configured database."""
    return _config()["SQLALCHEMY_DATABASE_URI"]


def demo_seed() -> int:
    """The random seed of the demo data (the same data on every machine)."""
    return _config()["DEMO_SEED"]
