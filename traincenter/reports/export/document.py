"""The annual report as the federation receives it, in the shape of the center's own report (篇2).

``build(figures, narrative, …)`` returns the document as a list of blocks — title, headings,
paragraphs with the figures written into sentences, the staff's prose, the signature, then the
appendix (definitions, tables, charts). The Word and PDF writers and the web page render the same
blocks, so they say the same thing:

    一、培训工作情况   scale and status, hours, the trainees' profile (篇4's categories), prose
    二、考核情况       first-sitting and final pass rates, retraining and re-exams, certificates
    三、推荐就业       placements, health certificates, labour contracts, satisfaction
    四、不足和下一步计划 the staff's own text
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ... import rules
from ...i18n import label
from .. import definitions
from .formatting import Table, Value, all_tables, day, reconciliation_lines, title

TITLE, SUBTITLE, HEADING, SUBHEADING, PARAGRAPH, NOTE, PROSE, SIGNATURE, TABLE, CHART, APPENDIX = (
    "title", "subtitle", "heading", "subheading", "paragraph", "note", "prose", "signature", "table",
    "chart", "appendix")

# Where the page shows each chart (the documents put them all in the appendix).
SECTION_CHARTS = {
    "training": ("trainees_by_month", "age_bands", "education"),
    "exams": ("pass_rates_by_track", "theory_scores", "practical_scores"),
    "placement": ("funnel",),
    "summary": ("year_over_year",),
}


@dataclass(frozen=True)
class Block:
    """One piece of the document: ``kind`` says how it is set; ``key`` names a prose section,
    a chart or a table; ``section`` is the part of the report it belongs to."""

    kind: str
    text: str = ""
    key: str | None = None
    section: str = ""
    table: Table | None = None


# --- small phrases ------------------------------------------------------------------------------


def _n(value) -> str:
    return Value(value).text()


def _people(value) -> str:
    return _("%(n)s people", n=_n(value))


def _pct(value) -> str:
    return Value(value, "rate").text()


def _count_change(figures: dict, key: str, unit=_people) -> str:
    change = (figures.get("changes") or {}).get(key, {}).get("change")
    if change is None:
        return _("no figure for the year before")
    if change > 0:
        return _("up %(amount)s on the year before", amount=unit(change))
    if change < 0:
        return _("down %(amount)s on the year before", amount=unit(-change))
    return _("the same as the year before")


def _rate_change(figures: dict, key: str) -> str:
    points = (figures.get("changes") or {}).get(key, {}).get("change")
    if points is None:
        return _("no figure for the year before")
    amount = format(abs(points), ".1f")
    if points > 0:
        return _("up %(points)s percentage points on the year before", points=amount)
    if points < 0:
        return _("down %(points)s percentage points on the year before", points=amount)
    return _("the same as the year before")


def _hours(value) -> str:
    return _("%(n)s class hours", n=Value(value, "hours").text())


def _certificates(value) -> str:
    return _("%(n)s certificates", n=_n(value))


def _shares(rows: list[dict], name) -> tuple[str, str]:
    total = sum(row["trained"] for row in rows)
    names = _(", ").join(name(row["key"]) for row in rows)
    shares = _(", ").join(_pct(rules.rate(row["trained"], total)) for row in rows)
    return names, shares


# --- the sections -------------------------------------------------------------------------------


def _summary(f: dict, center: str) -> list[str]:
    return [_(
        "In %(year)s %(center)s trained %(trained)s domestic-service workers (%(change)s): "
        "%(completed)s completed the hours, %(in_training)s are in training and %(stopped)s "
        "stopped or withdrew. %(takers)s sat the exam, with a first-sitting pass rate of "
        "%(first_rate)s and a final pass rate of %(final_rate)s; %(certified)s training "
        "certificates were issued; as of %(as_of)s, %(placed)s certified workers had started work "
        "(placement rate %(placement_rate)s), and customer satisfaction was %(satisfaction)s.",
        year=f["year"], center=center, trained=_n(f.get("trained")),
        change=_count_change(f, "trained"), completed=_n(f.get("completed")),
        in_training=_n(f.get("in_training")), stopped=_n(f.get("stopped")),
        takers=_n(f.get("exam_takers")), first_rate=_pct(f.get("first_attempt_pass_rate")),
        final_rate=_pct(f.get("final_pass_rate")), certified=_n(f.get("certified")),
        as_of=day(f["as_of"]), placed=_n(f.get("placed")), placement_rate=_pct(f.get("placement_rate")),
        satisfaction=_pct(f.get("satisfaction_rate")))]


def _scale(f: dict) -> list[str]:
    sentences = [_(
        "In the year the center ran %(classes)s regular classes and %(retraining)s retraining "
        "classes and trained %(trained)s, %(change)s. As of %(as_of)s, %(completed)s had completed "
        "the hours, %(in_training)s were still in training and %(stopped)s had stopped or withdrawn "
        "(%(withdrawn_note)s).",
        classes=_n(f.get("classes")), retraining=_n(f.get("retraining_classes")),
        trained=_people(f.get("trained")), change=_count_change(f, "trained"), as_of=day(f["as_of"]),
        completed=_people(f.get("completed")), in_training=_people(f.get("in_training")),
        stopped=_people(f.get("stopped")),
        withdrawn_note=_("withdrawn, or the class ended before the hours were reached"))]
    items = [_("%(track)s %(trained)s (%(completed)s completed, %(in_training)s in training, "
               "%(stopped)s stopped or withdrawn)", track=row["track"], trained=_people(row["trained"]),
               completed=_n(row.get("completed")), in_training=_n(row.get("in_training")),
               stopped=_n(row.get("stopped")))
             for row in f.get("by_track", []) if row.get("trained")]
    if items:
        sentences.append(_("By track: %(items)s.", items=_("; ").join(items)))
    return sentences


def _hour_sentences(f: dict) -> list[str]:
    return [_(
        "%(sessions)s classroom sessions were held, %(taught)s taught (%(change)s); counted per "
        "trainee present, trainees attended %(trainee_hours)s of classroom teaching; instructors "
        "verified %(self_study)s of self-study.",
        sessions=_n(f.get("sessions_held")), taught=_hours(f.get("hours_taught")),
        change=_count_change(f, "hours_taught", _hours), trainee_hours=_hours(f.get("trainee_hours")),
        self_study=_hours(f.get("hours_self_study")))]


def _profile(f: dict) -> list[str]:
    total = f.get("trained") or 0
    if not total:
        return [_("No trainee was trained in %(year)s.", year=f["year"])]
    female = next((row["trained"] for row in f["by_gender"] if row["key"] == "F"), 0)
    sentences = [_("%(female)s of the trainees are women, %(share)s of all.",
                   female=_people(female), share=_pct(rules.rate(female, total)))]
    for key, dimension, name in (
            ("by_age_band", _("age"), definitions.age_band_label),
            ("by_education", _("education"), lambda code: str(label("education", code))),
            ("by_origin", _("origin"), lambda code: str(label("origin", code)))):
        names, shares = _shares(f[key], name)
        sentences.append(_("By %(dimension)s, the shares of %(names)s are %(shares)s respectively.",
                           dimension=dimension, names=names, shares=shares))
    return sentences


def _money(value) -> str:
    return Value(value, "money").text()


def _fee_sentences(f: dict) -> list[str]:
    """What the center collected and what the certificate subsidy brought (none before fees
    were recorded)."""
    fees = f.get("fees")
    if not fees:
        return []
    now, before = fees["current"], fees["previous"]
    difference = now["collected"] - before["collected"]
    change = (_("the same as the year before") if not difference else
              _("%(sign)s%(amount)s yuan on the year before", sign="+" if difference > 0 else "-",
                amount=_money(abs(difference))))
    return [_(
        "In the year the center collected %(collected)s yuan in fees (%(change)s): %(own)s yuan "
        "paid by trainees, %(subsidy)s yuan of training subsidies received and %(employer)s yuan "
        "paid by employers; %(refunded)s yuan was refunded and %(waived)s yuan waived. "
        "%(earned_count)s subsidy-paid trainees were certified in the year, earning %(earned)s "
        "yuan of certificate subsidies; at the year's end %(due)s yuan for %(due_count)s trainees "
        "was still due.",
        collected=_money(now["collected"]), change=change,
        own=_money(now["collected_by_payer"].get("self")),
        subsidy=_money(now["collected_by_payer"].get("subsidy")),
        employer=_money(now["collected_by_payer"].get("employer")),
        refunded=_money(now["refunded"]), waived=_money(now["waived"]),
        earned_count=_n(now["subsidies_earned_count"]), earned=_money(now["subsidies_earned"]),
        due=_money(now["subsidies_due"]), due_count=_n(now["subsidies_due_count"]))]


def _marks(f: dict) -> str:
    marks = sorted({mark for part in rules.PARTS for mark in (f.get("pass_marks") or {}).get(part, [])})
    return "/".join(format(mark, "g") for mark in marks) or format(rules.PASS_MARK, "g")


def _exam_sentences(f: dict) -> list[str]:
    if not f.get("exam_takers"):
        return [_("No trainee had her first sitting in %(year)s.", year=f["year"])]
    return [
        _("The exam has two parts, a theory exam and a practical exam, each marked out of 100; a "
          "trainee passes when both parts reach the exam's pass mark (%(marks)s in %(year)s).",
          marks=_marks(f), year=f["year"]),
        _("%(takers)s sat the exam for the first time in the year; %(first)s passed at the first "
          "sitting, a first-sitting pass rate of %(first_rate)s (%(first_change)s). As of %(as_of)s, "
          "%(final)s of them had passed, re-exams included: a final pass rate of %(final_rate)s "
          "(%(final_change)s).",
          takers=_people(f["exam_takers"]), first=_people(f.get("first_attempt_passed")),
          first_rate=_pct(f.get("first_attempt_pass_rate")),
          first_change=_rate_change(f, "first_attempt_pass_rate"), as_of=day(f["as_of"]),
          final=_people(f.get("final_passed")), final_rate=_pct(f.get("final_pass_rate")),
          final_change=_rate_change(f, "final_pass_rate")),
    ]


def _retraining_sentences(f: dict) -> list[str]:
    if not (f.get("retrained") or f.get("reexam_takers")):
        return [_("No retraining or re-exam took place in %(year)s.", year=f["year"])]
    return [_(
        "Trainees who failed were retrained: %(retrained)s took part in retraining. %(takers)s sat "
        "a re-exam (at least one part sat; a part carried over does not count) and %(passed)s "
        "passed, a re-exam pass rate of %(rate)s.",
        retrained=_people(f.get("retrained")), takers=_people(f.get("reexam_takers")),
        passed=_people(f.get("reexam_passed")), rate=_pct(f.get("reexam_pass_rate")))]


def _certificate_sentences(f: dict) -> list[str]:
    sentences = [_("%(certified)s training certificates were issued in the year (%(change)s).",
                   certified=_certificates(f.get("certified")),
                   change=_count_change(f, "certified", _certificates))]
    lines = reconciliation_lines(f)
    if lines:
        minus = _("; ").join(_("%(reason)s %(n)s", reason=text, n=_n(-count)) for text, count in lines if count < 0)
        plus = _("; ").join(_("%(reason)s %(n)s", reason=text, n=_n(count)) for text, count in lines if count > 0)
        passed = _n(f.get("passed_in_year"))
        if minus and plus:
            sentences.append(_("The number differs from the %(passed)s passes in the year. Not among "
                               "this year's certificates: %(minus)s. Among them: %(plus)s.",
                               passed=passed, minus=minus, plus=plus))
        elif minus:
            sentences.append(_("The number differs from the %(passed)s passes in the year. Not among "
                               "this year's certificates: %(minus)s.", passed=passed, minus=minus))
        else:
            sentences.append(_("The number differs from the %(passed)s passes in the year. Among this "
                               "year's certificates: %(plus)s.", passed=passed, plus=plus))
    elif f.get("passed_in_year"):
        sentences.append(_("This equals the number of passes in the year."))
    return sentences


def _placement_sentences(f: dict) -> list[str]:
    sentences = [
        _("Trainees who passed were recommended for work. As of %(as_of)s, %(placed)s of the "
          "%(certified)s certified in the year had started work, a placement rate of %(rate)s "
          "(%(change)s); a job counts from the certificate's issue date on.",
          as_of=day(f["as_of"]), placed=_people(f.get("placed")), certified=_people(f.get("certified")),
          rate=_pct(f.get("placement_rate")), change=_rate_change(f, "placement_rate")),
        _("%(health)s health certificates were recorded in the year, so that workers start work "
          "with a valid health certificate; for %(contracts)s of the jobs that began in the year "
          "the labour contract was registered with the labour department.",
          health=_n(f.get("health_certificates")), contracts=_n(f.get("contracts_registered"))),
    ]
    if f.get("feedback_count"):
        sentences.append(_(
            "Customers gave %(n)s ratings in the year, %(average)s out of 5 on average; the "
            "satisfaction rate (rated 4 or 5) was %(rate)s (%(change)s).",
            n=_n(f["feedback_count"]), average=Value(f.get("average_rating"), "rating").text(),
            rate=_pct(f.get("satisfaction_rate")), change=_rate_change(f, "satisfaction_rate")))
    else:
        sentences.append(_("No customer feedback was recorded in %(year)s.", year=f["year"]))
    return sentences


# --- the document -------------------------------------------------------------------------------


def _prose(key: str, texts: dict, section: str, heading: str | None = None,
           expected: bool = False) -> list[Block]:
    paragraphs = rules.narrative_paragraphs(texts.get(key))
    if not paragraphs and not expected:
        return [Block(PROSE, "", key, section)]  # nothing to print; the page offers the field
    blocks = [Block(SUBHEADING, heading, key, section)] if heading else []
    if not paragraphs:
        return [*blocks, Block(PROSE, "", key, section)]
    return [*blocks, *(Block(PROSE, text, key, section) for text in paragraphs)]


def section_headings() -> dict[str, str]:
    """The staff's prose sections with the heading they come under (for the form on the page)."""
    return {
        "intro": _("Opening"),
        "training": _("1. Training — (4) content and forms of training"),
        "exams": _("2. Exams — remarks"),
        "placement": _("3. Job placement — remarks"),
        "shortcomings": _("4. Shortcomings and next steps — (1) shortcomings"),
        "plans": _("4. Shortcomings and next steps — (2) next steps"),
    }


def build(figures: dict, narrative: dict | None, *, center: str, finalised: bool,
          charts: dict[str, str], inline_charts: bool = False) -> list[Block]:
    """The whole document for ``figures`` with the staff's ``narrative`` (a dict of sections).

    ``charts`` maps chart names to captions. With ``inline_charts`` (the web page), charts sit in
    the sections they illustrate; otherwise they close the appendix.
    """
    texts = rules.clean_narrative(narrative or {})
    f = figures

    def charts_of(section: str) -> list[Block]:
        if not inline_charts:
            return []
        return [Block(CHART, charts[name], name, section) for name in SECTION_CHARTS[section] if name in charts]

    def paragraphs(section: str, sentences: list[str]) -> list[Block]:
        return [Block(PARAGRAPH, sentence, None, section) for sentence in sentences]

    fee_sentences = _fee_sentences(f)
    fee_blocks = ([Block(SUBHEADING, _("(5) Fees and training subsidies"), None, "training"),
                   *paragraphs("training", fee_sentences)] if fee_sentences else [])
    blocks = [
        Block(TITLE, title(f)),
        Block(SUBTITLE, _("%(center)s · figures as of %(date)s (%(state)s)", center=center,
                          date=day(f["as_of"]),
                          state=_("finalised") if finalised else _("provisional, from the data today"))),
        *_prose("intro", texts, "summary"),
        *paragraphs("summary", _summary(f, center)),
        *charts_of("summary"),
        Block(HEADING, _("1. Training"), None, "training"),
        Block(SUBHEADING, _("(1) Scale of training"), None, "training"),
        *paragraphs("training", _scale(f)),
        Block(SUBHEADING, _("(2) Hours"), None, "training"),
        *paragraphs("training", _hour_sentences(f)),
        Block(SUBHEADING, _("(3) The trainees"), None, "training"),
        *paragraphs("training", _profile(f)),
        *_prose("training", texts, "training", _("(4) Content and forms of training")),
        *fee_blocks,
        *charts_of("training"),
        Block(HEADING, _("2. Exams"), None, "exams"),
        Block(SUBHEADING, _("(1) Exam results"), None, "exams"),
        *paragraphs("exams", _exam_sentences(f)),
        Block(NOTE, str(definitions.COHORT_NOTE), None, "exams"),
        Block(SUBHEADING, _("(2) Retraining and re-exams"), None, "exams"),
        *paragraphs("exams", _retraining_sentences(f)),
        Block(SUBHEADING, _("(3) Certificates"), None, "exams"),
        *paragraphs("exams", _certificate_sentences(f)),
        *_prose("exams", texts, "exams"),
        *charts_of("exams"),
        Block(HEADING, _("3. Job placement"), None, "placement"),
        *paragraphs("placement", _placement_sentences(f)),
        *_prose("placement", texts, "placement"),
        *charts_of("placement"),
        Block(HEADING, _("4. Shortcomings and next steps"), None, "plans"),
        *_prose("shortcomings", texts, "plans", _("(1) Shortcomings"), expected=True),
        *_prose("plans", texts, "plans", _("(2) Next steps"), expected=True),
        Block(SIGNATURE, center, None, "plans"),
        Block(SIGNATURE, day(f["as_of"]), None, "plans"),
        Block(APPENDIX, _("Appendix: figures, definitions, tables and charts"), None, "appendix"),
        Block(NOTE, str(definitions.AS_OF_NOTE) % {"date": day(f["as_of"])} + " "
              + str(definitions.PREVIOUS_NOTE), None, "appendix"),
    ]
    for table in all_tables(f):
        blocks.append(Block(TABLE, table.title, table.key, "appendix", table))
    if not inline_charts:
        blocks += [Block(CHART, caption, name, "appendix") for name, caption in charts.items()]
    return blocks


def missing_text() -> str:
    """What an expected prose section says while staff have not written it."""
    return _("(Not written yet: staff write this part on the report page.)")
