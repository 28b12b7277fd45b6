"""traincenter: the application factory."""

from __future__ import annotations

import importlib
import os
from pathlib import Path

from flask import Flask

from . import rules

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

# One blueprint per area, in the order their navigation appears.
AREAS = (
    "main",
    "auth",
    "trainees",
    "applications",
    "fees",
    "training",
    "exams",
    "retraining",
    "certificates",
    "placement",
    "reports",
    "portal",
    "public",
    "audit",
)


class ConfigurationError(RuntimeError):
    """The app refuses to start with an unsafe configuration."""


def create_app(config: str | type | None = None, **overrides) -> Flask:
    """Build the app: config → extensions → blueprints → error handlers → CLI."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_DIR / "templates"),
        instance_path=str(PROJECT_DIR / "instance"),
    )
    register_config(app, config, overrides)
    register_extensions(app)
    register_blueprints(app)
    from .web import register_web

    register_web(app)
    from .cli import register_cli

    register_cli(app)
    return app


def register_config(app: Flask, config: str | type | None, overrides: dict) -> None:
    """Load the config class and overrides; refuse production without a SECRET_KEY."""
    from config import CONFIGS, config_name  # config imports traincenter.rules: import it late

    name = config if isinstance(config, str) else None
    cls = config if isinstance(config, type) else CONFIGS[name or config_name()]
    app.config.from_object(cls)
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(PACKAGE_DIR / "translations")
    if cls.__name__ == "ProductionConfig" and not app.config.get("SECRET_KEY"):
        raise ConfigurationError("SECRET_KEY must be set in production")
    for name in ("PASS_MARK_THEORY", "PASS_MARK_PRACTICAL"):
        if rules.pass_mark_error(app.config[name]):
            raise ConfigurationError(f"{name} must be a number from 0 to 100")
    if app.config.get("BEHIND_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)


def register_extensions(app: Flask) -> None:
    """Bind the extension objects and the database engine settings."""
    from . import db_engine
    from .extensions import babel, csrf, db, limiter, login_manager, migrate
    from .i18n import install_catalogue, select_locale

    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = db_engine.options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    db.init_app(app)
    with app.app_context():
        db_engine.configure(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_DIR / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    install_catalogue(app, babel)
    limiter.init_app(app)
    from .auth.login import init_login

    init_login(app, login_manager)


def register_blueprints(app: Flask) -> None:
    """Register each area's blueprint (``traincenter.<area>.bp``)."""
    from .params import IdConverter

    app.url_map.converters["int"] = IdConverter  # ids beyond the database's INTEGER: 404
    for area in AREAS:
        module = importlib.import_module(f"{__name__}.{area}")
        app.register_blueprint(module.bp)
