"""How the annual report's numbers and tables read, for the web page and every document alike.

Numbers, percentages and changes (a rate's change in percentage points), the tables, the titles
and file names. Everything is a pure function of the figures dict (live or from a snapshot), in
the current locale, so the page and the DOCX/PDF/XLSX files show the same text. What a figure
means is in ``reports.definitions``; the report's prose is in ``export.document``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ... import rules
from ...fees.queries import definitions as fee_definitions
from ...i18n import label, show_date
from ...web import format_percent
from .. import definitions
from ..data import HEADLINE_KEYS

# --- numbers ------------------------------------------------------------------------------------


def _plain(value: float, decimals: int) -> str:
    if decimals == 0 or float(value).is_integer():
        return f"{int(round(value)):,}"
    return f"{value:,.{decimals}f}"


@dataclass(frozen=True)
class Value:
    """A number with its kind.

    ``count``, ``hours`` (one decimal), ``rating`` (two decimals), ``rate`` (a fraction shown as a
    percentage), ``points`` (a rate's change in percentage points), ``relative`` (a change as a
    fraction), and ``change`` (a signed change of a count, ``hours`` or ``rating``: ``base``).
    """

    value: float | int | None
    kind: str = "count"
    base: str = "count"

    def text(self) -> str:
        """The number as the report prints it ("—" when there is none)."""
        value = self.value
        if value is None:
            return "—"
        if self.kind == "rate":
            return format_percent(value)
        if self.kind == "points":
            amount = format(abs(value), ".1f")
            return _("%(sign)s%(points)s percentage points", sign=_sign(value), points=amount)
        if self.kind == "relative":
            return f"{_sign(value)}{abs(value) * 100:.1f}%"
        if self.kind == "change":
            if self.base == "money":
                return _sign(value) + f"{abs(value):,.2f}"
            return _sign(value) + _plain(abs(value), DECIMALS.get(self.base, 0))
        if self.kind == "money":
            return f"{value:,.2f}"  # yuan always with their fen, as on a receipt
        return _plain(value, DECIMALS.get(self.kind, 0))


DECIMALS = {"count": 0, "hours": 1, "rating": 2, "money": 2}


def _sign(value: float) -> str:
    return "+" if value > 0 else ("-" if value < 0 else "")


def is_value(cell) -> bool:
    """Whether a table cell is a number (set right-aligned)."""
    return isinstance(cell, Value)


def cell_text(cell) -> str:
    """The text of a table cell: a ``Value`` formatted, anything else as a string."""
    if isinstance(cell, Value):
        return cell.text()
    return "" if cell is None else str(cell)


def kind_of(key: str) -> str:
    """The kind of number a headline figure is (rate, hours, rating or count)."""
    return definitions.FIGURES[key].kind


def figure_text(key: str, value) -> str:
    """A headline figure's value as the report prints it."""
    return Value(value, kind_of(key)).text()


def change_value(key: str, figures: dict) -> Value:
    """The change of a figure against the year before (percentage points for a rate)."""
    change = (figures.get("changes") or {}).get(key) or {}
    kind = kind_of(key)
    if kind == "rate":
        return Value(change.get("change"), "points")
    return Value(change.get("change"), "change", kind)


def change_text(key: str, figures: dict) -> str:
    """The change against the year before as text, with the relative change for a count."""
    value = change_value(key, figures)
    if value.value is None:
        return "—"
    if value.value == 0:
        return _("unchanged")
    relative = ((figures.get("changes") or {}).get(key) or {}).get("relative")
    if relative is None:
        return value.text()
    return f"{value.text()}（{Value(relative, 'relative').text()}）"


def day(value: str | date | None) -> str:
    """A date as a person reads it (2026年1月15日)."""
    if value is None:
        return "—"
    return show_date(value)


def difference_rows(rows: list[dict]) -> list[dict]:
    """Changes since finalising with their label and texts: as submitted, now, the change."""
    shown = []
    for row in rows:
        kind = kind_of(row["key"])
        change = None
        if isinstance(row["submitted"], int | float) and isinstance(row["now"], int | float):
            change = (Value(rules.percentage_points(row["now"], row["submitted"]), "points")
                      if kind == "rate" else Value(row["now"] - row["submitted"], "change", kind))
        name = definitions.label(row["key"])
        shown.append(dict(row, label=f"{row['track']} · {name}" if row["scope"] == "track" else name,
                          submitted_text=figure_text(row["key"], row["submitted"]),
                          now_text=figure_text(row["key"], row["now"]),
                          change_text=change.text() if change else "—"))
    return shown


# --- tables -------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table of the report (one sheet in Excel); ``wide`` tables go landscape in print."""

    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str | None = None
    widths: tuple[float, ...] | None = None  # relative column widths for print


def headline_keys(figures: dict) -> list[str]:
    """The headline figures this figures dict has (a report finalised long ago may lack some)."""
    return [key for key in HEADLINE_KEYS if key in figures]


def headline_table(figures: dict) -> Table:
    """Every headline figure, the year before, the change and how it is counted."""
    previous = figures["previous_year"]
    table = Table("headline", _("Headline figures and how they are counted"),
                  [_("Figure"), str(figures["year"]), str(previous["year"]), _("Change"),
                   _("How it is counted")], widths=(18, 10, 10, 14, 48))
    for key in headline_keys(figures):
        kind = kind_of(key)
        table.rows.append([definitions.label(key), Value(figures[key], kind),
                           Value(previous.get(key), kind), change_value(key, figures),
                           definitions.definition(key)])
    return table


def training_table(figures: dict) -> Table:
    """Trainees per track: completed, in training, stopped or withdrawn."""
    table = Table("training", _("Trainees by track and status"), [
        _("Track"), definitions.label("trained"), definitions.label("completed"),
        definitions.label("in_training"), definitions.label("stopped")])
    for row in figures["by_track"]:
        if row.get("trained"):
            table.rows.append([row["track"], Value(row["trained"]), Value(row.get("completed")),
                               Value(row.get("in_training")), Value(row.get("stopped"))])
    if table.rows:
        table.rows.append([_("Total")] + [Value(figures.get(key)) for key in
                                          ("trained", "completed", "in_training", "stopped")])
    return table


def track_table(figures: dict) -> Table:
    """Exam takers, passes, certificates and placements per track."""
    table = Table("by_track", _("Exams, certificates and placement by track"), [
        _("Track"), _("Exam takers"), _("Passed at the first sitting"), _("First-sitting pass rate"),
        _("Passed by the as-of date"), _("Final pass rate"), _("Certificates issued"),
        _("Placed in work"), _("Placement rate")])
    for row in figures["by_track"]:
        if row["exam_takers"] or row["certified"] or row["placed"]:
            table.rows.append([
                row["track"], Value(row["exam_takers"]), Value(row["first_attempt_passed"]),
                Value(row["first_attempt_pass_rate"], "rate"), Value(row["final_passed"]),
                Value(row["final_pass_rate"], "rate"), Value(row["certified"]), Value(row["placed"]),
                Value(row["placement_rate"], "rate")])
    return table


def reconciliation_lines(figures: dict) -> list[tuple[str, int]]:
    """Each reason why certificates issued differ from the year's passes, as (label, ±count)."""
    return [(str(definitions.RECONCILIATION.get(line["key"], line["key"])), line["sign"] * line["count"])
            for line in figures.get("certificate_reconciliation") or []]


def reconciliation_table(figures: dict) -> Table:
    """From the year's passes to the certificates issued, line by line."""
    table = Table("certificates", _("From passes to certificates"), [_("Item"), _("How many")],
                  note=definitions.definition("certified"), widths=(70, 30))
    table.rows.append([definitions.label("passed_in_year"), Value(figures.get("passed_in_year"))])
    for text, count in reconciliation_lines(figures):
        table.rows.append([text, Value(count, "change")])
    table.rows.append([definitions.label("certified"), Value(figures.get("certified"))])
    return table


def _share_table(key: str, title: str, heading: str, rows: list[tuple[str, int]], note=None) -> Table:
    total = sum(count for _name, count in rows)
    table = Table(key, title, [heading, _("Number of trainees"), _("Share")], note=note, widths=(50, 25, 25))
    for name, count in rows:
        table.rows.append([name, Value(count), Value(rules.rate(count, total), "rate")])
    return table


def profile_tables(figures: dict) -> list[Table]:
    """Trainees by gender, age, education and origin (the survey's categories, 篇4)."""
    return [
        _share_table("by_gender", _("By gender"), _("Gender"),
                     [(label("gender", row["key"]), row["trained"]) for row in figures["by_gender"]]),
        _share_table("by_age_band", _("By age band"), _("Age band"),
                     [(definitions.age_band_label(row["key"]), row["trained"]) for row in figures["by_age_band"]],
                     str(definitions.AGE_NOTE) % {"date": day(figures["age_reference_on"])}),
        _share_table("by_education", _("By education"), _("Education"),
                     [(label("education", row["key"]), row["trained"]) for row in figures["by_education"]]),
        _share_table("by_origin", _("By origin"), _("Origin"),
                     [(label("origin", row["key"]), row["trained"]) for row in figures["by_origin"]]),
    ]


def other_tables(figures: dict) -> list[Table]:
    """Trainees by level, provider and month; score bins."""
    note = str(definitions.BREAKDOWN_NOTE)
    tables = [
        _share_table("by_level", _("By level"), _("Level"),
                     [(label("level", row["key"]), row["trained"]) for row in figures["by_level"]], note),
        _share_table("by_provider", _("By provider"), _("Provider"),
                     [(f"{row['provider_name']}（{label('provider_kind', row['provider_kind'])}）",
                       row["trained"]) for row in figures["by_provider"]], note),
    ]
    month = Table("by_month", _("By month"), [_("Month"), _("Number of trainees")],
                  note=str(definitions.MONTH_NOTE), widths=(50, 50))
    month.rows = [[_("Month %(month)s", month=row["month"]), Value(row["trainees"])]
                  for row in figures["by_month"]]
    scores = Table("scores", _("Score distribution"), [_("Score"), label("part", "theory"),
                                                       label("part", "practical")],
                   note=str(definitions.SCORE_NOTE), widths=(40, 30, 30))
    theory, practical = (figures["score_distribution"][part] for part in rules.PARTS)
    scores.rows = [[a["bin"], Value(a["count"]), Value(b["count"])] for a, b in zip(theory, practical, strict=True)]
    return [*tables, month, scores]


FEE_ROWS = (
    ("collected", _l("Fees collected")),
    ("self", _l("of which paid by trainees")),
    ("subsidy", _l("of which training subsidies received")),
    ("employer", _l("of which paid by employers")),
    ("refunded", _l("Refunded")),
    ("waived", _l("Waived")),
    ("subsidies_earned", _l("Certificate subsidies earned")),
    ("subsidies_due", _l("Certificate subsidies still due at the year's end")),
)
FEE_DEFINITION_OF = {"self": "collected", "subsidy": "subsidies_claimed", "employer": "collected"}


def fee_value(fees: dict, key: str) -> float | None:
    """One money figure of a year's fee figures (by payer for self, subsidy and employer)."""
    if not fees:
        return None
    if key in rules.FEE_PAYERS:
        return fees["collected_by_payer"].get(key)
    return fees.get(key)


def fee_table(figures: dict) -> Table | None:
    """Fees collected, refunded and waived; certificate subsidies earned and due; the receipts
    (None for a report made before fees were recorded)."""
    fees = figures.get("fees")
    if not fees:
        return None
    words = fee_definitions()
    current, previous = fees["current"], fees["previous"]
    table = Table("fees", _("Fees and training subsidies (yuan)"),
                  [_("Figure"), str(figures["year"]), str(figures["previous_year"]["year"]),
                   _("Change"), _("How it is counted")], widths=(22, 12, 12, 12, 42))
    for key, name in FEE_ROWS:
        now, before = fee_value(current, key), fee_value(previous, key)
        change = None if now is None or before is None else round(now - before, 2)
        table.rows.append([str(name), Value(now, "money"), Value(before, "money"),
                           Value(change, "change", "money"),
                           words.get(FEE_DEFINITION_OF.get(key, key), "")])
    receipts = _("%(count)s receipts, %(first)s to %(last)s", count=current["receipts"],
                 first=current["first_receipt"] or "—", last=current["last_receipt"] or "—")
    if current["receipts"] and not current["receipts_unbroken"]:
        receipts += _(" (the numbers have a gap: check the receipt journal)")
    table.note = receipts + _("; ") + words["receipts"]
    return table


def all_tables(figures: dict) -> list[Table]:
    """Every table of the report, in the order of the appendix."""
    fees = fee_table(figures)
    return [headline_table(figures), training_table(figures), track_table(figures),
            reconciliation_table(figures), *profile_tables(figures), *other_tables(figures),
            *([fees] if fees else [])]


# --- titles and names ---------------------------------------------------------------------------


def title(figures: dict) -> str:
    """The report's title."""
    return _("Annual report on domestic-service training, %(year)s", year=figures["year"])


def state_text(finalised: bool) -> str:
    """Whether the figures are final."""
    return _("finalised") if finalised else _("provisional, from the data today")


def subtitle(figures: dict, finalised: bool) -> str:
    """The as-of date, whether the figures are final, and the year they are compared with."""
    return _("Figures as of %(date)s (%(state)s); %(previous)s beside each figure.",
             date=day(figures["as_of"]), state=state_text(finalised), previous=figures["previous_year"]["year"])


UNSAFE_IN_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def filename(year: int, fmt: str) -> str:
    """The report's file name in the current language, e.g. 2025年度家政服务员培训工作报告.docx."""
    name = _("Annual report on domestic-service training, %(year)s", year=year)
    return UNSAFE_IN_NAMES.sub("_", name) + f".{fmt}"


def roster_filename(year: int) -> str:
    """The subsidy roster's file name, e.g. 2025年获证补贴名单.xlsx."""
    return UNSAFE_IN_NAMES.sub("_", _("Subsidy roster %(year)s", year=year)) + ".xlsx"
