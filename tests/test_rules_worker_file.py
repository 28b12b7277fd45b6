"""The rules of the worker's file, tested directly: amounts in capital figures (大写), the fee
account, the photo crop, and fitness for duty with background checks and insurance."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traincenter import rules

# -- amounts in capital figures ------------------------------------------------------------------


@pytest.mark.parametrize(("amount", "words"), [
    ("1300", "壹仟叁佰元整"),
    ("1300.00", "壹仟叁佰元整"),
    ("1300.50", "壹仟叁佰元伍角"),
    ("1409.50", "壹仟肆佰零玖元伍角"),  # the PBC's own examples
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("107000.53", "壹拾万柒仟元伍角叁分"),
    ("16409.02", "壹万陆仟肆佰零玖元零贰分"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("10", "壹拾元整"),  # never a bare 拾
    ("110", "壹佰壹拾元整"),
    ("1005", "壹仟零伍元整"),  # a run of zeros is one 零
    ("1010", "壹仟零壹拾元整"),
    ("10000", "壹万元整"),
    ("100100", "壹拾万零壹佰元整"),
    ("100010000", "壹亿零壹万元整"),
    ("100001000", "壹亿零壹仟元整"),
    ("0.5", "伍角"),
    ("0.05", "伍分"),
    ("0.25", "贰角伍分"),
    ("0", "零元整"),
    (Decimal("650"), "陆佰伍拾元整"),
    (1300.1, "壹仟叁佰元壹角"),
    ("99999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_amount_in_capital_figures(amount, words):
    assert rules.amount_in_words(amount) == words


def test_a_negative_amount_has_no_capital_figures():
    with pytest.raises(ValueError):
        rules.amount_in_words("-1")


DIGIT_VALUES = {ch: value for value, ch in enumerate(rules.money.DIGITS)}
UNIT_VALUES = {"拾": 10, "佰": 100, "仟": 1000}


def _read_back(words: str) -> int:
    """Fen from capital figures (the inverse of amount_in_words), to check it on any amount."""
    words = words.removesuffix("整")
    fen = 0
    if "元" in words:
        yuan_text, words = words.split("元")
        yuan = section = number = 0
        for ch in yuan_text:
            if ch in DIGIT_VALUES:
                number = DIGIT_VALUES[ch]
            elif ch in UNIT_VALUES:
                section += number * UNIT_VALUES[ch]
                number = 0
            elif ch == "万":
                yuan += (section + number) * 10_000
                section = number = 0
            elif ch == "亿":
                yuan = (yuan + section + number) * 100_000_000
                section = number = 0
        fen = (yuan + section + number) * 100
    words = words.lstrip("零")
    if "角" in words:
        jiao, words = words.split("角")
        fen += DIGIT_VALUES[jiao] * 10
    if "分" in words:
        fen += DIGIT_VALUES[words.removesuffix("分")]
    return fen


@given(st.integers(min_value=0, max_value=9_999_999_999))
def test_capital_figures_read_back_to_the_amount(fen):
    words = rules.amount_in_words(Decimal(fen) / 100)
    assert _read_back(words) == fen
    assert "零零" not in words and not words.startswith("拾")
    assert words.endswith("整") == (fen % 100 == 0)


@pytest.mark.parametrize(("value", "error"), [
    ("1300", None), ("0.01", None), ("1300.5", None), ("abc", "not_a_number"), ("0", "not_positive"),
    ("-5", "not_positive"), ("1.005", "too_many_decimals"), ("100000000", "too_large"),
    ("NaN", "not_a_number"), ("Infinity", "not_a_number"),
])
def test_amount_error(value, error):
    assert rules.amount_error(value) == error


def test_fen_and_yuan():
    assert rules.to_fen("1300.5") == 130050 and rules.to_fen(0.1 + 0.2) == 30
    assert rules.format_yuan(130050) == "1,300.50" and rules.format_yuan(-5) == "-0.05"
    assert rules.from_fen(130050) == Decimal("1300.50")


# -- the fee account ------------------------------------------------------------------------------


def _account(due, *lines):
    return rules.fee_account(due, [rules.FeeLine(kind, credit) for kind, credit in lines])


def test_payments_and_waivers_settle_refunds_reopen():
    account = _account(130000, ("payment", 100000), ("waiver", 30000))
    assert (account.paid_fen, account.waived_fen, account.outstanding_fen) == (100000, 30000, 0)
    assert account.is_settled
    refunded = _account(130000, ("payment", 130000), ("refund", -30000))
    assert refunded.paid_fen == 100000 and refunded.outstanding_fen == 30000


def test_a_reversal_cancels_its_entry():
    payment = rules.entry_credit("payment", 130000)
    account = _account(130000, ("payment", payment), ("payment", -payment))
    assert account.outstanding_fen == 130000 and account.paid_fen == 0
    waiver = rules.entry_credit("waiver", 20000)
    assert _account(130000, ("waiver", waiver), ("waiver", -waiver)).waived_fen == 0


@pytest.mark.parametrize(("kind", "amount", "error"), [
    ("payment", 30000, None), ("payment", 30001, "over_outstanding"), ("waiver", 30000, None),
    ("waiver", 30001, "over_outstanding"), ("refund", 100000, None), ("refund", 100001, "over_paid"),
    ("payment", 0, "not_positive"), ("refund", -1, "not_positive"), ("gift", 1, "unknown_kind"),
])
def test_entry_error(kind, amount, error):
    account = _account(130000, ("payment", 100000))  # 300 yuan still owed
    assert rules.entry_error(kind, amount, account) == error


def test_a_payment_is_not_reversed_below_what_was_refunded_since():
    account = _account(130000, ("payment", 130000), ("refund", -100000))  # 300 yuan kept
    assert rules.reversal_error("payment", 130000, account) == "refund_first"
    assert rules.reversal_error("refund", -100000, account) is None
    assert rules.reversal_error("payment", 30000, _account(130000, ("payment", 30000))) is None


def test_credits_and_receipt_numbers():
    assert rules.entry_credit("payment", 5) == 5 and rules.entry_credit("waiver", 5) == 5
    assert rules.entry_credit("refund", 5) == -5
    with pytest.raises(ValueError):
        rules.entry_credit("reversal", 5)
    assert rules.receipt_number(2026, 42) == "2026-000042"
    assert rules.needs_reason("refund") and rules.needs_reason("waiver")
    assert not rules.needs_reason("payment")


# -- the photo crop ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "box"), [
    ((3000, 4000), (0, 0, 3000, 4000)),  # a phone's portrait photo is 3:4 already
    ((4000, 3000), (875, 0, 3125, 3000)),  # landscape: the middle
    ((1080, 1920), (0, 160, 1080, 1600)),  # tall: a third of the excess off the top
    ((300, 401), (0, 0, 300, 400)),
])
def test_photo_crop_box(size, box):
    assert rules.photo_crop_box(*size) == box


@given(st.integers(1, 9000), st.integers(1, 9000))
def test_the_crop_is_inside_the_picture_and_three_by_four(width, height):
    left, top, right, bottom = rules.photo_crop_box(width, height)
    assert 0 <= left <= right <= width and 0 <= top <= bottom <= height
    crop_w, crop_h = right - left, bottom - top
    assert abs(crop_w * 4 - crop_h * 3) < 4  # 3:4 to the pixel
    assert crop_w == width or crop_h == height  # as large as it can be


def test_the_trainee_takes_her_own_photo_until_it_is_on_a_certificate():
    assert rules.trainee_may_replace_photo(has_photo=False, holds_certificate=False)
    assert rules.trainee_may_replace_photo(has_photo=True, holds_certificate=False)
    assert rules.trainee_may_replace_photo(has_photo=False, holds_certificate=True)
    assert not rules.trainee_may_replace_photo(has_photo=True, holds_certificate=True)


def test_photo_size_error():
    assert rules.photo_size_error(240, 320) is None
    assert rules.photo_size_error(239, 320) == "too_small"


# -- fitness for duty with background checks and insurance ---------------------------------------

TODAY = date(2026, 6, 1)
HEALTHY = {"has_certificate": True, "certificate_revoked": False, "health_issued_on": None,
           "health_expires_on": TODAY + timedelta(days=200), "today": TODAY}


def _policy(days_left, started=-100):
    return rules.InsuranceOnFile(TODAY + timedelta(days=started), TODAY + timedelta(days=days_left))


@pytest.mark.parametrize(("extra", "colour", "reason"), [
    ({}, "green", "ok"),  # neither on file: judged as before
    ({"background": rules.BackgroundOnFile("passed")}, "green", "ok"),
    ({"background": rules.BackgroundOnFile("pending")}, "yellow", "background_pending"),
    ({"background": rules.BackgroundOnFile("failed")}, "red", "background_failed"),
    ({"background": rules.BackgroundOnFile("passed", TODAY + timedelta(days=31))}, "green", "ok"),
    ({"background": rules.BackgroundOnFile("passed", TODAY + timedelta(days=30))}, "yellow",
     "background_expiring"),
    ({"background": rules.BackgroundOnFile("passed", TODAY)}, "yellow", "background_expiring"),
    ({"background": rules.BackgroundOnFile("passed", TODAY - timedelta(days=1))}, "red",
     "background_expired"),
    ({"insurance": _policy(31)}, "green", "ok"),
    ({"insurance": _policy(30)}, "yellow", "insurance_expiring"),
    ({"insurance": _policy(0)}, "yellow", "insurance_expiring"),
    ({"insurance": _policy(-1)}, "red", "insurance_expired"),
    ({"insurance": _policy(300, started=1)}, "red", "insurance_not_yet_valid"),
])
def test_background_check_and_insurance_count_once_recorded(extra, colour, reason):
    status = rules.duty_status(**HEALTHY, **extra)
    assert (status.colour, status.reason) == (colour, reason)
    assert status.is_fit == (colour != "red")


def test_the_worst_finding_wins_and_every_finding_is_listed():
    status = rules.duty_status(**{**HEALTHY, "health_expires_on": TODAY + timedelta(days=3)},
                               background=rules.BackgroundOnFile("failed"), insurance=_policy(10))
    assert (status.colour, status.reason) == ("red", "background_failed")
    assert status.reasons == ("expiring", "background_failed", "insurance_expiring")
    yellow = rules.duty_status(**HEALTHY, background=rules.BackgroundOnFile("pending"),
                               insurance=_policy(5))
    assert (yellow.colour, yellow.reason) == ("yellow", "background_pending")
    assert yellow.insurance_valid_until == TODAY + timedelta(days=5)
    assert yellow.health_valid_until == HEALTHY["health_expires_on"]


def test_no_health_certificate_still_comes_first():
    status = rules.duty_status(**{**HEALTHY, "health_expires_on": None}, insurance=_policy(-5))
    assert (status.colour, status.reason, status.health_valid_until) == ("red", "no_health", None)
    assert status.reasons == ("no_health", "insurance_expired")


def test_a_revoked_certificate_is_red_whatever_else():
    status = rules.certificate_duty(rules.duty_status(**HEALTHY, insurance=_policy(5)), True)
    assert (status.colour, status.reason) == ("red", "revoked")
    assert status.insurance_valid_until == TODAY + timedelta(days=5)


def test_the_public_is_not_told_whether_a_check_failed_or_lapsed():
    assert rules.public_reason("background_failed") == rules.public_reason("background_expired")
    assert rules.public_reason("expiring") == "expiring"
    state = rules.background_public_state
    assert state(None, TODAY) is None
    assert state(rules.BackgroundOnFile("passed"), TODAY) == "cleared"
    assert state(rules.BackgroundOnFile("passed", TODAY), TODAY) == "cleared"
    assert state(rules.BackgroundOnFile("passed", TODAY - timedelta(days=1)), TODAY) == "not_cleared"
    assert state(rules.BackgroundOnFile("failed"), TODAY) == "not_cleared"
    assert state(rules.BackgroundOnFile("pending"), TODAY) == "pending"
    assert rules.insurance_public_state(None, TODAY) is None
    assert rules.insurance_public_state(TODAY, TODAY) == "valid"
    assert rules.insurance_public_state(TODAY - timedelta(days=1), TODAY) == "expired"


def test_insurance_runs_a_year_to_the_day_before():
    assert rules.insurance_expiry_default(date(2026, 3, 1)) == date(2027, 2, 28)
    assert rules.insurance_expiry_default(date(2028, 2, 29)) == date(2029, 2, 28)
    assert rules.insurance_expiry_default(date(2027, 3, 1)) == date(2028, 2, 29)
    assert rules.insurance_expiry_default(date(2026, 1, 31)) == date(2027, 1, 30)
