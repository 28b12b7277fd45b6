"""Public pages: verify a certificate (QR code, search, JSON API) and the registry (公示)."""

from __future__ import annotations

from datetime import date

from flask import abort, jsonify, render_template, request
from flask_babel import gettext as _

from .. import settings
from ..extensions import limiter
from ..params import arg_int, arg_page
from ..services import catalog
from ..trainees import photos
from . import bp, openapi, operations, queries


def _verify_limit() -> str:
    return settings.verify_rate_limit()


@bp.errorhandler(429)
def too_many(error):  # noqa: ARG001
    """API clients get JSON; people get the friendly page."""
    if request.path.startswith("/api/"):
        return jsonify(found=False, error="rate_limited",
                       message=_("Too many lookups in a short time. Please wait and try again.")), 429
    from ..web import render_error

    return render_error(429)


# One budget per client address for every way of looking a certificate up (QR, search, API).
verify_limit = limiter.shared_limit(_verify_limit, scope="verify")


@bp.route("/verify/<code>")
@verify_limit
def verify(code: str):
    """What the certificate's QR code opens: the certificate's status, large, on a phone."""
    view = operations.verify_code(code, "qr", request.remote_addr)
    if view is None:
        return render_template("public/not_found.html"), 404
    return render_template("public/verify.html", view=view, today=date.today(),
                           warning_days=settings.health_warning_days())


@bp.route("/verify")
@limiter.shared_limit(_verify_limit, scope="verify", exempt_when=lambda: not request.args)
def verify_search():
    """Search by certificate number and the holder's full name."""
    number = request.args.get("number", "")
    name = request.args.get("name", "")
    if not request.args:
        return render_template("public/search.html", number="", name="", errors={})
    errors = {}
    if not number.strip():
        errors["number"] = _("Enter the certificate number.")
    if not name.strip():
        errors["name"] = _("Enter the worker's full name.")
    if errors:
        return render_template("public/search.html", number=number, name=name, errors=errors), 400
    view, _code = operations.verify_search(number, name, request.remote_addr)
    if view is None:
        return render_template("public/search.html", number=number, name=name, errors={},
                               not_found=True), 404
    return render_template("public/verify.html", view=view, today=date.today(),
                           warning_days=settings.health_warning_days())


@bp.route("/verify/<code>/photo.jpg")
@limiter.limit(_verify_limit)
def verify_photo(code: str):
    """The holder's photo on the verify page: only when she consented to public listing and the
    certificate stands (a lookup of the page itself is what is logged)."""
    data = queries.public_photo(code)
    if data is None:
        abort(404)
    return photos.photo_response(data)


@bp.route("/registry")
@limiter.limit(_verify_limit)
def registry():
    """Certified workers who agreed to be listed, masked, by track."""
    track_id = arg_int("track")
    page, rows = queries.registry(track_id, arg_page())
    return render_template("public/registry.html", page=page, rows=rows, track_id=track_id,
                           tracks=catalog.active_tracks())


@bp.route("/api/v1/verify/<code>")
@verify_limit
def api_verify(code: str):
    """The verify page as JSON (described at /api/v1/openapi.json)."""
    view = operations.verify_code(code, "api", request.remote_addr)
    if view is None:
        return jsonify(found=False, error="not_found",
                       message=_("No certificate has this code.")), 404
    return jsonify(view.as_json())


@bp.route("/api/v1/openapi.json", endpoint="openapi")
def openapi_document():
    """The OpenAPI 3 description of the verification API."""
    return jsonify(openapi.document())
