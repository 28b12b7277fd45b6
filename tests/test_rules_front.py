"""The rules of issue 16, tested directly: check-in codes and windows, applications, photo limits."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traincenter import rules

KEY = b"test-key"


# -- check-in codes ---------------------------------------------------------------------------


def test_the_code_is_six_digits_and_changes_with_the_step_and_the_session():
    code = rules.checkin_code(KEY, 7, 1000)
    assert len(code) == rules.CHECKIN_CODE_DIGITS and code.isdigit()
    assert rules.checkin_code(KEY, 7, 1000) == code  # the server recomputes it
    assert rules.checkin_code(KEY, 7, 1001) != code
    assert rules.checkin_code(KEY, 8, 1000) != code
    assert rules.checkin_code(b"other-key", 7, 1000) != code


def test_time_steps_are_thirty_seconds():
    assert rules.CHECKIN_STEP_SECONDS == 30
    assert rules.time_step(0) == rules.time_step(29.9) == 0
    assert rules.time_step(30) == 1
    assert rules.seconds_left_in_step(0) == 30 and rules.seconds_left_in_step(29.5) == 1


@pytest.mark.parametrize(("shown_at_step", "expected"), [
    (1000, rules.CODE_FRESH),   # the code on the screen now
    (999, rules.CODE_FRESH),    # the one just before: the grace window
    (998, rules.CODE_OLD),      # older: refused as old
    (1000 - rules.CHECKIN_OLD_CODE_STEPS, rules.CODE_OLD),
    (1001, rules.CODE_WRONG),   # not shown yet: nobody can have scanned it
])
def test_classify_code_at_step_1000(shown_at_step, expected):
    code = rules.checkin_code(KEY, 7, shown_at_step)
    assert rules.classify_code(KEY, 7, code, 1000) == expected


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "<script>", "12 34 5"])
def test_malformed_codes_are_wrong(code):
    assert rules.classify_code(KEY, 7, code, 1000) == rules.CODE_WRONG


def test_full_width_digits_and_spaces_are_read_as_the_code():
    code = rules.checkin_code(KEY, 7, 1000)
    typed = " ".join(chr(0xFF10 + int(d)) for d in code)
    assert rules.normalise_code(typed) == code
    assert rules.classify_code(KEY, 7, typed, 1000) == rules.CODE_FRESH


def test_another_sessions_code_is_wrong_not_old():
    assert rules.classify_code(KEY, 7, rules.checkin_code(KEY, 8, 1000), 1000) == rules.CODE_WRONG


@given(st.integers(min_value=1, max_value=10**6), st.integers(min_value=10, max_value=10**9))
def test_a_fresh_code_is_always_accepted(session_id, step):
    assert rules.classify_code(KEY, session_id, rules.checkin_code(KEY, session_id, step),
                               step) == rules.CODE_FRESH


# -- the check-in window ----------------------------------------------------------------------

START = datetime(2026, 11, 9, 9, 0)


@pytest.mark.parametrize(("minutes", "state"), [
    (-16, "before"), (-15, "open"), (0, "open"), (4 * 60, "open"), (4 * 60 + 15, "open"),
    (4 * 60 + 16, "after"),
])
def test_window_opens_a_margin_before_the_start_and_closes_a_margin_after_the_end(minutes, state):
    window = rules.checkin_window(START, 4, margin_minutes=15, late_after_minutes=10)
    assert window.state(START + timedelta(minutes=minutes)) == state


@pytest.mark.parametrize(("moment", "status"), [
    (START - timedelta(minutes=5), "present"), (START, "present"),
    (START + timedelta(minutes=10), "present"),
    (START + timedelta(minutes=10, seconds=1), "late"), (START + timedelta(hours=2), "late"),
])
def test_late_after_the_set_minutes(moment, status):
    window = rules.checkin_window(START, 4, margin_minutes=15, late_after_minutes=10)
    assert window.arrival(moment) == status


def test_window_defaults_are_the_rules_constants():
    window = rules.checkin_window(START, 2.5)
    assert window.opens == START - timedelta(minutes=rules.CHECKIN_MARGIN_MINUTES)
    assert window.ends == START + timedelta(hours=2.5)
    assert window.closes == window.ends + timedelta(minutes=rules.CHECKIN_MARGIN_MINUTES)
    assert window.late_from == START + timedelta(minutes=rules.CHECKIN_LATE_AFTER_MINUTES)


@pytest.mark.parametrize(("seconds_later", "valid"), [
    (0, True), (600, True), (601, False), (-1, False)])
def test_a_scan_may_be_confirmed_for_ten_minutes(seconds_later, valid):
    assert rules.CHECKIN_TICKET_MINUTES == 10
    assert rules.ticket_valid(1000.0, 1000.0 + seconds_later) is valid


# -- applications -----------------------------------------------------------------------------


@pytest.mark.parametrize(("current", "new", "allowed"), [
    ("received", "accepted", True), ("received", "waitlisted", True),
    ("received", "declined", True), ("waitlisted", "accepted", True),
    ("waitlisted", "declined", True), ("waitlisted", "waitlisted", False),
    ("accepted", "declined", False), ("declined", "accepted", False),
    ("accepted", "accepted", False),
])
def test_application_transitions(current, new, allowed):
    assert rules.may_move(current, new) is allowed


@pytest.mark.parametrize(("status", "blocks"), [
    ("received", True), ("waitlisted", True), ("accepted", True), ("declined", False)])
def test_a_declined_person_may_apply_again(status, blocks):
    assert rules.blocks_new_application(status) is blocks


def test_preferred_start_months_are_the_next_six_first_days():
    assert rules.preferred_start_choices(date(2026, 11, 29)) == [
        date(2026, 12, 1), date(2027, 1, 1), date(2027, 2, 1), date(2027, 3, 1),
        date(2027, 4, 1), date(2027, 5, 1)]
    assert rules.preferred_start_choices(date(2026, 1, 31), months=1) == [date(2026, 2, 1)]


@pytest.mark.parametrize(("seconds", "too_fast"), [(0, True), (7.9, True), (8, False), (60, False)])
def test_minimum_fill_time(seconds, too_fast):
    assert rules.APPLY_MIN_FILL_SECONDS == 8
    assert rules.filled_too_fast(1000.0, 1000.0 + seconds) is too_fast


@pytest.mark.parametrize(("seconds", "old"), [
    (-1, True), (0, False), (24 * 3600, False), (24 * 3600 + 1, True)])
def test_a_form_older_than_a_day_or_from_the_future_is_not_taken(seconds, old):
    assert rules.form_too_old(1000.0, 1000.0 + seconds) is old


@pytest.mark.parametrize(("sent", "reached"), [(0, False), (9, False), (10, True), (11, True)])
def test_applications_per_address_and_day(sent, reached):
    assert rules.address_limit_reached(sent) is reached


def test_photo_limits_default_to_the_rules_constants():
    limits = rules.ImageLimits()
    assert limits.max_bytes == rules.WORK_PHOTO_MAX_MB * rules.MB
    assert rules.WORK_PHOTO_MAX_MB < rules.MAX_UPLOAD_MB  # the form around the photo must still fit
    assert "JPEG" in limits.formats and "GIF" not in limits.formats


@pytest.mark.parametrize(("typed", "plain"), [
    ("１３９１２３４５６７８", "13912345678"), ("139 1234 5678", "13912345678"),
    ("139-1234-5678", "13912345678"), ("+86 139 1234 5678", "13912345678"),
    ("008613912345678", "13912345678"), ("11010519491231002ｘ", "11010519491231002x"),
    ("+8612345", "+8612345"), (None, ""),
])
def test_typed_numbers_are_read_as_a_phone_keyboard_means_them(typed, plain):
    assert rules.typed_number(typed) == plain
