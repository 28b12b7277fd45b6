"""The score grid's rows, written out in Python.

The grid is the one page that repeats a large block of markup for every candidate (two inputs,
two toggles, labels, the live verdict, the next button: about forty values a row). Through
Jinja each value costs an autoescape and an attribute look-up; on the exam with the most
candidates that was most of the page's time. Here the words every row repeats are translated and
escaped once per page, numbers need no escaping, and only what a person typed or named (the
trainee's name, typed scores, messages) passes through ``escape`` — once per row.

The markup is the template's (``templates/exams/grid.html`` keeps the table around the rows and
the rare conflict row); ``static/js/exams.js`` reads the ``data-`` attributes written here.
"""

from __future__ import annotations

from flask import get_template_attribute
from flask_babel import gettext as _
from markupsafe import Markup, escape

from .. import rules
from ..i18n import label
from ..web import format_score
from .sheets import describe_carried

COLUMNS = (("theory", "t"), ("practical", "p"))


class GridRow:
    """One trainee's row of the grid: the result, what its inputs show, and its markup."""

    __slots__ = ("result", "values", "problem", "conflict_id", "conflict", "editable",
                 "carried", "stored", "html")

    def __init__(self, **values):
        self.html = ""
        for name, value in values.items():
            setattr(self, name, value)


class _Words:
    """The words every row repeats, translated and escaped once per page."""

    def __init__(self):
        verdict = get_template_attribute("_macros.html", "verdict")
        self.part = {part: escape(label("part", part)) for part in rules.PARTS}
        self.kept = escape(_("Kept (carried over)"))
        self.absent = escape(_("Absent (exam)"))
        self.result = escape(_("Result"))
        self.unsaved = escape(_("Not saved yet"))
        self.next = escape(_("Next trainee"))
        self.done = escape(_("Done: go to Save"))
        self.verdicts = {passed: Markup(str(verdict(passed)).strip())
                         for passed in (None, True, False)}
        self.statuses = {status: escape(label("result_status", status))
                         for status in ("draft", "submitted", "published")}


def build_rows(results, *, current, typed, problems, conflicts, is_open: bool,
               is_staff: bool) -> list[GridRow]:
    """The grid's rows, each with its markup (``row.html``)."""
    written: dict = {}  # dates and notes written out once for the whole grid
    rows = [GridRow(
        result=r, values=typed.get(r.id) or current[r.id], problem=problems.get(r.id),
        conflict_id=r.id in conflicts, conflict=conflicts.get(r.id),
        editable=is_open and (is_staff or r.status == "draft"),
        carried={part: describe_carried(r, part, written) for part in rules.PARTS},
        stored=current[r.id],
    ) for r in results]
    editable = [row for row in rows if row.editable]
    last = editable[-1] if editable else None
    words = _Words()
    for row in rows:
        row.html = Markup(_row_html(row, words, row is last))
    return rows


def _messages(messages) -> str:
    return "".join(f'<small class="error" role="alert">{escape(m)}</small>' for m in messages)


def _row_html(row: GridRow, words: _Words, is_last: bool) -> str:
    r = row.result
    rid = int(r.id)
    trainee = r.enrolment.trainee
    name = escape(trainee.name)
    problem = row.problem
    messages = problem.messages if problem else {}
    classes = "grid-row" + (" is-editable" if row.editable else "") + (
        " row-error" if problem or row.conflict_id else "")
    carried_attrs = "".join(
        f' data-carried-{part}="{"pass" if row.carried[part]["passed"] else "fail"}"'
        for part in rules.PARTS if row.carried[part])
    out = [f'<tr id="row-{rid}" class="{classes}"{carried_attrs}>',
           f'<td class="grid-name"><strong>{name}</strong> '
           f'<small class="muted">{escape(trainee.masked_id_number)}</small>']
    if r.carry_over_note:
        out.append(f' <small class="muted carry-note">{escape(r.carry_over_note)}</small>')
    if messages.get("row"):
        out.append(_messages(messages["row"]))
    out.append("</td>")
    values, stored = row.values, row.stored
    for part, col in COLUMNS:
        out.append(f'<td class="grid-part" data-label="{words.part[part]}">')
        carried = row.carried[part]
        if carried:
            out.append(f'<span class="badge badge-green">{words.kept}</span> '
                       f'{format_score(carried["score"])} '
                       f'<small class="muted carry-note">{escape(carried["note"])}</small>')
        elif row.editable:
            invalid = ' class="invalid" aria-invalid="true"' if messages.get(part) else ""
            checked = " checked" if values[f"{part}_absent"] else ""
            was_absent = "1" if stored[f"{part}_absent"] else ""
            out.append(
                f'<div class="score-input">'
                f'<label class="sr-only" for="{col}-{rid}">{words.part[part]} {name}</label>'
                f'<input type="text" inputmode="decimal" enterkeyhint="next" autocomplete="off" '
                f'maxlength="8" id="{col}-{rid}" name="{col}-{rid}" '
                f'value="{escape(values[part])}" data-col="{col}" data-part="{part}" '
                f'data-stored="{escape(stored[part])}"{invalid}>'
                f' <label class="absent-toggle"><input type="checkbox" role="switch" '
                f'tabindex="-1" name="{col}a-{rid}" value="1" data-col="{col}a" '
                f'data-part="{part}" data-stored="{was_absent}"{checked}> '
                f'<span>{words.absent}</span></label></div>')
            if messages.get(part):
                out.append(_messages(messages[part]))
        else:
            out.append(_stored_part(r, part, words))
        out.append("</td>")
    status = words.statuses.get(r.status) or escape(label("result_status", r.status))
    out.append(f'<td class="grid-result" data-label="{words.result}">'
               f'<span class="live-verdict" aria-live="polite">{words.verdicts[r.is_passed]}'
               f'</span> <small class="muted">{status}</small> '
               f'<small class="unsaved" hidden>{words.unsaved}</small>')
    if row.editable:
        out.append(f' <input type="hidden" name="v-{rid}" value="{int(values["version"])}"> '
                   f'<button type="button" class="next-candidate">'
                   f'{words.done if is_last else words.next + " ›"}</button>')
    out.append("</td></tr>")
    return "".join(out)


def _stored_part(result, part: str, words: _Words) -> str:
    """A part that cannot be edited here, as stored (``templates/exams/_part.html``)."""
    if getattr(result, f"{part}_absent"):
        return f'<span class="badge badge-red">{words.absent}</span>'
    score = getattr(result, f"{part}_score")
    if score is not None:
        return format_score(score)
    return '<span class="muted">—</span>'
