"""How the annual report reads, for the web page and every document alike.

The definitions and notes printed with the figures, the tables, the cell text, the narrative
sentences, the titles, and the formatting of numbers, percentages and changes. Everything is a
pure function of the figures dict (live or from a snapshot), in the current locale, so the page
and the DOCX/PDF/XLSX files show the same text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ... import rules
from ...i18n import label
from ...web import format_percent
from ..data import HEADLINE_KEYS, RATE_KEYS

# Each headline figure: its label and what exactly is counted (printed on every output).
DEFINITIONS: dict[str, tuple[object, object]] = {
    "trained": (_l("Trainees trained"), _l(
        "Different trainees enrolled in a class whose dates overlap the year (regular and retraining classes).")),
    "hours_classroom": (_l("Classroom hours delivered"), _l(
        "Sum over sessions held in the year of the session's hours × trainees present or late.")),
    "hours_self_study": (_l("Self-study hours"), _l(
        "Sum of self-study hours studied in the year and verified by an instructor.")),
    "exam_takers": (_l("Exam takers"), _l(
        "Different trainees with a published first-attempt result at an exam held in the year who sat at least one part.")),
    "first_attempt_passed": (_l("Passed at the first attempt"), _l(
        "Exam takers whose first attempt passed (theory and practical both at or above the pass mark).")),
    "first_attempt_pass_rate": (_l("First-attempt pass rate"), _l(
        "Passed at the first attempt ÷ exam takers.")),
    "final_passed": (_l("Passed in the end"), _l(
        "Exam takers whose course has a published pass (re-exams included) at an exam held by the report date.")),
    "final_pass_rate": (_l("Final pass rate"), _l("Passed in the end ÷ exam takers.")),
    "retrained": (_l("Retrained"), _l(
        "Different trainees enrolled in a retraining class whose dates overlap the year.")),
    "reexam_takers": (_l("Re-exam takers"), _l(
        "Different trainees with a published re-exam result at a re-exam held in the year who sat at least one part.")),
    "reexam_passed": (_l("Passed the re-exam"), _l("Re-exam takers whose re-exam result passed.")),
    "reexam_pass_rate": (_l("Re-exam pass rate"), _l("Passed the re-exam ÷ re-exam takers.")),
    "certified": (_l("Certificates issued"), _l(
        "Training certificates issued in the year and not revoked.")),
    "health_certificates": (_l("Health certificates recorded"), _l(
        "Health certificates with an issue date in the year.")),
    "placed": (_l("Placed in work"), _l(
        "Different trainees certified in the year with a placement starting on or after the certificate's issue date.")),
    "placement_rate": (_l("Placement rate"), _l("Placed in work ÷ certificates issued.")),
    "contracts_registered": (_l("Labour contracts registered"), _l(
        "Placements starting in the year whose labour contract was registered with the labour department.")),
    "feedback_count": (_l("Customer feedback"), _l("Feedback given in the year.")),
    "average_rating": (_l("Average rating"), _l("Mean of the ratings (1–5) given in the year.")),
    "satisfaction_rate": (_l("Satisfaction rate"), _l(
        "Share of feedback given in the year rated 4 or 5.")),
}
HEADLINE_DEFINITIONS = {key: DEFINITIONS[key] for key in HEADLINE_KEYS}
BREAKDOWN_NOTE = _l(
    "Breakdowns count different trainees trained in the year; a trainee in two classes of "
    "different tracks, levels or providers is counted once in each.")
MONTH_NOTE = _l("Trainees per month counts classes that started in the year, by their start month.")
AGE_NOTE = _l("Ages are counted on %(date)s.")
SCORE_NOTE = _l(
    "Score distributions count every part sat at a published exam held in the year (carried-over "
    "and absent parts are left out).")


# --- numbers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Value:
    """A number with its kind: count, hours, rate (fraction), points (rate change), rating, change."""

    value: float | int | None
    kind: str = "count"

    def text(self) -> str:
        """The number as the report prints it ("—" when there is none)."""
        value = self.value
        if value is None:
            return "—"
        if self.kind == "rate":
            return format_percent(value)
        if self.kind == "points":
            points = "%.1f" % (value * 100)
            return _("%(sign)s%(points)s pts", sign="+" if value > 0 else "", points=points)
        if self.kind == "relative":
            return f"{'+' if value > 0 else ''}{value * 100:.1f}%"
        if self.kind == "change":
            number = f"{value:.1f}" if isinstance(value, float) and not float(value).is_integer() else f"{int(value)}"
            return f"{'+' if value > 0 else ''}{number}"
        if self.kind == "hours" or self.kind == "rating":
            return f"{value:.1f}" if not float(value).is_integer() else f"{int(value)}"
        return str(value)


def cell_text(cell) -> str:
    """The text of a table cell: a ``Value`` formatted, anything else as a string."""
    if isinstance(cell, Value):
        return cell.text()
    return "" if cell is None else str(cell)


def kind_of(key: str) -> str:
    """The kind of number a headline figure is (rate, hours, rating or count)."""
    if key in RATE_KEYS:
        return "rate"
    if key.startswith("hours"):
        return "hours"
    if key == "average_rating":
        return "rating"
    return "count"


def figure_text(key: str, value) -> str:
    """A headline figure's value as the report prints it."""
    return Value(value, kind_of(key)).text()


def headline_texts(figures: dict) -> tuple[dict[str, str], dict[str, str]]:
    """Each headline figure's text for the year and for the year before."""
    previous = figures["previous_year"]
    return ({key: figure_text(key, figures[key]) for key in HEADLINE_DEFINITIONS},
            {key: figure_text(key, previous[key]) for key in HEADLINE_DEFINITIONS})


def difference_rows(differences: list[dict]) -> list[dict]:
    """Changes since finalising with their label and the submitted and current values as text."""
    rows = []
    for row in differences:
        name = str(DEFINITIONS[row["key"]][0])
        rows.append(dict(row, label=f"{row['track']} · {name}" if row["scope"] == "track" else name,
                         submitted_text=figure_text(row["key"], row["submitted"]),
                         now_text=figure_text(row["key"], row["now"])))
    return rows


# --- tables -------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table of the report (one sheet in Excel)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str | None = None


def headline_table(figures: dict) -> Table:
    """Every headline figure, the year before, the change and how it is counted."""
    previous = figures["previous_year"]
    changes = figures.get("changes", {})
    table = Table("headline", _("Headline figures"),
                  [_("Figure"), str(figures["year"]), str(previous["year"]), _("Change"),
                   _("Change %"), _("How it is counted")])
    for key in HEADLINE_KEYS:
        kind = kind_of(key)
        change = changes.get(key, {})
        change_kind = "points" if kind == "rate" else "change"
        table.rows.append([
            str(DEFINITIONS[key][0]), Value(figures[key], kind), Value(previous[key], kind),
            Value(change.get("change"), change_kind), Value(change.get("relative"), "relative"),
            str(DEFINITIONS[key][1]),
        ])
    return table


def track_table(figures: dict) -> Table:
    """Trainees, passes, certificates and placements per track."""
    table = Table("by_track", _("By track"), [
        _("Track"), _("Trained"), _("Exam takers"), _("Passed at first attempt"),
        _("First-attempt pass rate"), _("Passed in the end"), _("Final pass rate"),
        _("Certificates issued"), _("Placed in work"), _("Placement rate")])
    for row in figures["by_track"]:
        table.rows.append([
            row["track"], Value(row["trained"]), Value(row["exam_takers"]),
            Value(row["first_attempt_passed"]), Value(row["first_attempt_pass_rate"], "rate"),
            Value(row["final_passed"]), Value(row["final_pass_rate"], "rate"),
            Value(row["certified"]), Value(row["placed"]), Value(row["placement_rate"], "rate")])
    return table


def _share_table(key: str, title: str, heading: str, rows: list[tuple[str, int]], note=None) -> Table:
    total = sum(count for _name, count in rows)
    table = Table(key, title, [heading, _("Number of trainees"), _("Share")], note=note)
    for name, count in rows:
        table.rows.append([name, Value(count), Value(rules.rate(count, total), "rate")])
    return table


def breakdown_tables(figures: dict) -> list[Table]:
    """Trainees by level, provider, gender, age, education, origin and month; score bins."""
    note = str(BREAKDOWN_NOTE)
    tables = [
        _share_table("by_level", _("By level"), _("Level"),
                     [(label("level", row["key"]), row["trained"]) for row in figures["by_level"]], note),
        _share_table("by_provider", _("By provider"), _("Provider"),
                     [(f"{row['provider_name']}（{label('provider_kind', row['provider_kind'])}）",
                       row["trained"]) for row in figures["by_provider"]], note),
        _share_table("by_gender", _("By gender"), _("Gender"),
                     [(label("gender", row["key"]), row["trained"]) for row in figures["by_gender"]]),
        _share_table("by_age_band", _("By age band"), _("Age band"),
                     [(row["key"], row["trained"]) for row in figures["by_age_band"]],
                     str(AGE_NOTE) % {"date": figures["age_reference_on"]}),
        _share_table("by_education", _("By education"), _("Education"),
                     [(label("education", row["key"]), row["trained"]) for row in figures["by_education"]]),
        _share_table("by_origin", _("By origin"), _("Origin"),
                     [(label("origin", row["key"]), row["trained"]) for row in figures["by_origin"]]),
    ]
    month = Table("by_month", _("By month"), [_("Month"), _("Number of trainees")], note=str(MONTH_NOTE))
    month.rows = [[_("Month %(month)s", month=row["month"]), Value(row["trainees"])]
                  for row in figures["by_month"]]
    scores = Table("scores", _("Score distribution"), [_("Score"), label("part", "theory"),
                                                       label("part", "practical")], note=str(SCORE_NOTE))
    theory, practical = (figures["score_distribution"][part] for part in rules.PARTS)
    scores.rows = [[a["bin"], Value(a["count"]), Value(b["count"])] for a, b in zip(theory, practical, strict=True)]
    return [*tables, month, scores]


def all_tables(figures: dict) -> list[Table]:
    """Every table of the report, in the order the page and the documents show them."""
    return [headline_table(figures), track_table(figures), *breakdown_tables(figures)]


# --- sentences and titles -----------------------------------------------------------------------


def _count_change(now: int | float, before: int | float) -> str:
    if not before:
        return _("there were none the year before") if now else _("none the year before either")
    difference = rules.change(now, before)
    relative = rules.rate(abs(difference), before)
    if difference > 0:
        return _("up %(pct)s on the year before", pct=format_percent(relative))
    if difference < 0:
        return _("down %(pct)s on the year before", pct=format_percent(relative))
    return _("the same as the year before")


def narrative(figures: dict) -> list[str]:
    """Plain sentences for the Word report (the federation edits them into its own text)."""
    year, previous = figures["year"], figures["previous_year"]
    sentences = [_("In %(year)s the center trained %(n)s trainees, %(change)s.", year=year,
                   n=figures["trained"], change=_count_change(figures["trained"], previous["trained"]))]
    sentences.append(_("Classroom hours delivered: %(classroom)s; verified self-study hours: %(self_study)s.",
                       classroom=Value(figures["hours_classroom"], "hours").text(),
                       self_study=Value(figures["hours_self_study"], "hours").text()))
    if figures["exam_takers"]:
        sentences.append(_(
            "%(takers)s trainees sat their first exam; %(passed)s passed at the first attempt "
            "(pass rate %(rate)s), and %(final)s have passed in the end, re-exams included "
            "(final pass rate %(final_rate)s).",
            takers=figures["exam_takers"], passed=figures["first_attempt_passed"],
            rate=format_percent(figures["first_attempt_pass_rate"]), final=figures["final_passed"],
            final_rate=format_percent(figures["final_pass_rate"])))
    else:
        sentences.append(_("No trainee sat a first exam in %(year)s.", year=year))
    if figures["retrained"] or figures["reexam_takers"]:
        sentences.append(_(
            "%(retrained)s trainees were retrained; %(passed)s of %(takers)s re-exam takers passed "
            "(re-exam pass rate %(rate)s).", retrained=figures["retrained"],
            passed=figures["reexam_passed"], takers=figures["reexam_takers"],
            rate=format_percent(figures["reexam_pass_rate"])))
    sentences.append(_(
        "%(certified)s certificates were issued (%(change)s) and %(health)s health certificates "
        "recorded; %(placed)s certified trainees started work (placement rate %(rate)s), and "
        "%(contracts)s labour contracts were registered.", certified=figures["certified"],
        change=_count_change(figures["certified"], previous["certified"]),
        health=figures["health_certificates"], placed=figures["placed"],
        rate=format_percent(figures["placement_rate"]), contracts=figures["contracts_registered"]))
    if figures["feedback_count"]:
        sentences.append(_(
            "Customers gave %(n)s ratings, %(avg)s out of 5 on average; %(rate)s were satisfied "
            "(rated 4 or 5).", n=figures["feedback_count"],
            avg=Value(figures["average_rating"], "rating").text(),
            rate=format_percent(figures["satisfaction_rate"])))
    else:
        sentences.append(_("No customer feedback was recorded in %(year)s.", year=year))
    if figures["by_track"]:
        largest = max(figures["by_track"], key=lambda row: row["trained"])
        if largest["trained"]:
            sentences.append(_("The largest track was %(track)s, with %(n)s trainees.",
                               track=largest["track"], n=largest["trained"]))
    return sentences


def title(figures: dict) -> str:
    """The report's title."""
    return _("Annual report on domestic-service training, %(year)s", year=figures["year"])


def subtitle(figures: dict, finalised: bool) -> str:
    """The report date, whether the figures are final, and the year they are compared with."""
    state = _("finalised") if finalised else _("provisional, from the data today")
    return _("Report date %(date)s (%(state)s); previous year %(previous)s beside each figure.",
             date=figures["as_of"], state=state, previous=figures["previous_year"]["year"])
