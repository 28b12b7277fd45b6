"""Views of the auth area: login, logout, password change and the administrator's accounts."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import settings
from ..access import role_required
from ..errors import DomainError
from ..extensions import limiter
from ..forms import ConfirmForm, show_error
from ..params import arg_choice, arg_page, arg_text
from ..web import safe_next
from . import bp, operations, queries
from .forms import ChangePasswordForm, LoginForm, NewUserForm


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(settings.login_rate_limit, methods=["POST"])
def login():
    """Log in; trainees use their ID number or phone."""
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = operations.authenticate(form.login.data, form.password.data,
                                           request.remote_addr or "unknown")
        except DomainError as error:
            show_error(form, error)
            status = 429 if isinstance(error, operations.ThrottledError) else 200
            return render_template("auth/login.html", form=form), status
        login_user(user)
        session.permanent = True
        return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out and invalidate every copy of the session cookie."""
    form = ConfirmForm()
    if form.validate_on_submit():
        operations.end_session(current_user)
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
            operations.change_password(current_user, form.current.data, form.new.data)
        except DomainError as error:
            show_error(form, error)
        else:
            login_user(current_user._get_current_object())  # token rotated: renew only this cookie
            flash(_("Your password has been changed."), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("main.index"))
    return render_template("auth/change_password.html", form=form)


# ---------------------------------------------------------------------------------------------
# The administrator's accounts
# ---------------------------------------------------------------------------------------------


@bp.route("/users")
@role_required("admin")
def users():
    """Staff, instructor and admin accounts: paged, searchable, by role and state."""
    search = arg_text("q")
    role = arg_choice("role", queries.ACCOUNT_ROLES)
    state = arg_choice("state", queries.ACCOUNT_STATES)
    page = queries.account_list(search, role, state, arg_page())
    return render_template("auth/users.html", page=page, users=page.items, search=search,
                           role=role, state=state, form=ConfirmForm(),
                           locks=queries.lock_states(page.items))


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    """Create an account; its one-time password is shown once."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user, password = operations.create_user(form.username.data, form.display_name.data,
                                                    form.role.data, phone=form.phone.data or None)
        except DomainError as error:
            show_error(form, error)
        else:
            return render_template("auth/slip.html", user=user, password=password)
    return render_template("auth/new_user.html", form=form)


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@role_required("admin")
def reset_user(user_id: int):
    """Give the account a new one-time password."""
    user = queries.account_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = operations.reset_password(user)
    return render_template("auth/slip.html", user=user, password=password)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required("admin")
def toggle_user(user_id: int):
    """Deactivate an active account or reactivate an inactive one."""
    user = queries.account_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        operations.set_account_active(user, not user.is_active_account, current_user)
    except DomainError as error:
        show_error(None, error)
    else:
        flash(_("Account %(name)s is now %(state)s.", name=user.username,
                state=_("active") if user.is_active_account else _("deactivated")), "success")
    return redirect(url_for("auth.users"))


@bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@role_required("admin")
def unlock_user(user_id: int):
    """Clear an account's failed logins: it can log in again at once."""
    user = queries.account_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    operations.unlock_account(user, current_user)
    flash(_("Account %(name)s is unlocked: it can log in again now.", name=user.username),
          "success")
    return redirect(url_for("auth.users"))
