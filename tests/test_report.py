"""The annual report: known figures on a hand-built data set, the page, finalising, the CLI."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import date

import pytest

from traincenter import rules
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import ReportCache, ReportDraft, ReportSnapshot
from traincenter.models.base import utcnow
from traincenter.reports import data, export, operations, queries
from traincenter.reports.export import Content, formatting

from .conftest import login
from .report_world import (
    AS_OF,
    EXPECTED_P,
    EXPECTED_RECONCILIATION_Y,
    EXPECTED_Y,
    EXPECTED_Y_LATER,
    LATER,
    Y,
    build,
)

ZH = {"Accept-Language": "zh-CN"}


def test_every_figure_of_the_hand_built_year(make):
    build(make)
    figures = json.loads(export.export("json", Content(data.annual_figures(db.session, Y, AS_OF))))
    for key, value in EXPECTED_Y.items():
        assert figures[key] == value, key
    assert figures["certificate_reconciliation"] == EXPECTED_RECONCILIATION_Y
    assert figures["as_of"] == AS_OF.isoformat()
    previous = figures["previous_year"]
    for key, value in EXPECTED_P.items():
        assert previous[key] == value, key


def test_breakdowns_of_the_hand_built_year(make):
    build(make)
    figures = data.annual_figures(db.session, Y, AS_OF)
    tracks = {row["track"]: row for row in figures["by_track"]}
    assert list(tracks) == ["一般家政服务", "育婴师", "养老护理"]  # 一般家政服务: t8's certificate
    assert {key: tracks["育婴师"][key] for key in ("trained", "completed", "in_training", "stopped",
                                                 "exam_takers", "first_attempt_passed", "final_passed",
                                                 "certified", "placed")} == {
        "trained": 8, "completed": 6, "in_training": 0, "stopped": 2, "exam_takers": 6,
        "first_attempt_passed": 3, "final_passed": 4, "certified": 2, "placed": 1}
    assert tracks["养老护理"]["in_training"] == 1 and tracks["养老护理"]["first_attempt_pass_rate"] is None
    assert tracks["一般家政服务"]["trained"] == 0 and tracks["一般家政服务"]["placed"] == 1
    assert {row["key"]: row["trained"] for row in figures["by_gender"]} == {"F": 8, "M": 1}
    assert {row["key"]: row["trained"] for row in figures["by_age_band"]} == {
        "<35": 3, "35-49": 2, "50-59": 2, "60+": 2}
    assert {row["key"]: row["trained"] for row in figures["by_education"]} == {
        "illiterate": 1, "primary": 2, "junior": 3, "vocational": 1, "senior": 1, "college": 1}
    assert {row["key"]: row["trained"] for row in figures["by_origin"]} == {
        "rural": 5, "laid_off": 2, "other": 2}
    assert {row["month"]: row["trainees"] for row in figures["by_month"] if row["trainees"]} == {
        3: 8, 6: 2, 11: 1}
    assert [(row["key"], row["trained"]) for row in figures["by_level"]] == [(5, 8), (4, 1)]
    theory = {row["bin"]: row["count"] for row in figures["score_distribution"]["theory"] if row["count"]}
    assert theory == {"40-49": 1, "50-59": 2, "70-79": 2, "80-89": 1, "90-100": 1}
    practical = {row["bin"]: row["count"] for row in figures["score_distribution"]["practical"] if row["count"]}
    assert practical == {"60-69": 1, "70-79": 3, "80-89": 1, "90-100": 1}  # carried parts not again
    assert figures["classes"] == 2 and figures["retraining_classes"] == 1


def test_changes_against_the_year_before(make):
    build(make)
    changes = data.annual_figures(db.session, Y, AS_OF)["changes"]
    assert changes["trained"] == {"change": 7, "relative": 3.5}
    assert changes["hours_taught"] == {"change": 8.0, "relative": 1.0}
    assert changes["first_attempt_pass_rate"] == {"change": -50.0, "relative": None}  # points
    assert changes["reexam_pass_rate"] == {"change": None, "relative": None}  # none the year before


def test_cohort_figures_move_with_the_as_of_date(make):
    """t10's re-exam in the following year and t2's later job count once the as-of date is past them."""
    build(make)
    later = data.annual_figures(db.session, Y, LATER)
    for key, value in EXPECTED_Y_LATER.items():
        assert later[key] == value, key
    following = data.annual_figures(db.session, Y + 1, LATER)
    assert following["reexam_takers"] == 1 and following["exam_takers"] == 0  # t10 sat before
    assert following["certified"] == 1  # t4's certificate, from a pass of Y
    assert following["passed_in_year"] == 1  # t10, who has no certificate yet
    assert following["certificate_reconciliation"] == [
        {"key": "not_certified", "count": 1, "sign": -1}, {"key": "passed_earlier", "count": 1, "sign": 1}]


def test_empty_year_has_null_rates(make):
    figures = data.annual_figures(db.session, Y, AS_OF)
    assert figures["trained"] == 0 and figures["certificate_reconciliation"] == []
    for key in data.RATE_KEYS:
        assert figures[key] is None
    assert figures["average_rating"] is None


def test_subsidy_roster_lists_subsidy_paid_trainees_only(client, make, login_as):
    world = build(make)
    login_as("staff")
    response = client.get(f"/reports/annual/{Y}/subsidy-roster.xlsx", headers=ZH)
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["A1"].value == f"{Y}年获证补贴名单"
    rows = [row for row in sheet.iter_rows(min_row=5, values_only=True) if row[1]]
    # t1 (subsidy, certified in Y); not t2 (self), t8 (employer) nor t12 (subsidy, revoked).
    assert [row[3] for row in rows] == [world["trainees"]["t1"].name]
    assert rows[0][4] == world["trainees"]["t1"].id_number and isinstance(rows[0][4], str)
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows == "$4:$4"
    assert sheet.column_dimensions["E"].width >= 20 and sheet.column_dimensions["F"].width >= 13


def test_page_for_staff_only_in_the_house_table_style(client, make, login_as):
    world = build(make)
    for url in ("/reports/", f"/reports/annual/{Y}", f"/reports/annual/{Y}/chart/funnel.png",
                f"/reports/annual/{Y}/download/pdf", f"/reports/annual/{Y}/subsidy-roster.xlsx"):
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    for url in ("finalise", "narrative", "recount"):
        assert "/auth/login" in client.post(f"/reports/annual/{Y}/{url}").headers["Location"]
    login(client, make.trainee_user())
    assert client.post(f"/reports/annual/{Y}/finalise").status_code == 403
    assert client.get(f"/reports/annual/{Y}").status_code == 403
    client.post("/auth/logout")
    login(client, make.user("instructor"))
    assert client.get(f"/reports/annual/{Y}/download/json").status_code == 403
    client.post("/auth/logout")
    login_as("staff")
    page = client.get(f"/reports/annual/{Y}", headers=ZH)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<script>" not in html and "style=" not in html
    for text in ("一、培训工作情况", "二、考核情况", "三、推荐就业", "四、不足和下一步计划",
                 "主要指标及统计口径", world["a"].track.name, "参考人数", "首次参考在本年的学员",
                 "统计于", "立即重新统计", "较上年增加"):
        assert text in html, text
    assert html.count('<table class="table') >= len(formatting.all_tables(data.annual_figures(db.session, Y)))
    assert re.search(r'<td class="num">\s*9\s*</td>', html)  # 培训人数, right-aligned
    assert html.count('/chart/') >= 8 and "data:image/png" not in html
    chart = client.get(f"/reports/annual/{Y}/chart/funnel.png")
    assert chart.status_code == 200 and chart.mimetype == "image/png"
    assert client.get(f"/reports/annual/{Y}/chart/nope.png").status_code == 404
    assert client.get(f"/reports/annual/{Y}/download/exe").status_code == 404
    assert client.get(f"/reports/annual/{Y}/download/json").get_json()["trained"] == 9
    for fmt in ("docx", "pdf", "xlsx"):
        response = client.get(f"/reports/annual/{Y}/download/{fmt}", headers=ZH)
        assert response.status_code == 200 and response.mimetype == export.MIME[fmt]
        name = f"{Y}年度家政服务员培训工作报告.{fmt}"
        from urllib.parse import quote

        assert f"filename*=UTF-8''{quote(name)}" in response.headers["Content-Disposition"]
    assert "没有这一年的报告" in client.get("/reports/annual/1800", follow_redirects=True).get_data(as_text=True)


def test_staff_write_the_prose_and_a_stale_form_changes_nothing(client, other_client, make, login_as):
    build(make)
    staff = login_as("staff")
    login(other_client, staff)
    fields = {key: "" for key in rules.NARRATIVE_SECTIONS}
    saved = client.post(f"/reports/annual/{Y}/narrative", data={
        **fields, "version": "0", "shortcomings": "部分农村妇女不敢走出家门。\n培训周期长。",
        "plans": "下一步开设月嫂高级班。"})
    assert saved.status_code == 302
    db.session.expire_all()
    draft = db.session.query(ReportDraft).one()
    assert draft.version == 1 and draft.texts["shortcomings"] == "部分农村妇女不敢走出家门。\n培训周期长。"
    page = client.get(f"/reports/annual/{Y}", headers=ZH).get_data(as_text=True)
    assert "部分农村妇女不敢走出家门。" in page
    # A second tab still holds version 0: its save is refused and its text stays in the form.
    stale = other_client.post(f"/reports/annual/{Y}/narrative", headers=ZH, data={
        **fields, "version": "0", "plans": "另一个人写的计划。"})
    assert stale.status_code == 400
    html = stale.get_data(as_text=True)
    assert "另一个人写的计划。" in html and "已有其他人保存了文字" in html and "下一步开设月嫂高级班。" in html
    db.session.expire_all()
    assert db.session.query(ReportDraft).one().texts["plans"] == "下一步开设月嫂高级班。"
    too_long = client.post(f"/reports/annual/{Y}/narrative", headers=ZH, data={
        **fields, "version": "1", "intro": "字" * (rules.NARRATIVE_MAX_CHARS + 1)})
    assert too_long.status_code == 400
    db.session.expire_all()
    assert db.session.query(ReportDraft).one().version == 1
    docx = client.get(f"/reports/annual/{Y}/download/docx", headers=ZH).data
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx)).paragraphs)
    assert "培训周期长。" in text and "下一步开设月嫂高级班。" in text


def test_finalise_freezes_figures_and_text_and_lists_differences(client, make, login_as):
    world = build(make)
    staff = login_as("staff")
    operations.save_narrative(Y, {"plans": "开设月嫂班。"}, 0, staff)
    response = client.post(f"/reports/annual/{Y}/finalise", data={"note": "已报送市妇联"})
    assert response.status_code == 302
    db.session.expire_all()
    snapshot = db.session.query(ReportSnapshot).one()
    assert snapshot.year == Y and snapshot.figures["trained"] == 9
    assert snapshot.narrative["plans"] == "开设月嫂班。" and snapshot.finalised_by_id == staff.id
    before = client.get(f"/reports/annual/{Y}/download/json").get_data()
    page = client.get(f"/reports/annual/{Y}", headers=ZH).get_data(as_text=True)
    assert "定稿后数据没有变化" in page and "开设月嫂班。" in page and 'name="plans"' not in page
    with pytest.raises(DomainError, match="定稿|finalised"):
        operations.save_narrative(Y, {"plans": "改写"}, 1, staff)
    # Later the data changes: a certificate is revoked and a new trainee is enrolled.
    world["certificates"]["t1"].revoked_at = utcnow()
    make.enrolment(make.trainee(), world["a"])
    after = client.get(f"/reports/annual/{Y}/download/json").get_data()
    assert after == before  # reproduced exactly from the snapshot
    page = client.get(f"/reports/annual/{Y}", headers=ZH).get_data(as_text=True)
    assert "定稿后的变化" in page and "按同一截止日期用今天的数据重新统计" in page
    changed = {row["key"] for row in queries.compare_with_live(db.session.get(ReportSnapshot, snapshot.id))
               if row["scope"] == "year"}
    assert changed == {"trained", "stopped", "certified", "placed"}  # the rate stays 100%
    again = client.post(f"/reports/annual/{Y}/finalise", follow_redirects=True)
    assert "已经定稿" in again.get_data(as_text=True)
    assert db.session.query(ReportSnapshot).count() == 1


def test_finalise_refuses_current_year_and_non_staff(make):
    staff = make.user("staff")
    with pytest.raises(DomainError, match="结束|ended"):
        operations.finalise_year(date.today().year, staff)
    with pytest.raises(DomainError):
        operations.finalise_year(Y, make.user("instructor"))
    with pytest.raises(DomainError):
        operations.save_narrative(Y, {}, 0, make.user("instructor"))
    assert db.session.query(ReportSnapshot).count() == 0


def test_figures_are_kept_until_the_data_changes(client, make, login_as):
    world = build(make)
    login_as("staff")
    client.get(f"/reports/annual/{Y}")
    row = db.session.query(ReportCache).one()
    computed_at = row.computed_at
    client.get(f"/reports/annual/{Y}")
    db.session.expire_all()
    assert db.session.query(ReportCache).one().computed_at == computed_at  # read, not counted again
    make.enrolment(make.trainee(), world["a"])  # any write to the report's data
    page = client.get(f"/reports/annual/{Y}").get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(ReportCache).one().figures["trained"] == 10
    assert db.session.query(ReportCache).one().computed_at > computed_at
    assert "10" in page
    assert client.post(f"/reports/annual/{Y}/recount").status_code == 302


def test_cli_writes_every_format_with_chinese_names(runner, make, tmp_path):
    build(make)
    result = runner.invoke(args=["report", "annual", "--year", str(Y), "--format",
                                 "docx,pdf,xlsx,json", "--out", str(tmp_path), "--roster"])
    assert result.exit_code == 0, result.output
    for fmt in export.FORMATS:
        path = tmp_path / f"{Y}年度家政服务员培训工作报告.{fmt}"
        assert path.stat().st_size > 0
        assert f"已写入 {path}（未定稿）" in result.output
    assert f"{Y}年报告" in result.output  # the progress label
    assert json.loads((tmp_path / f"{Y}年度家政服务员培训工作报告.json").read_text("utf-8"))["trained"] == 9
    assert (tmp_path / f"{Y}年获证补贴名单.xlsx").exists()
    bad = runner.invoke(args=["report", "annual", "--year", str(Y), "--format", "doc"])
    assert bad.exit_code != 0 and "未知的格式：doc" in bad.output
    english = runner.invoke(args=["report", "annual", "--year", str(Y), "--format", "doc", "--lang", "en"])
    assert english.exit_code != 0 and "unknown format(s): doc" in english.output


def test_cli_speaks_the_output_language_and_writes_documents_in_theirs(runner, make, tmp_path):
    build(make)
    operations.finalise_year(Y, make.user("staff"))
    chinese = runner.invoke(args=["report", "annual", "--year", str(Y), "--format", "json,docx",
                                  "--out", str(tmp_path), "--locale", "en"])
    assert chinese.exit_code == 0, chinese.output
    name = f"Annual report on domestic-service training, {Y}"
    assert f"已写入 {tmp_path / (name + '.json')}（已定稿）" in chinese.output
    from docx import Document

    document = Document(str(tmp_path / f"{name}.docx"))
    assert document.paragraphs[0].text == name
    too_early = runner.invoke(args=["report", "annual", "--year", "1800", "--locale", "en"])
    assert too_early.exit_code == 1 and "没有这一年的报告" in too_early.output


def test_pass_marks_travel_with_the_figures_and_old_snapshots_still_print(make):
    """``pass_marks`` is exported and frozen, never compared; a snapshot with fewer figures prints."""
    build(make)
    figures = data.annual_figures(db.session, Y, date.today())
    assert figures["pass_marks"] == {"theory": [60.0], "practical": [60.0]}
    assert "pass_marks" not in figures["changes"] and "pass_marks" not in figures["previous_year"]
    snapshot = operations.finalise_year(Y, make.user("staff"))
    assert snapshot.figures["pass_marks"] == figures["pass_marks"]
    assert queries.compare_with_live(snapshot) == []
    older = {key: value for key, value in figures.items()
             if key not in ("pass_marks", "hours_taught", "completed", "certificate_reconciliation")}
    assert queries.differences(older, figures) == []  # figures it did not have are not listed
    content = Content(older, {}, True, "中心")
    for fmt in export.FORMATS:
        assert export.export(fmt, content)


def test_page_runs_a_fixed_number_of_queries(client, make, login_as):
    from sqlalchemy import event

    login_as("staff")

    def count_queries() -> int:
        counter = {"n": 0}

        def before(*_args):
            counter["n"] += 1

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            assert client.get(f"/reports/annual/{Y}").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", before)
        return counter["n"]

    small = count_queries()  # counts and stores
    build(make)
    for _ in range(5):
        make.enrolment(make.trainee(), make.training_class(starts_on=date(Y, 5, 1), ends_on=date(Y, 5, 30)))
    assert count_queries() == small  # counts and stores again: the same statements
    warm = count_queries()
    assert warm < small and warm <= 8  # from the kept figures


@pytest.mark.skipif(os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="already running on PostgreSQL")
def test_same_json_on_sqlite_and_postgresql(make, app):
    """The same data set gives byte-identical JSON on SQLite and on a throwaway PostgreSQL database."""
    psycopg = pytest.importorskip("psycopg")
    try:
        admin = psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres",
                                autocommit=True, connect_timeout=2)
    except Exception:
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    name = f"tc_report_cmp_{os.getpid()}"
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        build(make)
        sqlite_json = export.export("json", Content(data.annual_figures(db.session, Y, AS_OF)))
        from traincenter import create_app

        pg_app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1/{name}")
        with pg_app.app_context():
            from flask_migrate import upgrade

            upgrade()
            from .factories import Factory

            build(Factory())
            pg_json = export.export("json", Content(data.annual_figures(db.session, Y, AS_OF)))
            db.session.remove()
            db.engine.dispose()
        assert json.loads(pg_json) == json.loads(sqlite_json)
        assert pg_json == sqlite_json
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

