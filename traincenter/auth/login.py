"""Flask-Login's set-up: the user loader checks the rotating session token."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from ..extensions import db
from ..params import parse_int


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

        raw_id, _, token = identity.partition(":")
        user_id = parse_int(raw_id, minimum=1)
        if user_id is None or not token:
            return None
        user = db.session.get(User, user_id)
        if user is None or not user.is_active or user.session_token != token:
            return None  # logged out, password changed or deactivated: the old cookie is dead
        return user
