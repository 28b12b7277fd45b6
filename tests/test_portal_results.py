"""The trainee's results page: published only, their own only, plain next steps."""

from __future__ import annotations

from .conftest import login
from .test_exams_helpers import draft_exam


def _trainee_with_results(make):
    user = make.trainee_user()
    exam, _, _ = draft_exam(make, 0)
    enrolment = make.enrolment(user.trainee, exam.training_class)
    published = make.result(exam, enrolment, 72, 50)
    later = make.exam(exam.training_class, kind="reexam")
    hidden = make.result(later, enrolment, None, 98.5, status="submitted",
                         theory_carried_from=published, attempt_no=2)
    return user, published, hidden


def test_trainee_sees_published_result_with_big_verdict_and_next_step(client, make):
    user, published, hidden = _trainee_with_results(make)
    login(client, user)
    page = client.get("/me/results").get_data(as_text=True)
    assert "不合格" in page and "72" in page and "50" in page
    assert "98.5" not in page  # the submitted, unpublished re-exam is not shown
    assert "接下来怎么办" in page  # what happens next, in plain words
    assert "补考" in page


def test_next_step_names_the_re_exam_and_the_kept_part(client, make):
    user, _, _ = _trainee_with_results(make)
    login(client, user)
    page = client.get("/me/results").get_data(as_text=True)
    assert "实操考核" in page and "保留" in page


def _sat_twice(make, first: tuple, second: tuple):
    """A trainee whose course has a published first exam and a published re-exam."""
    user = make.trainee_user()
    exam, _, _ = draft_exam(make, 0)
    course = make.enrolment(user.trainee, exam.training_class)
    make.result(exam, course, *first)
    reexam = make.exam(exam.training_class, kind="reexam")
    make.result(reexam, course, *second, attempt_no=2)
    return user, exam


def test_a_trainee_who_restarted_in_a_new_class_is_not_told_to_sign_up_again(client, make):
    user, exam = _sat_twice(make, (40, 45), (50, 52))
    login(client, user)
    assert "新的常规培训班" in client.get("/me/results").get_data(as_text=True)
    track = exam.training_class.track
    make.enrolment(user.trainee, make.training_class(track=track), course_attempt=2)
    assert "新的常规培训班" not in client.get("/me/results").get_data(as_text=True)


def test_absent_part_is_shown_as_absent(client, make):
    user = make.trainee_user()
    exam, _, _ = draft_exam(make, 0)
    make.result(exam, make.enrolment(user.trainee, exam.training_class), "absent", 80)
    login(client, user)
    assert "缺考" in client.get("/me/results").get_data(as_text=True)


def test_trainee_cannot_see_someone_elses_results(client, make):
    user, _, _ = _trainee_with_results(make)
    other = make.trainee_user()
    exam, _, _ = draft_exam(make, 0)
    other_result = make.result(exam, make.enrolment(other.trainee, exam.training_class), 91.5, 93)
    login(client, user)
    assert "91.5" not in client.get("/me/results").get_data(as_text=True)
    for url in (f"/exams/{exam.id}", f"/exams/{exam.id}/grid",
                f"/exams/results/{other_result.id}/correct",
                f"/exams/trainees/{other.trainee.id}/history", f"/exams/{exam.id}/stats"):
        assert client.get(url).status_code in (403, 404), url


def test_trainee_cannot_reach_an_unpublished_result_by_id(client, make):
    user, _, hidden = _trainee_with_results(make)
    login(client, user)
    for url in (f"/exams/results/{hidden.id}/correct", f"/exams/{hidden.exam_id}",
                f"/exams/{hidden.exam_id}/template.xlsx"):
        assert client.get(url).status_code in (403, 404), url


def test_english_page(client, make):
    user, _, _ = _trainee_with_results(make)
    login(client, user)
    page = client.get("/me/results", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Exam not passed" in page and "不合格" not in page


def test_a_failed_exam_passed_at_the_re_exam_leaves_nothing_next(client, make):
    """Every course whose latest result passed has no next step (and none is worked out); a
    second course still open in another track brings them back."""
    user, _ = _sat_twice(make, (72, 50), (75, 80))
    login(client, user)
    page = client.get("/me/results").get_data(as_text=True)
    assert "合格" in page and "接下来怎么办" not in page
    other, _, _ = draft_exam(make, 0)
    make.result(other, make.enrolment(user.trainee, other.training_class), 40, 45)
    assert "接下来怎么办" in client.get("/me/results").get_data(as_text=True)
