"""Who may do what: role checks for views (``role_required``) and for operations (``require_role``).

Roles: admin, staff, instructor (only their own classes), trainee (only their own record).
"""

from __future__ import annotations

from functools import wraps

from flask import abort, current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .errors import DomainError

STAFF = ("admin", "staff")
TEACHING = ("admin", "staff", "instructor")
EVERYONE = ("admin", "staff", "instructor", "trainee")
STAFF_ONLY = _l("Only staff may do this.")


def role_required(*roles: str):
    """Allow only logged-in users holding one of ``roles``; others get the login page or 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = tuple(roles)
        return wrapped

    return decorator


def require_role(actor, *roles: str, message=STAFF_ONLY) -> None:
    """Raise ``DomainError(message)`` unless ``actor`` holds one of ``roles`` (operations call this)."""
    if actor is None or getattr(actor, "role", None) not in roles:
        raise DomainError(message)


def require_staff(actor, message=STAFF_ONLY) -> None:
    """Raise ``DomainError`` unless ``actor`` is admin or staff."""
    require_role(actor, *STAFF, message=message)


def teaches(user, training_class) -> bool:
    """Whether ``user`` may see and change ``training_class``: staff always, instructors only theirs."""
    if user.role in STAFF:
        return True
    if user.role == "instructor":
        return any(instructor.id == user.id for instructor in training_class.instructors)
    return False


def require_class_access(user, training_class) -> None:
    """Abort with 403 unless ``user`` may work with ``training_class`` (404 when there is none)."""
    if training_class is None:
        abort(404)
    if not teaches(user, training_class):
        abort(403)
