"""Login, logout and password change."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import DomainError
from ..extensions import limiter
from ..web import safe_next
from . import bp, services
from .forms import ChangePasswordForm, ConfirmForm, LoginForm


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("60 per minute", methods=["POST"])
def login():
    """Log in; trainees use their ID number or phone."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.login.data, form.password.data,
                                         request.remote_addr or "unknown")
        except DomainError as error:
            flash(str(error), "error")
            status = 429 if isinstance(error, services.ThrottledError) else 200
            return render_template("auth/login.html", form=form), status
        login_user(user)
        from flask import session

        session.permanent = True
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out and invalidate every copy of the session cookie."""
    form = ConfirmForm()
    if form.validate_on_submit():
        services.end_session(current_user)
        logout_user()
        flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (required at first login)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            form.new.errors.append(str(error))
        else:
            login_user(current_user._get_current_object())  # token rotated: renew only this cookie
            flash(_("Your password has been changed."), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/change_password.html", form=form)
