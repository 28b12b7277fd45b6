"""Plain-word sentences about retraining and re-exams, shared by the next step and the notices.

The sentences live here; ``next_step`` and ``notices`` only choose them from the data. Every
function returns text translated into the current locale.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from .. import rules
from ..i18n import show_date
from ..web import format_score

# A part named as an exam ("the practical exam") and as a short word ("practical").
PART_EXAM = {"theory": _l("theory exam"), "practical": _l("practical exam")}
PART_SHORT = {"theory": _l("theory"), "practical": _l("practical")}

REASONS = {
    "limit_reached": _l("Attempt limit reached"),
    "expired": _l("Carried-over part expired"),
}


def long_date(day: date) -> str:
    """A date written out in full (2026年12月3日)."""
    return show_date(day)


def join_words(words: list[str]) -> str:
    """Join one or two words with 'and' (和)."""
    words = [str(word) for word in words]
    if len(words) == 1:
        return words[0]
    return gettext("%(first)s and %(second)s", first=", ".join(words[:-1]), second=words[-1])


def parts_to_sit(parts) -> str:
    """What the trainee sits: 只考实操 / 理论和实操都要考."""
    parts = [part for part in rules.PARTS if part in parts]
    if len(parts) == 1:
        return gettext("%(part)s only", part=PART_SHORT[parts[0]])
    return gettext("both theory and practical")


def failed_parts(failed: list[str], absent: list[str]) -> list[str]:
    """'你的实操考核未通过。' and/or '你理论考试缺考。'."""
    sentences = []
    if failed:
        sentences.append(gettext("Your %(parts)s did not pass.",
                                 parts=join_words([PART_EXAM[p] for p in failed])))
    if absent:
        sentences.append(gettext("You were absent from the %(parts)s.",
                                 parts=join_words([PART_EXAM[p] for p in absent])))
    return sentences


def retraining_class(starts_on: date, place: str | None) -> str:
    """'二次培训：12月3日起，地点：…。'."""
    if place:
        return gettext("Retraining: from %(date)s, place: %(place)s.",
                       date=long_date(starts_on), place=place)
    return gettext("Retraining: from %(date)s.", date=long_date(starts_on))


def retraining_not_arranged() -> str:
    """No retraining class yet."""
    return gettext("The center will place you in a retraining class and tell you the dates.")


def reexam(held_on: date, place: str | None, parts) -> str:
    """'补考：12月20日，地点：…，只考实操。'."""
    if place:
        return gettext("Re-exam: %(date)s, place: %(place)s, %(what)s.",
                       date=long_date(held_on), place=place, what=parts_to_sit(parts))
    return gettext("Re-exam: %(date)s, %(what)s.", date=long_date(held_on),
                   what=parts_to_sit(parts))


def reexam_not_scheduled(parts) -> str:
    """The re-exam has no date yet."""
    return gettext("The re-exam date is not set yet; the center will tell you. At the re-exam: "
                   "%(what)s.", what=parts_to_sit(parts))


def reexam_waiting_for_results() -> str:
    """A re-exam was held but its results are not published yet."""
    return gettext("Your re-exam results are not published yet.")


def carried(part: str, score, valid_until: date) -> str:
    """'理论成绩 72 分保留至 2027年5月19日。'."""
    return gettext("Your %(part)s score of %(score)s is kept until %(date)s.",
                   part=PART_SHORT[part], score=format_score(score), date=long_date(valid_until))


def expired_sit_both(part: str, valid_until: date) -> str:
    """A carried part lapses before the re-exam: both parts are sat again."""
    return gettext("Your %(part)s score was kept only until %(date)s and will have expired by the "
                   "re-exam, so you must sit both parts.",
                   part=PART_SHORT[part], date=long_date(valid_until))


def expired_no_retake(part: str, valid_until: date) -> str:
    """A carried part has lapsed: no re-exam within this course."""
    return gettext("Your %(part)s score was kept only until %(date)s and has expired, so this "
                   "course allows no more re-exams.",
                   part=PART_SHORT[part], date=long_date(valid_until))


def limit_reached(limit: int) -> str:
    """The course's attempts are used up."""
    return gettext("You have used all %(limit)s exam attempts of this course; the course is closed.",
                   limit=limit)


def start_again() -> str:
    """What to do after the limit or an expired part."""
    return gettext("You may start again in a new regular class, where you sit both the theory "
                   "and the practical exam.")


def last_chance() -> str:
    """The next re-exam is the course's last attempt."""
    return gettext("This re-exam is your last chance in this course.")


def instead() -> str:
    """Staff wording of what a trainee who may no longer retake must do."""
    return gettext("Enrol in a new regular class and sit both parts")


def notice_greeting(name: str) -> str:
    """Opening of an SMS / phone notice."""
    return gettext("%(name)s, hello.", name=name)


def notice_signature(center: str) -> str:
    """Closing of an SMS / phone notice."""
    return gettext("Please come on time. — %(center)s", center=center)
