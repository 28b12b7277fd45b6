"""WSGI entry point: ``gunicorn wsgi:app``."""

from traincenter import create_app

app = create_app()
