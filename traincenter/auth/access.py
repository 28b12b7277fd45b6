"""Who may do what: the login manager's loader and the ``role_required`` decorator."""

from __future__ import annotations

from functools import wraps

from flask import Flask, abort
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user

from ..extensions import db

STAFF = ("admin", "staff")
TEACHING = ("admin", "staff", "instructor")
EVERYONE = ("admin", "staff", "instructor", "trainee")


def init_login(app: Flask, login_manager: LoginManager) -> None:
    """Configure Flask-Login: the loader checks the rotating session token."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.localize_callback = gettext
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(identity: str):
        from ..models import User

        user_id, _, token = identity.partition(":")
        if not user_id.isdigit() or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or user.session_token != token:
            return None  # logged out, password changed or deactivated: the old cookie is dead
        return user


def role_required(*roles: str):
    """Allow only logged-in users holding one of ``roles``; others get the login page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


def teaches(user, training_class) -> bool:
    """Whether ``user`` may see and change ``training_class``: staff always, instructors only theirs."""
    if user.role in STAFF:
        return True
    if user.role == "instructor":
        return any(instructor.id == user.id for instructor in training_class.instructors)
    return False


def require_class_access(user, training_class) -> None:
    """Abort with 403 unless ``user`` may work with ``training_class``."""
    if training_class is None:
        abort(404)
    if not teaches(user, training_class):
        abort(403)
