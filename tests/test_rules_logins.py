"""Login throttling rules: lockout with growing delays, forgetting, the per-address cap."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from traincenter import rules
from traincenter.rules import LoginThrottle

NOW = datetime(2026, 11, 9, 8, 30)


@pytest.mark.parametrize(("failures", "minutes"), [
    (0, 0), (1, 0), (4, 0),          # the free failures
    (5, 1), (6, 2), (7, 4), (8, 8), (9, 16), (10, 32),
    (11, 60), (12, 60), (40, 60),    # capped
])
def test_each_failure_after_the_free_ones_doubles_the_lock(failures, minutes):
    assert rules.lock_duration(failures) == timedelta(minutes=minutes)


def test_the_settings_shape_the_lock():
    policy = LoginThrottle(free_failures=3, first_lock_minutes=5, growth=3, max_lock_minutes=30)
    assert [rules.lock_duration(n, policy).total_seconds() / 60 for n in (2, 3, 4, 5)] == [0, 5, 15, 30]


def test_locked_until_runs_from_the_last_failure():
    last = NOW - timedelta(seconds=30)
    assert rules.locked_until(5, last, NOW) == last + timedelta(minutes=1)
    assert rules.locked_until(5, last, NOW + timedelta(seconds=30)) is None  # exactly over
    assert rules.locked_until(4, last, NOW) is None
    assert rules.locked_until(0, None, NOW) is None


def test_failures_are_forgotten_a_day_after_the_last_one():
    last = NOW - timedelta(hours=24)
    assert rules.failures_remembered(9, last, NOW) == 0
    assert rules.failures_remembered(9, last + timedelta(seconds=1), NOW) == 9
    assert rules.locked_until(11, NOW - timedelta(minutes=59), NOW) is not None
    policy = LoginThrottle(memory_hours=0.5)
    assert rules.locked_until(11, NOW - timedelta(minutes=31), NOW, policy) is None


def test_tries_before_lock():
    assert [rules.tries_before_lock(n) for n in (0, 3, 4, 5, 9)] == [5, 2, 1, 0, 0]


def test_the_address_cap_leaves_room_for_a_whole_classroom():
    policy = rules.DEFAULT_LOGIN_THROTTLE
    # Every trainee of a full classroom may mistype her first password twice …
    assert not rules.address_blocked(2 * rules.CLASSROOM_SIZE, policy)
    assert rules.address_blocked(policy.address_max_failures, policy)
    # … and send the login form three times within a minute.
    assert policy.address_requests_per_minute >= 3 * rules.CLASSROOM_SIZE
    assert policy.address_rate_limit == f"{policy.address_requests_per_minute} per minute"


def test_an_address_is_free_once_its_oldest_failure_leaves_the_window():
    assert rules.address_free_at(NOW, LoginThrottle(address_window_minutes=15)) == \
        NOW + timedelta(minutes=15)


@pytest.mark.parametrize(("typed", "key"), [
    ("Staff1", "staff1"), ("  staff1 ", "staff1"), ("11010519750312002x", "11010519750312002x"),
    ("11010519750312002X", "11010519750312002x"), ("139 0000 1111", "13900001111"), ("", ""),
    ("a" * 100, "a" * rules.LOGIN_KEY_LENGTH), ("sta\x00ff\x1b1", "staff1"),
])
def test_login_key_is_the_name_as_typed_trimmed_and_case_folded(typed, key):
    assert rules.login_key(typed) == key


@pytest.mark.parametrize(("until", "minutes"), [
    (NOW + timedelta(seconds=1), 1), (NOW + timedelta(seconds=60), 1),
    (NOW + timedelta(seconds=61), 2), (NOW, 1),
])
def test_minutes_to_wait_round_up(until, minutes):
    assert rules.minutes_to_wait(until, NOW) == minutes
