"""Home page and language switch."""

from datetime import date
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from .. import settings
from ..access import STAFF
from ..i18n import SESSION_KEY
from ..web import safe_next
from . import bp, charts, queries


@bp.route("/")
def index():
    """Anonymous: the welcome page; trainees: their portal; others: their dashboard."""
    if not current_user.is_authenticated:
        return render_template("main/welcome.html")
    if current_user.role == "trainee" and "portal.home" in current_app.view_functions:
        return redirect(url_for("portal.home"))
    today = date.today()
    if current_user.role == "instructor":
        return render_template("main/instructor.html",
                               board=queries.instructor_dashboard(current_user, today))
    if current_user.role in STAFF:
        board = queries.staff_dashboard(today)
        chart = charts.grouped_bars([(str(month), trained, certified)
                                     for month, trained, certified in board["year"]["months"]])
        return render_template("main/staff.html", board=board, chart=chart)
    return render_template("main/welcome.html")


@bp.route("/lang/<code>")
def set_language(code: str):
    """Switch the interface language (stored in the session)."""
    if code in settings.languages():
        session[SESSION_KEY] = code
    parts = urlsplit(request.referrer or url_for("main.index"))
    local = parts.path + (f"?{parts.query}" if parts.query else "")
    return redirect(safe_next(local) or url_for("main.index"))
