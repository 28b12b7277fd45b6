"""Rules behind issue 14's corrections: no scores before the exam's day, the standing the hours
pages show after an exam, and the public status of a certificate under review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from traincenter import rules

TODAY = date(2026, 11, 9)


@pytest.mark.parametrize(("held_on", "open_"), [
    (TODAY - timedelta(days=1), True), (TODAY, True), (TODAY + timedelta(days=1), False),
    (TODAY + timedelta(days=9), False),
])
def test_scores_open_from_the_exam_day_on(held_on, open_):
    assert rules.scores_open(held_on, TODAY) is open_


AHEAD, PAST = TODAY + timedelta(days=5), TODAY - timedelta(days=2)


@pytest.mark.parametrize(("plan", "next_exam_on", "standing"), [
    (None, None, None),                      # no exam yet: the hours decide
    (None, AHEAD, "exam_scheduled"),
    (None, TODAY, "exam_scheduled"),         # the exam is today
    (None, PAST, "results_pending"),         # sat, not published yet
    ("passed", None, "passed"),
    ("passed", AHEAD, "passed"),
    ("limit_reached", None, "limit_reached"),
    ("limit_reached", AHEAD, "limit_reached"),
    ("retake", None, "retake_pending"),
    ("retake", AHEAD, "reexam_scheduled"),
    ("retake", PAST, "results_pending"),
])
def test_exam_standing(plan, next_exam_on, standing):
    result = rules.exam_standing(plan, next_exam_on, TODAY)
    assert result == standing
    assert result is None or result in rules.STANDINGS


@pytest.mark.parametrize(("revoked", "review", "status"), [
    (False, False, "valid"), (False, True, "under_review"), (True, False, "revoked"),
    (True, True, "revoked"),
])
def test_certificate_status(revoked, review, status):
    assert rules.certificate_status(revoked=revoked, needs_review=review) == status
    assert status in rules.CERTIFICATE_STATUSES


def test_a_certificate_under_review_is_not_vouched_for():
    green = rules.DutyStatus(rules.GREEN, "ok", TODAY + timedelta(days=200))
    assert rules.certificate_duty(green, False) == green
    reviewed = rules.certificate_duty(green, False, under_review=True)
    assert (reviewed.colour, reviewed.reason, reviewed.is_fit) == (rules.RED, "under_review", False)
    assert reviewed.health_valid_until == green.health_valid_until
    revoked = rules.certificate_duty(green, True, under_review=True)
    assert revoked.reason == "revoked"
