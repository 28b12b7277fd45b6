"""The settings in force, read from the app config (which takes its defaults from ``rules``).

Every reader of a setting goes through this module: rules functions get their keyword arguments
here, and nothing else reads ``current_app.config``.
"""

from __future__ import annotations

from pathlib import Path

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


# --- the center and its addresses ---------------------------------------------------------------


def center_name() -> str:
    """The center's name, printed on certificates, notices and reports."""
    return _config()["CENTER_NAME"]


def public_base_url() -> str:
    """Base of the public verification URL printed in QR codes (no trailing slash)."""
    return (_config().get("PUBLIC_BASE_URL") or "").rstrip("/")


def certificate_masks_id_number() -> bool:
    """Whether the certificate PDF masks the holder's ID number (by default it shows it whole)."""
    return bool(_config().get("CERTIFICATE_MASK_ID_NUMBER", rules.CERTIFICATE_MASKS_ID_NUMBER))


def photo_dir() -> Path:
    """The folder of trainees' photos, outside the web root (created when missing)."""
    configured = _config().get("PHOTO_DIR")
    folder = Path(configured) if configured else Path(current_app.instance_path) / "photos"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- accounts and limits ------------------------------------------------------------------------


def password_hash_method() -> str:
    """werkzeug's hash method for passwords."""
    return _config().get("PASSWORD_HASH_METHOD", "scrypt")


def login_max_failures() -> int:
    """Failed logins allowed within the window before a login is throttled."""
    return _config()["LOGIN_MAX_FAILURES"]


def login_failure_window_minutes() -> int:
    """The window in which failed logins are counted."""
    return _config()["LOGIN_FAILURE_WINDOW_MINUTES"]


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
