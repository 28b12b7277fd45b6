"""Issue 14's wording rules: names by pinyin, one date format, age-band labels, Chinese punctuation."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import insert, select

from traincenter import rules
from traincenter.extensions import db
from traincenter.i18n import label, show_date, show_datetime, show_time
from traincenter.models import Trainee, User
from traincenter.reports import definitions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import i18n  # noqa: E402

# -- names by pinyin ----------------------------------------------------------------------------


def by_pinyin(names):
    return sorted(names, key=lambda name: (rules.name_sort_key(name), name))


@pytest.mark.parametrize(("first", "second"), [
    ("马丽", "魏芳"),      # ma < wei
    ("王五", "张三"),      # wang < zhang
    ("李四", "连成"),      # li before lian: syllable by syllable
    ("马丽", "马丽丽"),    # a shorter name first
    ("单雄", "王芳"),      # 单 as a surname is shan, not dan
    ("仇红", "单雄"),      # 仇 as a surname is qiu (< shan), not chou
    ("曾小华", "张三"),    # 曾 as a surname is zeng (< zhang), not ceng
])
def test_names_order_by_pinyin(first, second):
    assert by_pinyin([second, first]) == [first, second]


def test_surnames_are_read_as_surnames():
    assert rules.name_pinyin("单雄")[0] == "shan4"
    assert rules.name_pinyin("曾小华")[0] == "zeng1"
    assert rules.name_pinyin("仇红")[0] == "qiu2"
    assert rules.name_pinyin("尉迟敬")[:2] == ["yu4", "chi2"]
    # The same characters inside a given name keep their ordinary reading.
    assert rules.name_pinyin("王曾")[1] == "ceng2"


def test_sort_key_is_plain_ascii_and_bounded():
    for name in ("马丽", "Anna Li", "", "欧阳娜娜", "王" * 64):
        key = rules.name_sort_key(name)
        assert key == "" or key.isascii() and key.isalnum()
        assert len(key) <= rules.NAME_SORT_KEY_LENGTH


def test_models_keep_the_key_in_step(make):
    trainee = make.trainee(name="魏芳")
    assert trainee.name_sort == rules.name_sort_key("魏芳")
    trainee.name = "单雄"
    db.session.commit()
    assert db.session.scalar(select(Trainee.name_sort).where(Trainee.id == trainee.id)) \
        == rules.name_sort_key("单雄")
    user = make.user("staff", display_name="曾老师")
    assert user.name_sort.startswith("zeng1")


def test_a_bulk_insert_fills_the_key(make):
    number = make.id_number()
    info = rules.parse_id_number(number)
    db.session.execute(insert(Trainee), [dict(
        name="仇红", id_number=number, gender=info.gender, birth_on=info.birth_on,
        education="junior", origin="rural")])
    db.session.commit()
    assert db.session.scalar(select(Trainee.name_sort).where(Trainee.id_number == number)) \
        == rules.name_sort_key("仇红")


def test_users_order_by_pinyin_in_sql(make):
    for name in ("张老师", "马老师", "魏老师"):
        make.user("instructor", display_name=name)
    names = db.session.scalars(select(User.display_name).order_by(User.name_sort)).all()
    assert names == ["马老师", "魏老师", "张老师"]


# -- dates -------------------------------------------------------------------------------------


def test_a_day_reads_the_same_everywhere():
    with force_locale("zh_Hans_CN"):
        assert show_date(date(2026, 11, 9)) == "2026年11月9日"
        assert show_date("2026-11-09") == "2026年11月9日"
        assert show_date(None) == ""
        assert show_date(date(2026, 11, 9)) == rules.chinese_date(date(2026, 11, 9))
    with force_locale("en"):
        assert show_date(date(2026, 11, 9)) == "November 9, 2026"


def test_a_moment_reads_without_seconds_in_the_centers_time_zone():
    moment = datetime(2026, 11, 9, 6, 5, 42)  # naive UTC; Asia/Shanghai is UTC+8
    with force_locale("zh_Hans_CN"):
        assert show_datetime(moment) == "2026年11月9日 14:05"
        assert show_time(moment) == "14:05"
        assert show_date(datetime(2026, 11, 9, 17, 0)) == "2026年11月10日"
    with force_locale("en"):
        assert show_datetime(moment) == "November 9, 2026 14:05"


# -- labels ------------------------------------------------------------------------------------


def test_age_bands_keep_their_keys_and_read_in_words():
    assert rules.AGE_BANDS == ("<35", "35-49", "50-59", "60+")
    with force_locale("zh_Hans_CN"):
        assert [definitions.age_band_label(key) for key in rules.AGE_BANDS] == [
            "35岁以下", "35–49岁", "50–59岁", "60岁及以上"]


def test_the_fourth_education_level_is_the_secondary_vocational_school():
    assert rules.EDUCATION_LEVELS.index("vocational") == 3
    with force_locale("zh_Hans_CN"):
        assert label("education", "vocational") == "职高/中专"


# -- punctuation and forms of address ----------------------------------------------------------


@pytest.mark.parametrize(("text", "bad"), [
    ("编号: 12", True), ("（29 岁)", True), ("姓名,电话", True), ("真的吗?", True),
    ("编号：%(number)s", False), ("%(name)s (%(code)s)", False), ("比例 1:2", False),
    ("网址 https://example.org/a?b=1", False), ("Score: 60", False), ("（%(n)s人）", False),
    ("%(name)s: 已保存", True),
])
def test_ascii_punctuation_next_to_chinese_is_found(text, bad):
    assert bool(i18n.punctuation_problems(text)) is bad


def test_the_catalogue_uses_chinese_punctuation_and_addresses_trainees_as_nin():
    assert i18n.wording_problems() == []


# -- the class roster after an exam says what is true -------------------------------------------


def test_class_roster_after_the_exam_says_passed_or_what_comes_next(client, login_as, make):
    cls = make.training_class()
    passed = make.enrolment(make.trainee(name="魏合格"), cls)
    failed = make.enrolment(make.trainee(name="马未过"), cls)
    waiting = make.enrolment(make.trainee(name="张待考"), cls)
    for enrolment in (passed, failed, waiting):
        make.hours(enrolment, 80, 70)
    exam = make.exam(cls)
    make.result(exam, passed, 80, 75)
    make.result(exam, failed, 50, 75)
    login_as("staff")
    page = client.get(f"/training/classes/{cls.id}").get_data(as_text=True)
    assert "1人考试合格" in page and "1人未通过、待安排补考" in page
    assert "1人可以参加考试" in page  # only the one no exam has touched yet
    # The roster is in pinyin order: ma < wei < zhang.
    assert page.index("马未过") < page.index("魏合格") < page.index("张待考")


def test_trainee_home_after_a_failed_exam_does_not_just_say_enough_hours(client, make):
    from .conftest import login

    user = make.trainee_user(name="马未过")
    cls = make.training_class()
    enrolment = make.enrolment(user.trainee, cls)
    make.hours(enrolment, 80, 70)
    make.result(make.exam(cls), enrolment, 50, 75)
    login(client, user)
    page = client.get("/me/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "未通过考试，等待安排补考" in page
    assert "您的学时已够" not in page
