"""The annual report: known figures on a hand-built data set, outputs, pages, finalise, CLI."""

from __future__ import annotations

import io
import json
import os
import warnings
from datetime import date

import pytest

from traincenter import rules
from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.models import ReportSnapshot
from traincenter.reports import charts, data, export, operations, queries
from traincenter.reports.export import formatting

from .conftest import login

Y = date.today().year - 1  # a finished year (can be finalised)
P = Y - 1


def build(make) -> dict:
    """Every headline figure of year Y (and Y-1) is known by construction.

    Year Y, track 育婴师 (class A, regular, Y-03-01..Y-04-15, 3 trainees t1 t2 t3):
      t1 passes the first exam (80/85) → certified Y-05-01, placed Y-05-10 (contract), feedback 5, 4;
      t2 fails theory (50/70) → retraining class R (Y-06) → re-exam Y-06-30 (75, practical carried) passes
         → certified Y-07-01, placed Y-06-01 (before the certificate: does not count);
      t3 is absent in theory and sits practical 40 → fails, no re-exam.
      t4 is enrolled in A but absent in both parts → not an exam taker.
    Track 养老护理 (class B, company provider, Y-09-01..Y-10-30): t5 (male, born 1960) enrolled, no exam.
    Year P: class C (一般家政服务) with t6 who passed and was certified in P; feedback in P rated 2.
    Health certificates: t1 issued in Y, t6 in P.
    """
    infant = make.track(code="YY", name="育婴师", sort_order=2)
    elderly = make.track(code="YL", name="养老护理", sort_order=3)
    general = make.track(code="GEN", name="一般家政服务", sort_order=1)
    a = make.training_class(track=infant, starts_on=date(Y, 3, 1), ends_on=date(Y, 4, 15))
    b = make.training_class(track=elderly, starts_on=date(Y, 9, 1), ends_on=date(Y, 10, 30),
                            provider_kind="company", provider_name="幸福家政公司", level=4)
    r = make.training_class(track=infant, kind="retraining", starts_on=date(Y, 6, 1),
                            ends_on=date(Y, 6, 25))
    c = make.training_class(track=general, starts_on=date(P, 5, 1), ends_on=date(P, 6, 30))
    t1 = make.trainee(birth_on=date(Y - 30, 6, 1), education="primary", origin="rural")
    t2 = make.trainee(birth_on=date(Y - 40, 6, 1), education="junior", origin="laid_off")
    t3 = make.trainee(birth_on=date(Y - 55, 6, 1), education="junior", origin="rural")
    t4 = make.trainee(birth_on=date(Y - 45, 6, 1), education="illiterate", origin="other")
    t5 = make.trainee(birth_on=date(1960, 1, 1), gender="M", education="senior", origin="rural")
    t6 = make.trainee(birth_on=date(Y - 35, 1, 1))
    e1, e2, e3, e4 = (make.enrolment(t, a, fee_payer=payer) for t, payer in
                      ((t1, "subsidy"), (t2, "self"), (t3, "self"), (t4, "employer")))
    make.enrolment(t5, b)
    e2r = make.enrolment(t2, r, continues_id=e2.id)
    e6 = make.enrolment(t6, c)
    # Hours: sessions in Y: 4 h (t1 present, t2 late, t3 absent) and 3 h (t1 present, t4 excused).
    s1 = make.session(a, hours=4, held_on=date(Y, 3, 2))
    s2 = make.session(a, hours=3, held_on=date(Y, 3, 3))
    for enrolment, status in ((e1, "present"), (e2, "late"), (e3, "absent")):
        make.attendance(s1, enrolment, status)
    make.attendance(s2, e1, "present")
    make.attendance(s2, e4, "excused")
    make.self_study(e1, hours=10, studied_on=date(Y, 3, 10))
    make.self_study(e2, hours=6, studied_on=date(Y, 3, 11))
    make.self_study(e2, hours=5, status="pending", studied_on=date(Y, 3, 12))
    make.self_study(e6, hours=7, studied_on=date(P, 5, 10))
    first = make.exam(a, held_on=date(Y, 4, 20))
    r1 = make.result(first, e1, 80, 85)
    r2 = make.result(first, e2, 50, 70)
    make.result(first, e3, rules.ABSENT, 40)
    make.result(first, e4, rules.ABSENT, rules.ABSENT)
    reexam = make.exam(r, kind="reexam", held_on=date(Y, 6, 30))
    r2b = make.result(reexam, e2r, 75, None, attempt_no=2, practical_carried_from=r2)
    unpublished = make.exam(b, held_on=date(Y, 10, 31))
    make.result(unpublished, make.enrolment(make.trainee(birth_on=date(Y - 42, 6, 1)), b), 90, 90, status="draft")
    cert1 = make.certificate(r1, issued_on=date(Y, 5, 1))
    make.certificate(r2b, issued_on=date(Y, 7, 1))
    p1 = make.placement(t1, starts_on=date(Y, 5, 10), contract_registered=True)
    make.placement(t2, starts_on=date(Y, 6, 1))
    make.feedback(p1, rating=5, given_on=date(Y, 6, 1))
    make.feedback(p1, rating=4, given_on=date(Y, 8, 1))
    make.health(t1, issued_on=date(Y, 4, 1))
    previous_exam = make.exam(c, held_on=date(P, 7, 1))
    r6 = make.result(previous_exam, e6, 70, 70)
    make.certificate(r6, issued_on=date(P, 7, 10))
    p6 = make.placement(t6, starts_on=date(P, 8, 1))
    make.feedback(p6, rating=2, given_on=date(P, 9, 1))
    make.health(t6, issued_on=date(P, 7, 20))
    return {"cert1": cert1, "t1": t1, "t6": t6, "a": a}


EXPECTED_Y = {
    "year": Y,
    "trained": 6,  # t1–t4 in A, t5 and the draft candidate in B (t2 also in R)
    "hours_classroom": 4 + 4 + 3,  # s1: t1 + t2 (late); s2: t1
    "hours_self_study": 16,
    "exam_takers": 3,  # t4 absent in both parts
    "first_attempt_passed": 1,
    "first_attempt_pass_rate": pytest.approx(1 / 3, abs=1e-6),
    "final_passed": 2,
    "final_pass_rate": pytest.approx(2 / 3, abs=1e-6),
    "retrained": 1,
    "reexam_takers": 1,
    "reexam_passed": 1,
    "reexam_pass_rate": 1.0,
    "certified": 2,
    "health_certificates": 1,
    "placed": 1,  # t2's placement started before the certificate
    "placement_rate": 0.5,
    "contracts_registered": 1,
    "feedback_count": 2,
    "average_rating": 4.5,
    "satisfaction_rate": 1.0,
}


def test_known_figures_in_json(make):
    build(make)
    figures = json.loads(export.to_json(data.annual_figures(db.session, Y, date.today())))
    for key in ("year", "trained", "exam_takers", "first_attempt_pass_rate", "final_pass_rate",
                "retrained", "certified", "placed", "placement_rate", "satisfaction_rate",
                "by_track", "previous_year"):
        assert key in figures
    for key, value in EXPECTED_Y.items():
        assert figures[key] == value, key
    previous = figures["previous_year"]
    assert previous["year"] == P
    assert previous["trained"] == 1 and previous["exam_takers"] == 1
    assert previous["first_attempt_pass_rate"] == 1.0
    assert previous["retrained"] == 0
    assert previous["reexam_pass_rate"] is None  # zero denominator → null
    assert previous["satisfaction_rate"] == 0.0 and previous["average_rating"] == 2.0
    assert previous["placement_rate"] == 1.0
    assert figures["changes"]["trained"] == {"change": 5, "relative": 5.0}
    tracks = {row["track"]: row for row in figures["by_track"]}
    assert list(tracks) == ["育婴师", "养老护理"]
    assert tracks["育婴师"]["trained"] == 4 and tracks["育婴师"]["exam_takers"] == 3
    assert tracks["育婴师"]["final_pass_rate"] == pytest.approx(2 / 3, abs=1e-6)
    assert tracks["养老护理"]["exam_takers"] == 0
    assert tracks["养老护理"]["first_attempt_pass_rate"] is None
    assert {row["key"]: row["trained"] for row in figures["by_gender"]} == {"F": 5, "M": 1}
    ages = {row["key"]: row["trained"] for row in figures["by_age_band"]}
    assert ages["<35"] == 1 and ages["50-59"] == 1 and ages["60+"] == 1
    assert sum(ages.values()) == 6
    months = {row["month"]: row["trainees"] for row in figures["by_month"]}
    assert months[3] == 4 and months[6] == 1 and months[9] == 2 and sum(months.values()) == 7
    assert {row["provider_kind"] for row in figures["by_provider"]} == {"union", "company"}
    theory = {row["bin"]: row["count"] for row in figures["score_distribution"]["theory"]}
    assert theory == {**dict.fromkeys(data.SCORE_BIN_LABELS, 0), "50-59": 1, "70-79": 1, "80-89": 1}
    practical = {row["bin"]: row["count"] for row in figures["score_distribution"]["practical"]}
    assert practical["40-49"] == 1 and practical["70-79"] == 1 and practical["80-89"] == 1
    assert sum(practical.values()) == 3  # the carried-over practical is not counted again


def test_empty_year_has_null_rates(make):
    figures = data.annual_figures(db.session, Y, date.today())
    assert figures["trained"] == 0
    for key in data.RATE_KEYS:
        assert figures[key] is None
    assert figures["average_rating"] is None


def test_documents_open_and_hold_tables_charts_and_chinese(make):
    build(make)
    figures = data.annual_figures(db.session, Y, date.today())
    pngs = charts.render_all(figures)
    from docx import Document

    document = Document(io.BytesIO(export.to_docx(figures, pngs=pngs)))
    assert len(document.tables) == len(formatting.all_tables(figures))
    assert len(document.inline_shapes) == len(charts.CHARTS)
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"{Y}年" in text and "培训学员6人" in text
    from docx.oxml.ns import qn

    assert document.styles["Normal"].element.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"

    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(export.to_xlsx(figures)))
    assert len(workbook.sheetnames) == len(formatting.all_tables(figures))
    sheet = workbook[workbook.sheetnames[0]]
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert 6 in values  # numbers stay numbers
    assert any(isinstance(v, float) and abs(v - 1 / 3) < 1e-6 for v in values)

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(export.to_pdf(figures, pngs=pngs)))
    # pypdf reads fpdf2's CID font with a NUL after each character; the text itself is right.
    pdf_text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    for heading in ("家政服务", "主要指标", "按专业方向", "按年龄段", "图表"):
        assert heading in pdf_text, heading


def test_xlsx_neutralises_formula_text(make):
    track = make.track(code="EV", name="=HYPERLINK(\"x\")")
    cls = make.training_class(track=track, starts_on=date(Y, 2, 1), ends_on=date(Y, 3, 1))
    make.enrolment(make.trainee(), cls)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(export.to_xlsx(data.annual_figures(db.session, Y))))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)
    assert any(cell.value == "=HYPERLINK(\"x\")" and cell.data_type == "s" for cell in cells)


def test_every_chart_renders_without_missing_glyphs(make):
    build(make)
    figures = data.annual_figures(db.session, Y)
    for name in charts.CHARTS:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # "Glyph … missing from font" would raise
            image = charts.render(name, figures)
        assert image.startswith(b"\x89PNG"), name


def test_page_for_staff_only(client, make, login_as):
    world = build(make)
    for url in ("/reports/", f"/reports/annual/{Y}", f"/reports/annual/{Y}/chart/funnel.png",
                f"/reports/annual/{Y}/download/pdf", f"/reports/annual/{Y}/subsidy-roster.xlsx"):
        anonymous = client.get(url)
        assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]
    assert "/auth/login" in client.post(f"/reports/annual/{Y}/finalise").headers["Location"]
    trainee_user = make.trainee_user()
    login(client, trainee_user)
    assert client.post(f"/reports/annual/{Y}/finalise").status_code == 403
    assert client.get(f"/reports/annual/{Y}").status_code == 403
    other = make.user("instructor")
    client.post("/auth/logout")
    login(client, other)
    assert client.get(f"/reports/annual/{Y}/download/json").status_code == 403
    client.post("/auth/logout")
    login_as("staff")
    page = client.get(f"/reports/annual/{Y}", headers={"Accept-Language": "zh-CN"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "主要指标" in html and "育婴师" in html and "33.3%" in html
    assert "<script>" not in html and "style=" not in html
    assert html.count("data:image/png;base64,") == len(charts.CHARTS)
    assert client.get("/reports/").status_code == 200
    assert world["a"].track.name in html
    chart = client.get(f"/reports/annual/{Y}/chart/funnel.png")
    assert chart.status_code == 200 and chart.mimetype == "image/png"
    assert client.get(f"/reports/annual/{Y}/chart/nope.png").status_code == 404
    assert client.get(f"/reports/annual/{Y}/download/exe").status_code == 404
    figures = client.get(f"/reports/annual/{Y}/download/json").get_json()
    assert figures["trained"] == 6
    for fmt in ("docx", "pdf", "xlsx"):
        response = client.get(f"/reports/annual/{Y}/download/{fmt}")
        assert response.status_code == 200 and response.mimetype == export.MIME[fmt]
    bad = client.get("/reports/annual/1800", follow_redirects=True)
    assert "没有这一年的报告" in bad.get_data(as_text=True)


def test_subsidy_roster_lists_certified_with_fee_payer_and_text_ids(client, make, login_as):
    world = build(make)
    login_as("staff")
    response = client.get(f"/reports/annual/{Y}/subsidy-roster.xlsx")
    assert response.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    ids = [row[3] for row in rows]
    assert world["t1"].id_number in ids and all(isinstance(value, str) for value in ids)
    assert "补贴" in {row[7] for row in rows} | {"补贴"} and rows[0][7] in ("补贴", "Subsidy", "自费")


def test_finalise_freezes_figures_and_lists_differences(client, make, login_as):
    world = build(make)
    staff = login_as("staff")
    response = client.post(f"/reports/annual/{Y}/finalise", data={"note": "已报送市妇联"})
    assert response.status_code == 302
    db.session.expire_all()
    snapshot = db.session.query(ReportSnapshot).one()
    assert snapshot.year == Y and snapshot.figures["trained"] == 6
    assert snapshot.finalised_by_id == staff.id
    before = client.get(f"/reports/annual/{Y}/download/json").get_data()
    page = client.get(f"/reports/annual/{Y}").get_data(as_text=True)
    assert "数据在定稿后没有变化" in page
    # Later the data changes: a certificate is revoked and a new trainee is enrolled.
    from traincenter.models.base import utcnow

    world["cert1"].revoked_at = utcnow()
    make.enrolment(make.trainee(), world["a"])
    db.session.commit()
    after = client.get(f"/reports/annual/{Y}/download/json").get_data()
    assert after == before  # reproduced exactly from the snapshot
    page = client.get(f"/reports/annual/{Y}").get_data(as_text=True)
    assert "定稿后数据有变化" in page
    changed = {row["key"] for row in queries.compare_with_live(db.session.get(ReportSnapshot, snapshot.id))
               if row["scope"] == "year"}
    assert changed == {"trained", "certified", "placed", "placement_rate"}
    again = client.post(f"/reports/annual/{Y}/finalise", follow_redirects=True)
    assert "已经定稿" in again.get_data(as_text=True)
    assert db.session.query(ReportSnapshot).count() == 1


def test_finalise_refuses_current_year_and_non_staff(make):
    staff = make.user("staff")
    with pytest.raises(DomainError, match="结束|ended"):
        operations.finalise_year(date.today().year, staff)
    with pytest.raises(DomainError):
        operations.finalise_year(Y, make.user("instructor"))
    assert db.session.query(ReportSnapshot).count() == 0


def test_cli_writes_every_format(runner, make, tmp_path):
    build(make)
    result = runner.invoke(args=["report", "annual", "--year", str(Y), "--format",
                                 "docx,pdf,xlsx,json", "--out", str(tmp_path), "--roster"])
    assert result.exit_code == 0, result.output
    for fmt in export.FORMATS:
        assert (tmp_path / export.filename(Y, fmt)).stat().st_size > 0
        assert f"已写入 {tmp_path / export.filename(Y, fmt)}（未定稿）" in result.output
    assert f"{Y}年报告" in result.output  # the progress label
    assert json.loads((tmp_path / export.filename(Y, "json")).read_text("utf-8"))["trained"] == 6
    assert (tmp_path / f"subsidy-roster-{Y}.xlsx").exists()
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
    assert f"已写入 {tmp_path / export.filename(Y, 'json')}（已定稿）" in chinese.output
    from docx import Document

    document = Document(str(tmp_path / export.filename(Y, "docx")))
    assert document.paragraphs[0].text == f"Annual report on domestic-service training, {Y}"
    too_early = runner.invoke(args=["report", "annual", "--year", "1800", "--locale", "en"])
    assert too_early.exit_code == 1 and "没有这一年的报告" in too_early.output
    english = runner.invoke(args=["report", "annual", "--year", str(Y), "--format", "json",
                                  "--out", str(tmp_path), "--lang", "en"])
    assert f"wrote {tmp_path / export.filename(Y, 'json')} (finalised)" in english.output


def test_pass_marks_travel_with_the_figures_and_are_never_compared(make):
    """``pass_marks`` (lists per part, not a number) is exported and frozen, never compared."""
    build(make)
    figures = data.annual_figures(db.session, Y, date.today())
    assert figures["pass_marks"] == {"theory": [60.0], "practical": [60.0]}
    assert "pass_marks" not in figures["changes"] and "pass_marks" not in figures["previous_year"]
    assert json.loads(export.to_json(figures))["pass_marks"] == figures["pass_marks"]
    assert all(table.key != "pass_marks" for table in formatting.all_tables(figures))
    snapshot = operations.finalise_year(Y, make.user("staff"))
    assert snapshot.figures["pass_marks"] == figures["pass_marks"]
    assert queries.compare_with_live(snapshot) == []
    # A snapshot made before pass_marks existed, or under other marks, differs in no figure …
    older = {key: value for key, value in figures.items() if key != "pass_marks"}
    assert queries.differences(older, figures) == []
    assert queries.differences(dict(figures, pass_marks={"theory": [70.0], "practical": [75.0]}),
                               figures) == []
    # … and every output of it is still made (the score charts fall back to the default mark).
    pngs = charts.render_all(older)
    for fmt in export.FORMATS:
        assert export.export(fmt, older, True, pngs)


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

    small = count_queries()
    build(make)
    for _ in range(5):
        make.enrolment(make.trainee(), make.training_class(starts_on=date(Y, 5, 1), ends_on=date(Y, 5, 30)))
    assert count_queries() == small


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
        as_of = date.today()
        sqlite_json = export.to_json(data.annual_figures(db.session, Y, as_of))
        from traincenter import create_app

        pg_app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"postgresql+psycopg://postgres@127.0.0.1/{name}")
        with pg_app.app_context():
            from flask_migrate import upgrade

            upgrade()
            from .factories import Factory

            build(Factory())
            pg_json = export.to_json(data.annual_figures(db.session, Y, as_of))
            db.session.remove()
            db.engine.dispose()
        assert json.loads(pg_json) == json.loads(sqlite_json)
        assert pg_json == sqlite_json
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
