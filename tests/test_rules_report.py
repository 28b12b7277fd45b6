"""The annual report's counting rules (rules.report), tested directly."""

from __future__ import annotations

from datetime import date

import pytest

from traincenter import rules
from traincenter.rules import Sitting


@pytest.mark.parametrize(("withdrawn", "complete", "ended", "status"), [
    (False, True, True, "completed"),
    (False, True, False, "completed"),      # hours done before the class ends
    (False, False, False, "in_training"),
    (False, False, True, "stopped"),        # the class ended without the hours: 中止
    (True, False, False, "stopped"),        # withdrew after 16 h: 退学
    (True, True, True, "stopped"),          # withdrawn wins over the hours
])
def test_training_status(withdrawn, complete, ended, status):
    assert rules.training_status(withdrawn=withdrawn, hours_complete=complete, class_ended=ended) == status


def test_a_trainee_counts_once_with_her_best_status():
    assert rules.best_training_status(["stopped", "completed", "in_training"]) == "completed"
    assert rules.best_training_status(["stopped", "in_training"]) == "in_training"
    assert rules.best_training_status(["stopped"]) == "stopped"
    assert rules.best_training_status([]) is None


@pytest.mark.parametrize(("classroom", "self_study", "complete"), [
    (80, 70, True), (79.9, 70.1, False), (80, 69.95, True), (90, 60, False), (100, 70, True),
])
def test_hours_complete(classroom, self_study, complete):
    assert rules.hours_complete(classroom, self_study, 80, 70, 150) is complete


@pytest.mark.parametrize(("score", "absent", "carried", "sat"), [
    (75, False, False, True), (0, False, False, True), (None, True, False, False),
    (None, False, True, False),  # a carried-over part is not a sitting
    (None, False, False, False),
])
def test_part_was_sat(score, absent, carried, sat):
    assert rules.part_was_sat(score, absent, carried) is sat


def test_first_sitting_skips_an_exam_she_missed_entirely():
    missed = Sitting(date(2025, 4, 20), 1, sat=False, passed=False)
    reexam = Sitting(date(2025, 6, 30), 2, sat=True, passed=True, kind="reexam")
    assert rules.first_sitting([reexam, missed]) == reexam
    assert rules.first_sitting([missed]) is None
    first = Sitting(date(2025, 4, 20), 1, sat=True, passed=False)
    assert rules.first_sitting([reexam, first]) == first


def test_passed_by_the_as_of_date():
    reexam = Sitting(date(2026, 3, 1), 2, sat=True, passed=True, kind="reexam")
    assert not rules.passed_by([reexam], date(2026, 2, 28))
    assert rules.passed_by([reexam], date(2026, 3, 1))


def test_a_carried_part_and_absence_is_no_reexam_taker():
    # Practical carried over, absent from theory, the only part she had to sit: no sitting.
    sat = rules.part_was_sat(None, True, False) or rules.part_was_sat(None, False, True)
    assert not rules.is_reexam_taker(Sitting(date(2025, 6, 30), 2, sat=sat, passed=False, kind="reexam"))
    assert rules.is_reexam_taker(Sitting(date(2025, 6, 30), 2, sat=True, passed=False, kind="reexam"))
    assert not rules.is_reexam_taker(Sitting(date(2025, 4, 20), 1, sat=True, passed=False))


@pytest.mark.parametrize(("starts_on", "as_of", "placed"), [
    (date(2025, 5, 1), date(2026, 1, 10), True),    # the issue date itself
    (date(2025, 4, 30), date(2026, 1, 10), False),  # before the certificate
    (date(2026, 1, 10), date(2026, 1, 10), True),   # the as-of date itself
    (date(2026, 1, 11), date(2026, 1, 10), False),  # after the as-of date
])
def test_counts_as_placed(starts_on, as_of, placed):
    assert rules.counts_as_placed(date(2025, 5, 1), starts_on, as_of) is placed


def test_placement_start_error():
    assert rules.placement_start_error(date(2025, 5, 1), []) == "no_certificate"
    assert rules.placement_start_error(date(2025, 4, 30), [date(2025, 5, 1)]) == "before_certificate"
    assert rules.placement_start_error(date(2025, 5, 1), [date(2025, 5, 1)]) is None
    assert rules.placement_start_error(date(2025, 6, 1), [date(2025, 7, 1), date(2025, 5, 1)]) is None


@pytest.mark.parametrize(("issued_on", "revoked", "outcome"), [
    (date(2025, 7, 1), False, "certified_same_year"),
    (date(2026, 1, 5), False, "certified_later"),
    (None, True, "revoked"),
    (None, False, "not_certified"),
    (date(2024, 12, 1), False, "certified_earlier"),
])
def test_pass_outcome(issued_on, revoked, outcome):
    assert rules.pass_outcome(issued_on, revoked, 2025) == outcome


@pytest.mark.parametrize(("passed", "held_on", "origin"), [
    (True, date(2025, 4, 20), "passed_same_year"),
    (True, date(2024, 12, 20), "passed_earlier"),
    (False, date(2025, 4, 20), "not_a_pass"),
    (True, None, "not_a_pass"),
])
def test_certificate_origin(passed, held_on, origin):
    assert rules.certificate_origin(passed, held_on, 2025) == origin


def test_reconciliation_adds_up_from_passes_to_certificates():
    passes = {"certified_same_year": 10, "certified_later": 2, "not_certified": 1, "revoked": 1}
    certificates = {"passed_same_year": 10, "passed_earlier": 3}
    lines = rules.reconcile_certificates(passes, certificates)
    assert [(line.key, line.sign * line.count) for line in lines] == [
        ("certified_later", -2), ("revoked", -1), ("not_certified", -1), ("passed_earlier", 3)]
    assert 14 + sum(line.sign * line.count for line in lines) == 13
    assert rules.reconcile_certificates({"certified_same_year": 4}, {"passed_same_year": 4}) == []


def test_reconciliation_closes_an_unexplained_gap():
    lines = rules.reconcile_certificates({"certified_same_year": 4}, {"passed_same_year": 5})
    assert [(line.key, line.sign * line.count) for line in lines] == [("other", 1)]


def test_percentage_points():
    assert rules.percentage_points(0.65, 0.625) == 2.5
    assert rules.percentage_points(0.5, 0.5063) == -0.63
    assert rules.percentage_points(None, 0.5) is None


def test_narrative_is_cleaned_and_split_into_paragraphs():
    texts = rules.clean_narrative({"intro": "  第一段。\r\n\r\n第二段。  \r\n", "unknown": "x", "plans": None})
    assert set(texts) == set(rules.NARRATIVE_SECTIONS)
    assert texts["intro"] == "第一段。\n\n第二段。" and texts["plans"] == ""
    assert rules.narrative_paragraphs(texts["intro"]) == ["第一段。", "第二段。"]
    assert rules.narrative_too_long({"plans": "字" * (rules.NARRATIVE_MAX_CHARS + 1)}) == ["plans"]
    assert rules.narrative_too_long(texts) == []
