"""The retraining area: the retraining list, retraining classes, notices, starting again."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from ..access import STAFF
from ..navigation import nav_item

bp = Blueprint("retraining", __name__, url_prefix="/retraining")

nav_item("retraining.index", _l("Retraining"), STAFF, order=50)


@bp.context_processor
def retraining_words():
    """Part names and reasons in the area's own plain words."""
    from . import wording

    return {"part_word": lambda part: wording.PART_SHORT[part], "reasons": wording.REASONS,
            "instead_text": wording.instead}


from . import views  # noqa: E402,F401
