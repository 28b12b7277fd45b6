"""Locale selection, the request's catalogue and the labels of coded values shown to users."""

import functools
from datetime import date, datetime

from babel import Locale
from babel.dates import format_date as format_day
from flask import Flask, g, has_request_context, request, session
from flask.globals import _cv_app  # g without its proxy (see _babel_namespace)
from flask_babel import Domain, get_locale, get_translations, gettext
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from jinja2 import pass_eval_context
from markupsafe import Markup

from . import settings

SESSION_KEY = "lang"


def select_locale() -> str:
    """The user's explicit choice, else the browser's preference, else Chinese."""
    languages = settings.languages()
    if not has_request_context():
        return settings.cli_locale()  # the command line: --lang, LANG, else Chinese
    chosen = session.get(SESSION_KEY)
    if chosen in languages:
        return chosen
    if request.accept_languages:
        best = request.accept_languages.best_match(["zh", "zh-CN", "en"])
        if best and best.startswith("en"):
            return "en"
    return settings.default_locale()


# How a person reads a day and a moment, per language: 2026年11月9日, 2026年11月9日 14:05 (no
# seconds). ISO dates are for machines only (CSV, JSON, the API, <input type=date> values).
DATE_PATTERNS = {"zh": "y年M月d日", "en": "MMMM d, y"}
TIME_PATTERN = "HH:mm"


def _date_pattern() -> str:
    locale = current_locale()
    return DATE_PATTERNS.get(locale.language if locale else "zh", DATE_PATTERNS["en"])


def show_date(value: date | datetime | str | None) -> str:
    """A day as a person reads it: 2026年11月9日 (November 9, 2026 in English); '' for None.

    A datetime is naive UTC and shows the day it is in the center's time zone; an ISO string
    (from JSON) is read first. Every date on a page, sheet, PDF or Word document comes from here.
    """
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return babel_format_date(value, _date_pattern())  # the day in the center's time zone
    locale = current_locale()
    if locale is None:
        return babel_format_date(value, _date_pattern())
    return _written_day(value, str(locale))  # zh: the same as rules.chinese_date


@functools.lru_cache(maxsize=4096)
def _written_day(day: date, locale_name: str) -> str:
    """A day written out in a locale (a list or grid writes the same few hundred days again
    and again; Babel's formatting of one costs more than the rest of its row)."""
    locale = Locale.parse(locale_name)
    return format_day(day, DATE_PATTERNS.get(locale.language, DATE_PATTERNS["en"]), locale=locale)


def show_datetime(value: datetime | str | None) -> str:
    """A moment as a person reads it, in the center's time zone, without seconds:
    2026年11月9日 14:05; '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return show_date(value)
    return babel_format_datetime(value, f"{_date_pattern()} {TIME_PATTERN}")


def show_time(value: datetime | None) -> str:
    """The time of day of a moment, in the center's time zone: 14:05; '' for None."""
    return "" if value is None else babel_format_datetime(value, TIME_PATTERN)


# Punctuation the templates put around translated words: Chinese marks (full width, no space)
# for Chinese, ASCII marks with their space for English (scripts/i18n.py check guards the catalogue).
MARKS = {
    "zh": {":": "：", ";": "；", ",": "，", "(": "（", ")": "）"},
    "en": {":": ": ", ";": "; ", ",": ", ", "(": " (", ")": ")"},
}


def _marks() -> dict[str, str]:
    locale = current_locale()
    return MARKS["zh"] if locale is None or locale.language == "zh" else MARKS["en"]


def punct(mark: str) -> str:
    """A punctuation mark in the page's language: punct(":") is '：' in Chinese, ': ' in English."""
    return _marks()[mark]


def bracketed(text) -> Markup:
    """``text`` in brackets after a word: （text） in Chinese, ' (text)' in English (escaped)."""
    marks = _marks()
    return Markup(marks["("]) + (text if isinstance(text, str) else str(text)) + Markup(marks[")"])


class RequestDomain(Domain):
    """Flask-Babel's domain, remembering the catalogue once per request.

    Flask-Babel looks the catalogue up again for every string it translates (the request
    context, the locale, its name, a dictionary): a list page translates a few hundred strings,
    which cost more than its queries. This keeps the catalogue beside the locale it was found
    for, in Flask-Babel's own per-request namespace; ``force_locale`` and ``refresh`` replace
    that locale, so the catalogue is looked up again for them.
    """

    def get_translations(self):
        found = _kept_catalogue()
        if found is not None:
            return found
        translations = super().get_translations()
        try:
            namespace = g._flask_babel
            namespace.tc_catalogue = (namespace.babel_locale, translations)
        except (AttributeError, RuntimeError):  # outside a request, or no locale chosen
            pass
        return translations


def _babel_namespace():
    """Flask-Babel's per-request namespace (``g._flask_babel``), or None.

    Read through the app context's variable rather than the ``g`` proxy: a page asks this for
    every string and date it writes, and the proxy's look-up cost ten times as much."""
    context = _cv_app.get(None)
    return None if context is None else getattr(context.g, "_flask_babel", None)


def _kept_catalogue():
    """This request's catalogue when it was found for the locale in force, else None."""
    namespace = _babel_namespace()
    kept = getattr(namespace, "tc_catalogue", None)
    if kept is not None and kept[0] is getattr(namespace, "babel_locale", None):
        return kept[1]
    return None


def current_locale():
    """The locale of this request: Flask-Babel's ``get_locale`` once it has been chosen."""
    locale = getattr(_babel_namespace(), "babel_locale", None)
    return get_locale() if locale is None else locale


def catalogue():
    """The translations of this request (the kept catalogue, else Flask-Babel's look-up)."""
    found = _kept_catalogue()
    return get_translations() if found is None else found


def install_catalogue(app: Flask, babel) -> None:
    """Make Flask-Babel and the templates use the per-request catalogue.

    The templates' ``_``/``gettext`` behave as Jinja's "newstyle" ones (autoescaped, always
    %-formatted with their keyword arguments) but take the evaluation context, not the whole
    template context: Jinja copies a template context (every loop variable) for each call of
    a context-taking function inside a loop, and a long table translates its labels in a loop.
    """
    babel.domain_instance = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
    environment = app.jinja_env
    environment.install_gettext_callables(
        gettext=lambda text: catalogue().ugettext(text),
        ngettext=lambda singular, plural, n: catalogue().ungettext(singular, plural, n),
        pgettext=lambda context, text: catalogue().upgettext(context, text),
        npgettext=lambda context, singular, plural, n: catalogue().unpgettext(
            context, singular, plural, n),
        newstyle=True,
    )
    environment.globals.update(_=_template_gettext, gettext=_template_gettext,
                               ngettext=_template_ngettext, pgettext=_template_pgettext,
                               npgettext=_template_npgettext)


def _formatted(eval_context, text: str, variables: dict) -> str:
    if eval_context.autoescape:
        text = Markup(text)
    if not variables and "%" not in text:
        return text  # what ``text % {}`` gives, without escaping an empty mapping
    return text % variables  # always a format string, as Jinja's newstyle gettext


@pass_eval_context
def _template_gettext(eval_context, text: str, /, **variables) -> str:
    return _formatted(eval_context, catalogue().ugettext(text), variables)


@pass_eval_context
def _template_ngettext(eval_context, singular: str, plural: str, n: int, /, **variables) -> str:
    variables.setdefault("num", n)
    return _formatted(eval_context, catalogue().ungettext(singular, plural, n), variables)


@pass_eval_context
def _template_pgettext(eval_context, context: str, text: str, /, **variables) -> str:
    variables.setdefault("context", context)
    return _formatted(eval_context, catalogue().upgettext(context, text), variables)


@pass_eval_context
def _template_npgettext(eval_context, context: str, singular: str, plural: str, n: int, /,
                        **variables) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", n)
    return _formatted(eval_context, catalogue().unpgettext(context, singular, plural, n),
                      variables)


# Labels for the coded values of the data model, shared by every area.
LABELS = {
    "role": {
        "admin": _l("Administrator"),
        "staff": _l("Staff"),
        "instructor": _l("Instructor"),
        "trainee": _l("Trainee"),
    },
    "gender": {"F": _l("Female"), "M": _l("Male")},
    "education": {
        "illiterate": _l("Illiterate"),
        "primary": _l("Primary school"),
        "junior": _l("Junior middle school"),
        "vocational": _l("Vocational high school"),
        "senior": _l("Senior high school"),
        "college": _l("College or above"),
    },
    "origin": {
        "rural": _l("Rural"),
        "laid_off": _l("Urban laid-off or unemployed"),
        "other": _l("Other"),
    },
    "fee_payer": {"self": _l("Self-paid"), "subsidy": _l("Subsidy"), "employer": _l("Employer")},
    "fee_entry_kind": {"payment": _l("Payment"), "refund": _l("Refund"), "waiver": _l("Waiver")},
    "payment_method": {"cash": _l("Cash"), "wechat": _l("WeChat Pay"), "alipay": _l("Alipay"),
                       "bank_transfer": _l("Bank transfer")},
    "background_status": {"pending": _l("In progress"), "passed": _l("Check passed"),
                          "failed": _l("Check not passed")},
    "background_public": {"cleared": _l("Checked"), "pending": _l("Check in progress"),
                          "not_cleared": _l("No valid check on file")},
    "insurance_public": {"valid": _l("Insured"), "expired": _l("Insurance expired")},
    "class_kind": {"regular": _l("Regular class"), "retraining": _l("Retraining class")},
    "provider_kind": {"union": _l("Trade union"), "company": _l("Domestic-service company")},
    "level": {5: _l("Level 5 (basic)"), 4: _l("Level 4 (intermediate)"), 3: _l("Level 3 (advanced)")},
    "session_form": {
        "lecture": _l("Lecture"),
        "demonstration": _l("Demonstration"),
        "practice": _l("Practice"),
        "field_visit": _l("Field visit"),
    },
    "attendance": {
        "present": _l("Present"),
        "late": _l("Late"),
        "absent": _l("Absent"),
        "excused": _l("Excused"),
    },
    "checkin_method": {"register": _l("Register"), "qr": _l("QR check-in")},
    "application_status": {
        "received": _l("Received, waiting for review"),
        "waitlisted": _l("On the waiting list"),
        "accepted": _l("Accepted"),
        "declined": _l("Not accepted"),
    },
    "self_study_status": {
        "pending": _l("Waiting for verification"),
        "verified": _l("Verified"),
        "rejected": _l("Rejected"),
    },
    "enrolment_status": {
        "active": _l("In training"),
        "passed": _l("Passed"),
        "not_passed": _l("Closed, not passed"),
        "withdrawn": _l("Withdrawn"),
    },
    "exam_kind": {"first": _l("First exam"), "reexam": _l("Re-exam")},
    "result_status": {
        "draft": _l("Draft"),
        "submitted": _l("Submitted"),
        "published": _l("Published"),
    },
    "part": {"theory": _l("Theory"), "practical": _l("Practical")},
    "employer_type": {
        "household": _l("Household"),
        "company": _l("Domestic-service company"),
        "elderly_care": _l("Elderly-care institution"),
        "hospital": _l("Hospital"),
        "other": _l("Other"),
    },
    "duty_colour": {"green": _l("Fit for duty"), "yellow": _l("Fit for duty, needs attention soon"),
                    "red": _l("Not fit for duty")},
    "duty_reason": {
        "ok": _l("Certificate valid and health certificate valid"),
        "expiring": _l("Health certificate expires soon"),
        "no_certificate": _l("No training certificate"),
        "revoked": _l("Certificate revoked"),
        "no_health": _l("No health certificate"),
        "health_expired": _l("Health certificate expired"),
        "health_not_yet_valid": _l("Health certificate not yet valid"),
        "under_review": _l("Certificate under review"),
        "background_pending": _l("Background check in progress"),
        "background_failed": _l("Background check not passed"),
        "background_expiring": _l("Background check expires soon"),
        "background_expired": _l("Background check expired"),
        "background_not_cleared": _l("No valid background check"),
        "insurance_expiring": _l("Liability insurance expires soon"),
        "insurance_expired": _l("Liability insurance expired"),
        "insurance_not_yet_valid": _l("Liability insurance not yet in force"),
    },
    "lookup_channel": {"qr": _l("QR code"), "search": _l("Search"), "api": _l("API")},
    "lookup_outcome": {
        "valid": _l("Valid"),
        "revoked": _l("Revoked"),
        "under_review": _l("Under review"),
        "not_found": _l("No such certificate"),
    },
    "shortfall": {
        "classroom": _l("Classroom hours"),
        "self_study": _l("Verified self-study hours"),
        "total": _l("Total hours"),
    },
    "score_error": {
        "empty": _l("Enter a score or mark the part absent"),
        "not_a_number": _l("Not a number"),
        "out_of_range": _l("Scores run from 0 to 100"),
        "too_many_decimals": _l("At most one decimal place"),
    },
    "id_error": {
        "empty": _l("ID number is missing"),
        "length": _l("An ID number has 18 characters"),
        "characters": _l("An ID number has 17 digits and a final digit or X"),
        "birth_date": _l("The birth date inside the ID number is not a real date"),
        "checksum": _l("The ID number's check digit is wrong; please check each digit"),
    },
    "audit_action": {
        "exam.scheduled": _l("Exam scheduled"),
        "exam.candidate_added": _l("Candidate added"),
        "exam.candidate_removed": _l("Candidate removed"),
        "exam.submitted": _l("Scores submitted to staff"),
        "exam.sent_back": _l("Scores sent back to the instructor"),
        "exam.published": _l("Results published"),
        "exam.date_moved": _l("Exam date moved"),
        "placement.deleted": _l("Placement deleted"),
        "feedback.deleted": _l("Feedback deleted"),
        "track.created": _l("Track created"),
        "track.updated": _l("Track changed"),
        "track.retired": _l("Track retired"),
        "track.restored": _l("Track back in use"),
        "track.deleted": _l("Track deleted"),
        "course_module.updated": _l("Course module changed"),
        "course_module.retired": _l("Course module retired"),
        "course_module.restored": _l("Course module back in use"),
        "course_module.created": _l("Course module created"),
        "course_module.deleted": _l("Course module deleted"),
        "health_certificate.deleted": _l("Health certificate removed"),
        "background_check.deleted": _l("Background check removed"),
        "insurance_policy.deleted": _l("Insurance policy removed"),
    },
    "audit_object": {
        "exam": _l("Exam"),
        "placement": _l("Placement"),
        "track": _l("Track"),
        "course_module": _l("Course module"),
        "health_certificate": _l("Health certificate"),
        "background_check": _l("Background check"),
        "insurance_policy": _l("Insurance policy"),
    },
    "audit_field": {
        "class": _l("Class"),
        "kind": _l("Kind of exam"),
        "held_on": _l("Exam date"),
        "place": _l("Place"),
        "candidates": _l("Candidates"),
        "results": _l("Number of results"),
        "name": _l("Name (of a track or module)"),
        "attempt_no": _l("Attempt"),
        "status": _l("Status"),
        "theory": _l("Theory"),
        "practical": _l("Practical"),
        "carry_over_note": _l("Carried over"),
        "added_reason": _l("Reason it was added"),
        "history": _l("Score history"),
        "candidate": _l("Candidate list"),
        "trainee": _l("Trainee"),
        "employer_name": _l("Employer"),
        "employer_type": _l("Kind of employer"),
        "job_type": _l("Job"),
        "starts_on": _l("Start"),
        "ends_on": _l("End"),
        "monthly_wage": _l("Monthly wage (yuan)"),
        "contract_registered": _l("Labour contract registered"),
        "contract_registered_on": _l("Registered on"),
        "feedback": _l("Feedback from customers"),
        "rating": _l("Rating"),
        "comment": _l("Comment"),
        "given_on": _l("Given on"),
        "given_by": _l("Given by"),
        "channel": _l("How it was given"),
        "code": _l("Code"),
        "description": _l("Description"),
        "sort_order": _l("Order in lists"),
        "is_active": _l("In use"),
        "is_compulsory": _l("Compulsory"),
        "suggested_hours": _l("Suggested hours"),
    },
}


def label(kind: str, value) -> str:
    """The translated label of a coded value (falls back to the value itself)."""
    if value is None:
        return ""
    text = LABELS.get(kind, {}).get(value, value)
    if type(text) is LazyString and text._func is gettext and not text._kwargs \
            and len(text._args) == 1:
        return catalogue().ugettext(text._args[0])  # a plain lazy_gettext: skip its look-ups
    return str(text)
