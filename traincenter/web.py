"""Request-wide behaviour: security headers, error pages, template helpers, forced password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from . import navigation, rules, settings
from .i18n import LABELS, label

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)

ERROR_MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("No access"), _l("Your account may not open this page.")),
    404: (_l("Not found"), _l("There is no such page. Check the address or go back to the home page.")),
    405: (_l("Not allowed"), _l("This page cannot be used that way.")),
    413: (_l("File too large"), _l("The file is larger than the allowed %(mb)s MB. Split it or remove unneeded columns.")),
    429: (_l("Too many requests"), _l("Too many attempts in a short time. Please wait a few minutes and try again.")),
    500: (_l("Something went wrong"), _l("The server hit an error. Nothing was saved from this request; please try again.")),
}

# Endpoints a user who must change the initial password may still reach.
OPEN_DURING_PASSWORD_CHANGE = {"auth.change_password", "auth.logout", "static", "main.set_language"}


def register_web(app: Flask) -> None:
    """Install headers, error handlers, template helpers and the password-change gate."""

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages carry personal data: never keep them in a shared browser's or proxy's cache.
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.before_request
    def require_password_change():
        if (
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in OPEN_DURING_PASSWORD_CHANGE
        ):
            return redirect(url_for("auth.change_password", next=request.full_path))
        return None

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error: %s", error)
        from .extensions import db

        db.session.rollback()
        return render_error(500)

    app.jinja_env.globals.update(
        nav_items=lambda: navigation.items_for(current_user),
        label=label,
        LABELS=LABELS,
        rules=rules,
        format_date=format_date,
        format_datetime=format_datetime,
        get_locale=get_locale,
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
    )
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["hours"] = format_hours
    app.jinja_env.filters["percent"] = format_percent


def render_error(code: int):
    """The friendly error page for ``code``."""
    title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    mb = settings.max_upload_mb()
    return render_template("errors/error.html", code=code, title=title,
                           message=str(message) % {"mb": mb}), code


def format_score(value) -> str:
    """59.5 → '59.5', 60.0 → '60'; empty for None."""
    if value is None:
        return ""
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def format_hours(value) -> str:
    """Hours with at most one decimal."""
    return format_score(value or 0)


def format_percent(value) -> str:
    """A fraction as a percentage with one decimal; a dash when unknown."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


def safe_next(target: str | None) -> str | None:
    """Only follow relative redirects within this site."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target
