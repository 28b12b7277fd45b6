"""Reads of the main area: the dashboards. Every tile counts with the very query of the list it
links to (the list's own filter), so the figure and the list always agree."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import extract, func, select

from .. import rules
from ..certificates import watchlist
from ..certificates.queries import count_certificates
from ..exams.queries import ExamFilters, count_exams
from ..extensions import db
from ..models import Certificate, DataVersion
from ..models.base import has_unflushed_changes
from ..models.reports import CHANGED
from ..placement.queries import count_placements
from ..reports import aggregates
from ..trainees.queries import TraineeFilters, count_trainees
from ..training.queries import ClassFilters, count_classes, count_pending, taught_current


def staff_dashboard(today: date) -> dict[str, object]:
    """Counts staff act on (work waiting, flags, expiries) and this year's key figures."""
    return {
        "trainees": count_trainees(TraineeFilters()),
        "running_classes": count_classes(None, ClassFilters(state="running"), today),
        "in_training": count_trainees(TraineeFilters(status="active")),
        "pending_self_study": count_pending(None),
        "results_to_publish": count_exams(None, ExamFilters(status="submitted")),
        "certificates_to_review": count_certificates(status="review"),
        "health_expiring": watchlist.count_state("expiring", today),
        "year": kept_year_figures(today.year, today),
    }


_KEPT = "traincenter.year_figures"


def kept_year_figures(year: int, today: date) -> dict[str, object]:
    """``year_figures``, kept in this process while the data they count has not changed.

    Counting the year is most of the staff home page's time (a fifth of a second at 20,000
    trainees); the figures change only with the data. Every committed write to the tables they
    count from moves the data version on (``models.reports``); the figures are kept for the
    version and the time of that last change (a restored backup brings both back with its data),
    the year and the day. Counted afresh, and not kept, while this session holds writes of its
    own that are not committed."""
    session = db.session()
    if has_unflushed_changes(session) or session.info.get(CHANGED):
        return year_figures(year, today)
    stamp = session.execute(select(DataVersion.version, DataVersion.changed_at)
                            .where(DataVersion.id == 1)).first()
    key = (year, today, None if stamp is None else tuple(stamp))
    kept = current_app.extensions.setdefault(_KEPT, {})
    figures = kept.get(key)
    if figures is None:
        figures = year_figures(year, today)
        kept.clear()  # only the newest figures are ever asked for again
        kept[key] = figures
    return figures


def year_figures(year: int, today: date) -> dict[str, object]:
    """This year's key figures, each as its list counts it; the first-attempt pass rate and the
    trainees per month as the annual report defines them (``reports.aggregates``)."""
    # Different trainees among the courses whose first sitting fell in the year (takers) and
    # among those who passed at that sitting, counted in the database.
    takers, passed = db.session.execute(aggregates.first_sitting_counts(year, today)).one()
    by_month = {int(row.month): row.trainees
                for row in db.session.execute(aggregates.trainees_by_month(year, today))}
    issued = {int(month): n for month, n in db.session.execute(
        select(extract("month", Certificate.issued_on), func.count(Certificate.id))
        .where(Certificate.issued_on.between(date(year, 1, 1), date(year, 12, 31)),
               Certificate.revoked_at.is_(None))
        .group_by(extract("month", Certificate.issued_on)))}
    return {
        "year": year,
        "trained": count_trainees(TraineeFilters(year=year)),
        "classes": count_classes(None, ClassFilters(year=year), today),
        "takers": takers,
        "first_passed": passed,
        "pass_rate": rules.pass_rate(passed, takers),
        "certified": count_certificates(status="valid", year=year),
        "placements": count_placements(year),
        "months": [(month, by_month.get(month, 0), issued.get(month, 0))
                   for month in range(1, 13)],
    }


def instructor_dashboard(user, today: date) -> dict[str, object]:
    """An instructor's running and coming classes and the work waiting in them."""
    return {
        "classes": taught_current(user.id, today),
        "all_classes": count_classes(user, ClassFilters(), today),
        "running_classes": count_classes(user, ClassFilters(state="running"), today),
        "pending_self_study": count_pending(user),
        "exams_entering": count_exams(user, ExamFilters(status="entering")),
        "today": today,
    }

