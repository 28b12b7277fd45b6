"""The domain rules, tested directly: boundary tables and properties."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from traincenter import rules
from traincenter.rules import ABSENT, PartRecord

RULES_FILES = sorted(Path(rules.__file__).parent.glob("*.py"))


def test_the_rules_package_has_every_topic_module():
    names = {path.stem for path in RULES_FILES}
    assert {"scores", "hours", "attempts", "ids", "masking", "duty", "rates"} <= names


@pytest.mark.parametrize("path", RULES_FILES, ids=lambda path: path.name)
def test_rules_modules_import_neither_flask_nor_sqlalchemy_nor_the_app(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            imported.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level > 1:
            imported.add("traincenter")  # `from .. import x` leaves the package
    assert not imported & {"flask", "sqlalchemy", "flask_sqlalchemy", "flask_babel", "traincenter",
                           "werkzeug", "pandas"}


# -- pass rule --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("theory", "practical", "passed"),
    [
        (60, 60, True),
        (59.9, 60, False),
        (60, 59.9, False),
        (60.1, 60.1, True),
        (100, 0, False),
        (0, 100, False),
        (59.9, 59.9, False),
        (Decimal("60.0"), Decimal("75.5"), True),
    ],
)
def test_pass_rule_boundaries(theory, practical, passed):
    assert rules.exam_passed(theory, practical) is passed


@pytest.mark.parametrize(
    ("theory_absent", "practical_absent"), [(True, False), (False, True), (True, True)]
)
def test_absent_never_passes(theory_absent, practical_absent):
    theory = None if theory_absent else 90
    practical = None if practical_absent else 90
    assert not rules.exam_passed(theory, practical, theory_absent=theory_absent,
                                 practical_absent=practical_absent)


def test_pass_marks_are_settings():
    assert rules.exam_passed(65, 65, marks=rules.PassMarks(theory=70)) is False
    assert rules.exam_passed(70, 50, marks=rules.PassMarks(practical=50)) is True


def test_each_part_record_is_judged_by_its_own_exams_mark():
    assert rules.PartRecord(65, False, FIRST, pass_mark=70).passed is False
    assert rules.PartRecord(65, False, FIRST, pass_mark=60).passed is True
    assert rules.PartRecord(None, True, FIRST, pass_mark=0).passed is False


def test_a_carried_part_keeps_the_mark_of_the_exam_where_it_passed():
    # Theory 65 passed at an exam whose mark was 60; the re-exam's own mark is 70.
    kept = rules.combine_result(None, 75, carried_theory=65, marks=rules.PassMarks(70, 70),
                                carried_marks=rules.PassMarks(60, 70))
    assert kept is True
    assert rules.combine_result(None, 75, carried_theory=65,
                                marks=rules.PassMarks(70, 70)) is False


def test_plan_uses_each_attempts_own_pass_mark():
    passed_at_60 = {"theory": PartRecord(65, False, FIRST, 60),
                    "practical": PartRecord(50, False, FIRST, 60)}
    plan = rules.plan_next_attempt([passed_at_60], date(2025, 7, 1))
    assert plan.parts_to_sit == ("practical",)
    failed_at_70 = {"theory": PartRecord(65, False, FIRST, 70),
                    "practical": PartRecord(50, False, FIRST, 70)}
    assert rules.plan_next_attempt([failed_at_70], date(2025, 7, 1)).parts_to_sit == rules.PARTS


@pytest.mark.parametrize(("mark", "error"), [(0, None), (60, None), (100, None), (100.1, "out_of_range"),
                                             (-1, "out_of_range"), ("x", "not_a_number")])
def test_pass_mark_error(mark, error):
    assert rules.pass_mark_error(mark) == error


@given(st.decimals(min_value=0, max_value=100, places=1), st.decimals(min_value=0, max_value=100, places=1))
def test_pass_iff_both_parts_reach_the_mark(theory, practical):
    assert rules.exam_passed(theory, practical) == (theory >= 60 and practical >= 60)


# -- score parsing ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60", Decimal("60")), ("59.9", Decimal("59.9")), (" 100 ", Decimal("100")), ("0", Decimal("0")),
        ("缺考", ABSENT), ("absent", ABSENT), (75, Decimal("75")), (72.5, Decimal("72.5")),
        ("60.0", Decimal("60")), ("８５．５", Decimal("85.5")), ("٨", None),
    ],
)
def test_parse_score_accepts(text, expected):
    if expected is None:
        with pytest.raises(rules.ScoreError):
            rules.parse_score(text)
    else:
        assert rules.parse_score(text) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"), (None, "empty"), ("abc", "not_a_number"), ("100.1", "out_of_range"),
        ("-1", "out_of_range"), ("59.95", "too_many_decimals"), ("1e2", "not_a_number"),
        (float("nan"), "not_a_number"), (True, "not_a_number"), ("6O", "not_a_number"),
    ],
)
def test_parse_score_rejects_with_a_reason(text, code):
    with pytest.raises(rules.ScoreError) as caught:
        rules.parse_score(text)
    assert caught.value.code == code


def test_parse_score_empty_allowed_when_asked():
    assert rules.parse_score("  ", allow_empty=True) is None


@given(st.text(max_size=12))
def test_parse_score_never_crashes(text):
    try:
        value = rules.parse_score(text)
    except rules.ScoreError as error:
        assert error.code in {"empty", "not_a_number", "out_of_range", "too_many_decimals"}
    else:
        assert value == ABSENT or Decimal(0) <= value <= Decimal(100)


# -- hours and eligibility --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("classroom", "self_study", "missing"),
    [
        (80, 70, []),
        (79.9, 70.1, ["classroom"]),
        (80, 69.5, ["self_study", "total"]),
        (100, 50, ["self_study"]),
        (0, 0, ["classroom", "self_study", "total"]),
        (90, 70, []),
    ],
)
def test_eligibility_lists_what_is_missing(classroom, self_study, missing):
    result = rules.eligibility(classroom, self_study)
    assert [s.kind for s in result.shortfalls] == missing
    assert result.is_eligible is (not missing)


def test_eligibility_total_can_be_the_only_gap():
    result = rules.eligibility(50, 50, required_classroom=40, required_self_study=40, required_total=120)
    assert [(s.kind, s.missing) for s in result.shortfalls] == [("total", 20.0)]


def test_attendance_credit_rule():
    assert rules.attendance_credits("present") and rules.attendance_credits("late")
    assert not rules.attendance_credits("absent") and not rules.attendance_credits("excused")


@pytest.mark.parametrize(
    ("hours", "already", "error"),
    [(8, 0, None), (8.5, 0, "too_many_per_day"), (4, 4, None), (4, 4.5, "too_many_per_day"),
     (0, 0, "not_positive"), (-1, 0, "not_positive"), (1.25, 0, "too_many_decimals")],
)
def test_self_study_plausibility(hours, already, error):
    assert rules.self_study_error(hours, already) == error


# -- carry-over and attempts ------------------------------------------------------------------

def test_add_months_clamps_to_month_end():
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert rules.add_months(date(2025, 11, 15), 2) == date(2026, 1, 15)


@pytest.mark.parametrize(
    ("exam_on", "valid"),
    [(date(2026, 3, 9), True), (date(2026, 3, 10), False), (date(2025, 3, 10), True),
     (date(2025, 3, 9), False)],
)
def test_carry_over_window_is_twelve_months(exam_on, valid):
    assert rules.carry_over_valid(date(2025, 3, 10), exam_on) is valid
    assert rules.carry_over_valid_until(date(2025, 3, 10)) == date(2026, 3, 9)


def _attempt(on, theory, practical):
    def part(value):
        if value == "carried":
            return None
        if value == ABSENT:
            return PartRecord(None, True, on)
        return PartRecord(value, False, on)

    return {"theory": part(theory), "practical": part(practical)}


FIRST = date(2025, 6, 1)


def test_theory_passed_practical_failed_retakes_practical_only():
    plan = rules.plan_next_attempt([_attempt(FIRST, 72, 50)], date(2025, 7, 1))
    assert plan.status == "retake"
    assert plan.parts_to_sit == ("practical",)
    assert [(c.part, c.score, c.valid_until) for c in plan.carried] == [
        ("theory", 72, date(2026, 5, 31))]
    assert plan.attempts_left == 1


def test_both_failed_retakes_both():
    plan = rules.plan_next_attempt([_attempt(FIRST, 40, 50)], date(2025, 7, 1))
    assert plan.parts_to_sit == ("theory", "practical") and not plan.carried


def test_absent_part_must_be_sat_again():
    plan = rules.plan_next_attempt([_attempt(FIRST, 80, ABSENT)], date(2025, 7, 1))
    assert plan.parts_to_sit == ("practical",)


def test_carried_part_expired_on_exam_date_retakes_both_with_reason():
    exam_on = rules.add_months(FIRST, 12)
    plan = rules.plan_next_attempt([_attempt(FIRST, 72, 50)], exam_on)
    assert plan.status == "retake"
    assert plan.parts_to_sit == ("theory", "practical")
    assert [c.part for c in plan.expired] == ["theory"]


def test_attempt_limit_reached_closes_the_course():
    history = [_attempt(FIRST, 72, 50), _attempt(date(2025, 8, 1), "carried", 55)]
    plan = rules.plan_next_attempt(history, date(2025, 9, 1))
    assert plan.status == "limit_reached"
    assert plan.attempts_left == 0


def test_attempt_limit_is_a_setting():
    history = [_attempt(FIRST, 72, 50), _attempt(date(2025, 8, 1), "carried", 55)]
    plan = rules.plan_next_attempt(history, date(2025, 9, 1), limit=3)
    assert plan.status == "retake" and plan.parts_to_sit == ("practical",)


def test_passing_with_a_carried_part_is_a_pass():
    history = [_attempt(FIRST, 72, 50), _attempt(date(2025, 8, 1), "carried", 65)]
    assert rules.plan_next_attempt(history).status == "passed"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"theory": None, "practical": 65, "carried_theory": 72}, True),
        ({"theory": None, "practical": 55, "carried_theory": 72}, False),
        ({"theory": None, "practical": None, "practical_absent": True, "carried_theory": 72}, False),
        ({"theory": 61, "practical": None, "carried_practical": 90}, True),
        ({"theory": 61, "practical": None}, None),
        ({"theory": None, "practical": None, "theory_absent": True, "practical_absent": True}, False),
        ({"theory": 60, "practical": 60}, True),
    ],
)
def test_combined_result(kwargs, expected):
    assert rules.combine_result(**kwargs) == expected


def test_may_retake_and_attempts_left():
    assert rules.may_retake(1) and not rules.may_retake(2)
    assert rules.attempts_left(5) == 0


# -- ID numbers -------------------------------------------------------------------------------

VALID_IDS = ["11010519491231002X", "110105194912310021"[:17] + rules.id_check_digit("11010519491231002")]


def test_known_valid_id_number():
    info = rules.parse_id_number("11010519491231002x")
    assert info.number == "11010519491231002X"
    assert info.birth_on == date(1949, 12, 31)
    assert info.gender == "F"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "empty"),
        ("1101051949123100", "length"),
        ("11010519491231002XX", "length"),
        ("1101051949123A002X", "characters"),
        ("110105194913310026", "birth_date"),
        ("110105189912310024", "birth_date"),
        ("110105194912310021", "checksum"),
    ],
)
def test_invalid_id_numbers_name_the_reason(text, code):
    with pytest.raises(rules.IdNumberError) as caught:
        rules.parse_id_number(text)
    assert caught.value.code == code


def test_future_birth_date_is_refused():
    number = rules.make_id_number("110105", date(2030, 1, 1), 1, "F")
    with pytest.raises(rules.IdNumberError):
        rules.parse_id_number(number, today=date(2026, 1, 1))


@given(
    st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)),
    st.integers(min_value=0, max_value=999),
    st.sampled_from(["F", "M"]),
)
def test_generated_ids_round_trip(birth_on, sequence, gender):
    number = rules.make_id_number("320102", birth_on, sequence, gender)
    info = rules.parse_id_number(number.lower())
    assert (info.birth_on, info.gender, info.number) == (birth_on, gender, number)


@given(st.dates(min_value=date(1930, 1, 1), max_value=date(2008, 12, 31)),
       st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_breaks_the_checksum(birth_on, position, delta):
    number = rules.make_id_number("320102", birth_on, 7, "F")
    digit = (int(number[position]) + delta) % 10
    changed = number[:position] + str(digit) + number[position + 1:]
    with pytest.raises(rules.IdNumberError):
        rules.parse_id_number(changed)


# -- masking ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "masked"),
    [("张三华", "张*华"), ("李四", "李*"), ("欧阳娜娜", "欧阳**"), ("欧阳娜", "欧阳*"),
     ("王", "*"), ("", ""), ("司马相如", "司马**"), ("张小小华", "张**华")],
)
def test_mask_name(name, masked):
    assert rules.mask_name(name) == masked


@given(st.text(alphabet="王李张欧阳司马秀英华", min_size=2, max_size=6))
def test_masked_name_keeps_length_and_hides_something(name):
    masked = rules.mask_name(name)
    assert len(masked) == len(name)
    assert "*" in masked and masked != name


def test_mask_id_and_phone():
    assert rules.mask_id_number("11010519491231002X") == "1101**********002X"
    assert rules.mask_phone("13812345678") == "138****5678"
    assert rules.is_valid_phone("13812345678") and not rules.is_valid_phone("12812345678")


# -- ages and duty status ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("birth_on", "band"),
    [(date(1991, 12, 31), "<35"), (date(1991, 12, 30), "35-49"), (date(1976, 12, 31), "35-49"),
     (date(1976, 12, 30), "50-59"), (date(1966, 12, 31), "50-59"), (date(1966, 12, 30), "60+")],
)
def test_age_band_boundaries(birth_on, band):
    assert rules.age_band(birth_on, date(2026, 12, 30)) == band


TODAY = date(2026, 6, 1)


@pytest.mark.parametrize(
    ("kwargs", "colour", "reason"),
    [
        ({"health_expires_on": TODAY + timedelta(days=31)}, "green", "ok"),
        ({"health_expires_on": TODAY + timedelta(days=30)}, "yellow", "expiring"),
        ({"health_expires_on": TODAY}, "yellow", "expiring"),
        ({"health_expires_on": TODAY - timedelta(days=1)}, "red", "health_expired"),
        ({"health_expires_on": None}, "red", "no_health"),
        ({"health_expires_on": TODAY + timedelta(days=100), "certificate_revoked": True}, "red", "revoked"),
        ({"health_expires_on": TODAY + timedelta(days=100), "has_certificate": False}, "red", "no_certificate"),
        ({"health_expires_on": TODAY + timedelta(days=300), "health_issued_on": TODAY + timedelta(days=1)},
         "red", "health_not_yet_valid"),
    ],
)
def test_duty_status_follows_the_dates(kwargs, colour, reason):
    args = {"has_certificate": True, "certificate_revoked": False, "health_issued_on": None,
            "today": TODAY, **kwargs}
    status = rules.duty_status(**args)
    assert (status.colour, status.reason) == (colour, reason)
    assert status.is_fit == (colour != "red")
    # A standing certificate: one at least, not every one revoked (whatever the health says).
    assert status.has_standing_certificate == (
        args.get("has_certificate", True) and not args.get("certificate_revoked"))


def test_health_expiry_defaults_to_a_year():
    assert rules.health_expiry_default(date(2026, 2, 28)) == date(2027, 2, 28)


# -- rates ------------------------------------------------------------------------------------

def test_rates_handle_zero_denominators():
    assert rules.rate(3, 0) is None
    assert rules.pass_rate(0, 0) is None
    assert rules.placement_rate(3, 4) == 0.75
    assert rules.satisfaction_rate([]) is None
    assert rules.satisfaction_rate([5, 4, 3, 1]) == 0.5
    assert rules.average([]) is None and rules.average([4, 5]) == 4.5
    assert rules.change(0.5, None) is None and rules.change(0.5, 0.25) == 0.25


def test_certificate_number_is_readable():
    assert rules.certificate_number(2026, "yy", 12) == "2026YY00012"


@given(st.lists(st.integers(min_value=1, max_value=5), max_size=50))
def test_satisfaction_rate_is_a_fraction(ratings):
    value = rules.satisfaction_rate(ratings)
    assert value is None if not ratings else 0 <= value <= 1


@pytest.mark.parametrize(("typed", "kept"), [
    ("  王芳 ", "王芳"), ("\u200b", ""), ("\ufeff李\u200b娜", "李娜"), ("\u200d \u2060", ""),
    ("阿依古丽·买买提", "阿依古丽·买买提"), (None, ""),
])
def test_clean_name_drops_invisible_characters(typed, kept):
    assert rules.clean_name(typed) == kept


def test_a_typed_score_gives_the_same_answer_every_time():
    """Typed cells are kept per text (a saved grid posts every row again): the answer, and an
    error, come back the same on every call."""
    for _ in range(2):
        assert rules.parse_score("７５。５") == Decimal("75.5")
        assert rules.parse_score(" 缺考 ") == rules.ABSENT
        with pytest.raises(rules.ScoreError) as error:
            rules.parse_score("100.5")
        assert error.value.code == "out_of_range"
        with pytest.raises(rules.ScoreError) as error:
            rules.parse_score("七十")
        assert error.value.code == "not_a_number"
