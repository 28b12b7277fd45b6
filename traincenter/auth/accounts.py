"""The administrator's account pages: list, create, reset a password, (de)activate."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..access import role_required
from ..errors import DomainError
from ..extensions import db
from ..models import User
from ..navigation import nav_item
from . import bp, services
from .forms import ConfirmForm, NewUserForm

nav_item("auth.users", _l("Accounts"), ("admin",), order=90)


@bp.route("/users")
@role_required("admin")
def users():
    """Staff, instructor and admin accounts."""
    return render_template("auth/users.html", users=services.list_accounts(), form=ConfirmForm())


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def new_user():
    """Create an account; its one-time password is shown once."""
    form = NewUserForm()
    if form.validate_on_submit():
        try:
            user, password = services.create_user(form.username.data, form.display_name.data,
                                                  form.role.data, phone=form.phone.data or None)
        except DomainError as error:
            form.username.errors.append(str(error))
        else:
            return render_template("auth/slip.html", user=user, password=password)
    return render_template("auth/new_user.html", form=form)


def _account(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role == "trainee":
        abort(404)
    return user


@bp.route("/users/<int:user_id>/reset", methods=["POST"])
@role_required("admin")
def reset_user(user_id: int):
    """Give the account a new one-time password."""
    user = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    password = services.reset_password(user)
    return render_template("auth/slip.html", user=user, password=password)


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@role_required("admin")
def toggle_user(user_id: int):
    """Deactivate an active account or reactivate an inactive one."""
    user = _account(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.set_account_active(user, not user.is_active_account, current_user)
    except DomainError as error:
        flash(str(error), "error")
    else:
        flash(_("Account %(name)s is now %(state)s.", name=user.username,
                state=_("active") if user.is_active_account else _("deactivated")), "success")
    return redirect(url_for("auth.users"))
