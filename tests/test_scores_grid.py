"""The score grid: pass rule at the boundary, all-or-nothing saves, conflicts, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from traincenter.extensions import db
from traincenter.models import ScoreChange

from .conftest import login
from .test_exams_helpers import draft_exam, fresh, grid_form


@pytest.mark.parametrize(("theory", "practical", "passed"), [
    ("59.9", "80", False), ("60", "80", True), ("60.1", "80", True),
    ("80", "59.9", False), ("80", "60", True), ("100", "0", False),
])
def test_pass_rule_at_the_boundary(client, make, theory, practical, passed):
    exam, (result,), instructor = draft_exam(make, 1)
    login(client, instructor)
    response = client.post(f"/exams/{exam.id}/grid",
                           data=grid_form([result], {result: (theory, practical)}))
    assert response.status_code == 302
    assert fresh(result).is_passed is passed


def test_absent_part_is_recorded_as_absent_and_fails(client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    login(client, instructor)
    client.post(f"/exams/{exam.id}/grid",
                data=grid_form([result], {result: ("", "90", True, False)}))
    stored = fresh(result)
    assert stored.theory_absent is True and stored.theory_score is None
    assert stored.is_passed is False
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert "缺考" in page and "不合格" in page


def test_incomplete_row_is_saved_as_draft_without_verdict(client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    login(client, instructor)
    client.post(f"/exams/{exam.id}/grid", data=grid_form([result], {result: ("75", "")}))
    stored = fresh(result)
    assert float(stored.theory_score) == 75 and stored.practical_score is None
    assert stored.is_passed is None


@pytest.mark.parametrize(("typed", "message"), [
    ("abc", "不是数字"), ("100.5", "0"), ("72.55", "一位小数"), ("-1", "0"),
])
def test_bad_cell_saves_nothing_and_keeps_what_was_typed(client, make, typed, message):
    exam, (good, bad), instructor = draft_exam(make, 2)
    login(client, instructor)
    response = client.post(f"/exams/{exam.id}/grid", data=grid_form(
        [good, bad], {good: ("88", "77"), bad: (typed, "70")}))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'value="{typed}"' in page and 'value="88"' in page  # typing kept on the page
    assert message in page
    assert fresh(good).theory_score is None  # nothing saved, not even the good row
    assert db.session.scalar(select(ScoreChange).where(ScoreChange.field == "theory")) is None


def test_score_and_absent_together_is_an_error(client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    login(client, instructor)
    response = client.post(f"/exams/{exam.id}/grid",
                           data=grid_form([result], {result: ("70", "80", True, False)}))
    assert response.status_code == 422
    assert "不能同时" in response.get_data(as_text=True)
    assert fresh(result).theory_absent is False


def test_second_save_from_an_old_page_does_not_overwrite_the_first(client, other_client, make):
    exam, (result, untouched), instructor = draft_exam(make, 2)
    staff = make.user("staff")
    login(client, instructor)
    login(other_client, staff)
    opened_version = result.version  # both pages opened now
    first = client.post(f"/exams/{exam.id}/grid",
                        data=grid_form([result, untouched], {result: ("70", "65")}))
    assert first.status_code == 302
    second = other_client.post(f"/exams/{exam.id}/grid", data=grid_form(
        [result, untouched], {result: ("50", "65"), untouched: ("90", "90")},
        versions={result: opened_version}))
    assert second.status_code == 409
    stored = fresh(result)
    assert float(stored.theory_score) == 70  # the first save stands
    assert fresh(untouched).theory_score is None  # nothing of the second submit was saved
    page = second.get_data(as_text=True)
    assert "70" in page and 'value="50"' in page  # both values shown
    assert f'name="choice-{result.id}"' in page
    # Choosing without a choice is refused; choosing "mine" saves over it knowingly.
    data = grid_form([result, untouched], {result: ("50", "65"), untouched: ("90", "90")})
    data[f"conflict-{result.id}"] = "1"
    assert other_client.post(f"/exams/{exam.id}/grid", data=data).status_code == 422
    data[f"choice-{result.id}"] = "mine"
    assert other_client.post(f"/exams/{exam.id}/grid", data=data).status_code == 302
    assert float(fresh(result).theory_score) == 50
    assert float(fresh(untouched).theory_score) == 90


def test_choosing_theirs_keeps_the_other_value(client, other_client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    login(client, instructor)
    login(other_client, make.user("staff"))
    client.post(f"/exams/{exam.id}/grid", data=grid_form([result], {result: ("70", "65")}))
    data = grid_form([result], {result: ("50", "65")}, versions={result: 2})
    data[f"conflict-{result.id}"], data[f"choice-{result.id}"] = "1", "theirs"
    assert other_client.post(f"/exams/{exam.id}/grid", data=data).status_code == 302
    assert float(fresh(result).theory_score) == 70


def test_compare_and_swap_refuses_a_stale_version_in_the_service(app, make):
    from traincenter.exams.scores import ScoreConflict, record_scores
    from traincenter.exams.values import ScoreRow

    exam, (result,), instructor = draft_exam(make, 1)
    record_scores(exam, [ScoreRow(result.id, "70", "70", version=1)], instructor)
    with pytest.raises(ScoreConflict) as caught:
        record_scores(exam, [ScoreRow(result.id, "40", "70", version=1)], instructor)
    assert caught.value.details[0].theirs["theory"].code == "70"
    assert fresh(result).version == 2


def test_a_race_lost_on_one_row_of_many_saves_none_of_them(app, make):
    from traincenter.exams.queries import result_rows
    from traincenter.exams.scores import ScoreConflict, record_scores
    from traincenter.exams.values import ScoreRow

    exam, results, instructor = draft_exam(make, 3)
    seen = result_rows(exam)  # the versions as the sheet was read: all 1
    record_scores(exam, [ScoreRow(results[1].id, "55", "55")], instructor)  # saved meanwhile
    with pytest.raises(ScoreConflict) as caught:  # the UPDATE matches 2 rows of 3
        record_scores(exam, [ScoreRow(r.id, "80", "80") for r in results], instructor, "import",
                      results=seen)
    assert [c.result.id for c in caught.value.details] == [results[1].id]
    assert [fresh(r).theory_score for r in results] == [None, 55, None]
    assert [fresh(r).version for r in results] == [1, 2, 1]


def test_instructor_of_another_class_cannot_open_or_save(client, make):
    exam, (result,), _ = draft_exam(make, 1)
    login(client, make.user("instructor"))
    assert client.get(f"/exams/{exam.id}/grid").status_code == 403
    response = client.post(f"/exams/{exam.id}/grid", data=grid_form([result], {result: ("70", "70")}))
    assert response.status_code == 403
    assert fresh(result).theory_score is None


def test_instructor_cannot_change_submitted_or_published_scores(client, make):
    exam, (result,), instructor = draft_exam(make, 1)
    result.status = "published"
    db.session.commit()
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert f'name="t-{result.id}"' not in page  # read-only row
    response = client.post(f"/exams/{exam.id}/grid", data=grid_form([result], {result: ("70", "70")}))
    assert fresh(result).theory_score is None
    assert response.status_code in (302, 422)


def test_grid_runs_a_fixed_number_of_queries(client, make, app):
    small, small_results, instructor = draft_exam(make, 3)
    big, big_results, _ = draft_exam(make, 30, instructor=instructor)
    login(client, instructor)
    counts = []
    for exam in (small, big):
        statements: list[str] = []

        def listener(*args, statements=statements):
            statements.append(args[2])

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/exams/{exam.id}/grid").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_grid_page_has_keyboard_and_offline_support(client, make):
    exam, _, instructor = draft_exam(make, 2)
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert "js/exams.js" in page and f'data-exam="{exam.id}"' in page
    assert "<script>" not in page and 'style="' not in page
    saved = client.get(f"/exams/{exam.id}/grid?saved=1").get_data(as_text=True)
    assert 'data-saved="1"' in saved


def test_grid_rows_escape_what_people_typed_or_named(client, make):
    """The rows are written in Python (exams/grid_rows.py): a name, a carry-over note and a typed
    value with markup in them are shown as text, never as markup."""
    exam, (result,), instructor = draft_exam(make, 1)
    result.enrolment.trainee.name = '<b>王"芳</b>'
    result.carry_over_note = "<i>note</i>"
    db.session.commit()
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert "<b>王" not in page and "&lt;b&gt;王&#34;芳&lt;/b&gt;" in page
    assert "<i>note</i>" not in page and "&lt;i&gt;note&lt;/i&gt;" in page
    response = client.post(f"/exams/{exam.id}/grid",
                           data=grid_form([result], {result: ('"><script>x</script>', "70")}))
    assert response.status_code == 422
    typed = response.get_data(as_text=True)
    assert "<script>x" not in typed and 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in typed


def test_grid_rows_of_a_reader_show_stored_parts_without_inputs(client, make):
    """An instructor after submission reads the stored values: a score, absent, or a dash."""
    from traincenter import rules

    exam, results, instructor = draft_exam(make, 3)
    for result, (theory, practical) in zip(results, [(72, 65), (rules.ABSENT, 80), (None, None)], strict=True):
        result.status = "submitted"
        result.theory_score = None if theory in (None, rules.ABSENT) else theory
        result.theory_absent = theory == rules.ABSENT
        result.practical_score = practical
    db.session.commit()
    login(client, instructor)
    page = client.get(f"/exams/{exam.id}/grid").get_data(as_text=True)
    assert 'name="t-' not in page and 'name="v-' not in page  # nothing to type into
    assert 'data-label="理论">72</td>' in page and 'data-label="实操">65</td>' in page
    assert 'badge badge-red">缺考' in page and '<span class="muted">—</span>' in page
