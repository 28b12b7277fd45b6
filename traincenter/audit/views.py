"""Views of the audit area."""

from __future__ import annotations

from flask import render_template, request

from ..access import STAFF, role_required
from ..models.audit import AUDIT_OBJECTS
from ..params import arg_int, arg_page
from . import bp, queries

# Where each kind of record is shown (None: no page of its own).
OBJECT_PAGES = {"exam": ("exams.detail", "exam_id"),
                "placement": ("placement.placement", "placement_id"),
                "track": ("training.edit_track", "track_id"),
                "course_module": ("training.edit_module", "module_id")}


@bp.route("/")
@role_required(*STAFF)
def index():
    """Every audited correction, newest first; filtered by kind of record or trainee."""
    kind = request.args.get("kind") or None
    if kind not in AUDIT_OBJECTS:
        kind = None
    object_id = arg_int("id") if kind else None
    trainee_id = arg_int("trainee")
    page = queries.audit_page(kind, object_id, trainee_id, arg_page())
    return render_template("audit/index.html", page=page, kind=kind, object_id=object_id,
                           trainee_id=trainee_id, kinds=AUDIT_OBJECTS, pages=OBJECT_PAGES)
