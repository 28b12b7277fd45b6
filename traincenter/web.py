"""Request-wide behaviour: security headers, error pages, template helpers, forced password change."""

from __future__ import annotations

import re
import secrets
from datetime import date, datetime
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from . import addresses, navigation, rules, settings
from .i18n import LABELS, bracketed, label, punct, show_date, show_datetime, show_time

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
    addresses.check_configured_base_url(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint != "static":
            # Pages carry personal data: never keep them in a shared browser's or proxy's cache.
            response.headers["Cache-Control"] = "no-store"
        response.headers["X-Request-ID"] = request_id()
        return response

    def refuse_nul_characters():
        # No form field, address or search takes a NUL character, and PostgreSQL refuses one in
        # a text value: turn it away as a malformed request before any query sees it (first in
        # line, ahead of the CSRF check whose error pages may look the address up).
        if any("\x00" in text for text in _request_texts()):
            abort(400)

    app.before_request_funcs.setdefault(None, []).insert(0, refuse_nul_characters)

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
        code = error.code or 500
        # A refused or malformed request is the client's doing: worth a line, not an alarm.
        app.logger.info("%s %s answered %s (request %s)", request.method, request.path, code,
                        request_id())
        return render_error(code)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unhandled error in request %s (%s %s): %s", request_id(),
                             request.method, request.path, error)
        from .extensions import db

        db.session.rollback()
        return render_error(500)

    app.jinja_env.globals.update(
        nav_items=lambda: navigation.items_for(current_user),
        nav_current=navigation.current_entry,
        label=label,
        LABELS=LABELS,
        rules=rules,
        # One way to print a day or a moment (i18n.show_*): 2026年11月9日, 2026年11月9日 14:05.
        format_date=show_date,
        format_datetime=show_datetime,
        format_time=show_time,
        punct=punct,
        get_locale=get_locale,
        has_endpoint=lambda endpoint: endpoint in app.view_functions,
        printable_base_url=printable_base_url,
        qr_address_warning=addresses.loopback_warning,
    )
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["hours"] = format_hours
    app.jinja_env.filters["percent"] = format_percent
    app.jinja_env.filters["audit_value"] = format_audit_value
    app.jinja_env.filters["yuan"] = format_yuan
    app.jinja_env.filters["date"] = show_date
    app.jinja_env.filters["datetime"] = show_datetime
    app.jinja_env.filters["time"] = show_time
    app.jinja_env.filters["bracketed"] = bracketed


def _request_texts():
    """Every text a user can put in this request: the path, query values and form fields (a
    file's bytes are not text and are left to the upload checks)."""
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    if request.method in {"POST", "PUT", "PATCH", "DELETE"} and request.mimetype in {
        "application/x-www-form-urlencoded", "multipart/form-data"
    }:
        for key, value in request.form.items(multi=True):
            yield key
            yield value


def printable_base_url() -> str | None:
    """The site's address to print on a slip for a phone, or None when it would be a loopback
    address (a slip never tells a trainee to open 127.0.0.1)."""
    base = addresses.public_base_url()
    return None if not base or addresses.is_loopback(base) else base


def request_id() -> str:
    """A short id for this request, in the log and on an error page, so a user can quote it."""
    if "request_id" not in g:
        g.request_id = secrets.token_hex(6)
    return g.request_id


def render_error(code: int):
    """The friendly error page for ``code`` (a server error shows the request id)."""
    title, message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    mb = settings.max_upload_mb()
    return render_template("errors/error.html", code=code, title=title,
                           message=str(message) % {"mb": mb},
                           request_id=request_id() if code >= 500 else None), code


def format_score(value) -> str:
    """59.5 → '59.5', 60.0 → '60'; empty for None."""
    if value is None:
        return ""
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def format_hours(value) -> str:
    """Hours with at most one decimal."""
    return format_score(value or 0)


def format_yuan(value) -> str:
    """An amount in yuan with two decimals and thousands separators: 1300 → '1,300.00'."""
    if value is None:
        return ""
    return rules.format_yuan(rules.to_fen(value))


def format_percent(value) -> str:
    """A fraction as a percentage with one decimal; a dash when unknown."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def format_audit_value(value) -> str:
    """A value kept by the audit trail (plain JSON) as a person reads it: dates in words,
    yes/no, whole numbers without decimals, a dash for nothing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return format_score(value)
    if isinstance(value, str):
        if ISO_DATE.fullmatch(value):
            return show_date(date.fromisoformat(value))
        if ISO_DATETIME.fullmatch(value):
            return show_datetime(datetime.fromisoformat(value))
    return str(value)


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: every ``next``/return parameter
    goes through here.

    Browsers drop tabs and newlines inside a URL and read a backslash as a slash, so a slash,
    a tab and a slash, or a slash and a backslash, before a host name lead off-site; the value is
    normalised the same way (control characters dropped, backslashes made slashes) first.
    """
    if not target:
        return None
    cleaned = "".join(ch for ch in target if ch >= " " and ch != "\x7f").replace("\\", "/")
    cleaned = cleaned.strip()
    if not cleaned.startswith("/") or cleaned.startswith("//"):
        return None
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc:
        return None
    return cleaned
