"""Views of the fees area (staff): outstanding balances, an enrolment's account, receipts."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import rules, spreadsheets
from ..access import STAFF, role_required
from ..errors import DomainError
from ..forms import show_error
from ..params import arg_int, arg_page, arg_year
from . import bp, operations, queries, receipts
from .forms import EntryForm, ReverseForm


def _filters() -> queries.BalanceFilters:
    payer = request.args.get("payer", "")
    return queries.BalanceFilters(q=request.args.get("q", "")[:40],
                                  payer=payer if payer in rules.FEE_PAYERS else "",
                                  year=arg_year("year"))


@bp.route("/")
@role_required(*STAFF)
def index():
    """Outstanding balances: every enrolment with money still owed, oldest class first."""
    filters = _filters()
    return render_template("fees/index.html", filters=filters,
                           **queries.outstanding_page(filters, arg_page()))


@bp.route("/outstanding.csv")
@role_required(*STAFF)
def outstanding_csv():
    """The outstanding balances for Excel (to call or write to the people who owe)."""
    return spreadsheets.send_csv(queries.outstanding_csv(_filters()),
                                 f"outstanding-fees-{date.today().isoformat()}.csv")


@bp.route("/enrolments/<int:enrolment_id>", methods=["GET", "POST"])
@role_required(*STAFF)
def enrolment(enrolment_id: int):
    """An enrolment's fee account: record a payment, refund or waiver; see every entry."""
    page = queries.enrolment_page(enrolment_id)
    form = EntryForm()
    if request.method == "GET":
        account = page["account"]
        form.amount.data = rules.format_yuan(max(account.outstanding_fen, 0)).replace(",", "") \
            if account.outstanding_fen > 0 else ""
        form.payer.data = page["enrolment"].fee_payer
        form.happened_on.data = date.today()
    if form.validate_on_submit():
        values = operations.EntryInput(
            kind=form.kind.data, amount=(form.amount.data or "").strip().replace(",", ""),
            happened_on=form.happened_on.data, payer=form.payer.data, method=form.method.data,
            payer_name=form.payer_name.data, reason=form.reason.data)
        try:
            entry = operations.record_fee_entry(enrolment_id, values, current_user)
        except DomainError as error:
            show_error(form, error)
        else:
            flash(_("Recorded with receipt number %(number)s.", number=entry.receipt_number),
                  "success")
            return redirect(url_for("fees.enrolment", enrolment_id=enrolment_id,
                                    receipt=entry.id, _anchor="ledger"))
    return render_template("fees/enrolment.html", form=form, reverse_form=ReverseForm(),
                           new_receipt=arg_int("receipt"), **page)


@bp.route("/entries/<int:entry_id>/reverse", methods=["POST"])
@role_required(*STAFF)
def reverse(entry_id: int):
    """Cancel an entry by a reversal (with its own receipt number and the reason)."""
    entry = queries.entry_or_404(entry_id)
    form = ReverseForm()
    back = url_for("fees.enrolment", enrolment_id=entry.enrolment_id, _anchor="ledger")
    if not form.validate_on_submit():
        for error in form.reason.errors:
            flash(error, "error")
        return redirect(back)
    try:
        reversal = operations.reverse_fee_entry(entry_id, form.reason.data, current_user)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("Receipt %(old)s is reversed by %(new)s.", old=entry.receipt_number,
            new=reversal.receipt_number), "success")
    return redirect(url_for("fees.enrolment", enrolment_id=entry.enrolment_id,
                            receipt=reversal.id, _anchor="ledger"))


@bp.route("/entries/<int:entry_id>/receipt.pdf")
@role_required(*STAFF)
def receipt_pdf(entry_id: int):
    """The A5 receipt (or refund, waiver, reversal voucher) of one entry."""
    receipt = queries.receipt(entry_id)
    return receipts.response(receipts.receipt_pdf(receipt),
                             f"receipt-{receipt.entry.receipt_number}.pdf")


@bp.route("/journal")
@role_required(*STAFF)
def journal():
    """The year's receipts in number order, and the year's fee figures."""
    years = queries.receipt_years()
    year = arg_year("year", default=years[0] if years else date.today().year)
    if year is None:
        abort(404)
    return render_template("fees/journal.html", year=year, years=years,
                           page=queries.journal_page(year, arg_page()),
                           figures=queries.year_fee_figures(year))
