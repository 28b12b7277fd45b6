"""Reads of the fees area: an enrolment's account, outstanding balances, the receipt journal and
a year's fee figures — each in a fixed number of statements."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, extract, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from .. import rules, spreadsheets
from ..extensions import db
from ..i18n import label
from ..models import Certificate, Enrolment, FeeEntry, Trainee, TrainingClass

PER_PAGE = 50
EPSILON = 0.005  # half a fen: amounts are stored with two decimals


# --- one enrolment ----------------------------------------------------------------------------------


def enrolment_or_404(enrolment_id: int) -> Enrolment:
    """The enrolment with its trainee and class (and track), or the 404 page."""
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.id == enrolment_id).options(
            joinedload(Enrolment.trainee),
            joinedload(Enrolment.training_class).joinedload(TrainingClass.track)))
    if enrolment is None:
        abort(404)
    return enrolment


def entries_of(enrolment_id: int) -> list[FeeEntry]:
    """The enrolment's ledger in the order it was written."""
    return list(db.session.scalars(
        select(FeeEntry).where(FeeEntry.enrolment_id == enrolment_id)
        .options(joinedload(FeeEntry.recorded_by)).order_by(FeeEntry.id)))


def account_of(due: float, entries: list[FeeEntry]) -> rules.FeeAccount:
    """The fee account after ``entries`` (reversals included)."""
    return rules.fee_account(rules.to_fen(due),
                             (rules.FeeLine(entry.kind, entry.credit_fen) for entry in entries))


@dataclass
class LedgerRow:
    """One line of an enrolment's ledger, with what became of it."""

    entry: FeeEntry
    reversed_by: FeeEntry | None  # the reversal that cancelled this entry


def enrolment_page(enrolment_id: int) -> dict:
    """The fee account page of an enrolment: the ledger and the balance."""
    enrolment = enrolment_or_404(enrolment_id)
    entries = entries_of(enrolment.id)
    reversals = {entry.reverses_id: entry for entry in entries if entry.is_reversal}
    return {"enrolment": enrolment, "account": account_of(enrolment.fee_amount, entries),
            "rows": [LedgerRow(entry, reversals.get(entry.id)) for entry in entries]}


def entry_or_404(entry_id: int) -> FeeEntry:
    """One ledger entry with its enrolment (trainee, class, track) and who recorded it."""
    entry = db.session.scalar(
        select(FeeEntry).where(FeeEntry.id == entry_id).options(
            joinedload(FeeEntry.enrolment).joinedload(Enrolment.trainee),
            joinedload(FeeEntry.enrolment).joinedload(Enrolment.training_class)
            .joinedload(TrainingClass.track),
            joinedload(FeeEntry.recorded_by), joinedload(FeeEntry.reverses)))
    if entry is None:
        abort(404)
    return entry


@dataclass
class Receipt:
    """What a printed receipt shows: the entry, the balance right after it, what reversed it."""

    entry: FeeEntry
    account: rules.FeeAccount
    reversed_by: FeeEntry | None


def receipt(entry_id: int) -> Receipt:
    """The receipt of one entry (404 when unknown): the account as it stood after the entry."""
    entry = entry_or_404(entry_id)
    entries = entries_of(entry.enrolment_id)
    upto = [other for other in entries if other.id <= entry.id]
    reversed_by = next((other for other in entries if other.reverses_id == entry.id), None)
    return Receipt(entry, account_of(entry.enrolment.fee_amount, upto), reversed_by)


# --- balances of many enrolments --------------------------------------------------------------------


def _settled(until: date | None = None):
    """Per enrolment, the sum of its entries' credits (optionally up to a day), as a subquery."""
    query = select(FeeEntry.enrolment_id.label("enrolment_id"),
                   func.sum(FeeEntry.credit).label("settled"))
    if until is not None:
        query = query.where(FeeEntry.happened_on <= until)
    return query.group_by(FeeEntry.enrolment_id).subquery()


def outstanding_by_enrolment(enrolment_ids) -> dict[int, float]:
    """What is still owed on each enrolment (negative: overpaid), in one statement."""
    ids = list(set(enrolment_ids))
    if not ids:
        return {}
    settled = _settled()
    rows = db.session.execute(
        select(Enrolment.id, Enrolment.fee_amount, func.coalesce(settled.c.settled, 0))
        .outerjoin(settled, settled.c.enrolment_id == Enrolment.id)
        .where(Enrolment.id.in_(ids)))
    return {enrolment_id: rules.from_fen(rules.to_fen(due) - rules.to_fen(paid))
            for enrolment_id, due, paid in rows}


@dataclass
class BalanceFilters:
    """What the outstanding list is narrowed to."""

    q: str = ""
    payer: str = ""
    year: int | None = None


@dataclass
class BalanceRow:
    """An enrolment with money still owed (yuan)."""

    enrolment: Enrolment
    outstanding: float


def _balances(filters: BalanceFilters):
    """The enrolments with money owed, filtered; and the owed amount as an expression."""
    settled = _settled()
    owed = Enrolment.fee_amount - func.coalesce(settled.c.settled, 0)
    query = (
        select(Enrolment)
        .join(Trainee, Enrolment.trainee_id == Trainee.id)
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .outerjoin(settled, settled.c.enrolment_id == Enrolment.id)
        .where(owed > EPSILON)
    )
    text = (filters.q or "").strip()
    if text:
        like = f"%{text}%"
        query = query.where(or_(Trainee.name.like(like), Trainee.id_number.like(like.upper()),
                                Trainee.phone.like(like), TrainingClass.code.like(like),
                                TrainingClass.name.like(like)))
    if filters.payer in rules.FEE_PAYERS:
        query = query.where(Enrolment.fee_payer == filters.payer)
    if filters.year:
        query = query.where(extract("year", TrainingClass.starts_on) == filters.year)
    return query, owed


def _ordered(query):
    return (query.options(joinedload(Enrolment.trainee), joinedload(Enrolment.training_class))
            .order_by(TrainingClass.starts_on, Trainee.name_sort, Trainee.name, Enrolment.id))


def outstanding_page(filters: BalanceFilters, page: int = 1) -> dict:
    """A page of enrolments with money owed (oldest class first) and the totals of the whole list,
    in four statements."""
    query, owed = _balances(filters)
    owing = query.with_only_columns(Enrolment.fee_payer.label("payer"),
                                    owed.label("owed")).subquery()
    by_payer = {payer: (count, float(rules.from_fen(rules.to_fen(total))))
                for payer, count, total in db.session.execute(
                    select(owing.c.payer, func.count(), func.coalesce(func.sum(owing.c.owed), 0))
                    .group_by(owing.c.payer))}
    paged = db.paginate(_ordered(query), page=page, per_page=PER_PAGE, error_out=False)
    owed_now = outstanding_by_enrolment(e.id for e in paged.items)
    return {"page": paged, "rows": [BalanceRow(e, float(owed_now[e.id])) for e in paged.items],
            "count": sum(count for count, _ in by_payer.values()),
            "total": float(rules.from_fen(sum(rules.to_fen(t) for _, t in by_payer.values()))),
            "by_payer": {payer: by_payer[payer] for payer in rules.FEE_PAYERS if payer in by_payer}}


def outstanding_csv(filters: BalanceFilters) -> bytes:
    """The outstanding balances as CSV for Excel (amounts as plain numbers, so they add up)."""
    def yuan(value: float) -> str:
        return str(rules.from_fen(rules.to_fen(value)))

    return spreadsheets.write_csv(
        [_l("Name"), _l("Phone"), _l("Class"), _l("Fee (yuan)"), _l("Outstanding (yuan)"),
         _l("Who pays the fee"), _l("Status")],
        ([row.enrolment.trainee.name, row.enrolment.trainee.phone or "",
          row.enrolment.training_class.name, yuan(row.enrolment.fee_amount), yuan(row.outstanding),
          label("fee_payer", row.enrolment.fee_payer),
          label("enrolment_status", row.enrolment.status)]
         for row in outstanding_rows(filters)))


def outstanding_rows(filters: BalanceFilters) -> list[BalanceRow]:
    """Every enrolment with money owed (for the CSV), in two statements."""
    query, _owed = _balances(filters)
    enrolments = db.session.scalars(_ordered(query)).unique().all()
    owed_now = outstanding_by_enrolment(e.id for e in enrolments)
    return [BalanceRow(e, float(owed_now[e.id])) for e in enrolments]


# --- the receipt journal and the year's figures ------------------------------------------------------


def receipt_years() -> list[int]:
    """Years that have receipts, newest first."""
    return sorted(db.session.scalars(select(FeeEntry.receipt_year).distinct()), reverse=True)


def journal_page(year: int, page: int = 1):
    """The year's receipts in number order (every number, reversals included)."""
    return db.paginate(
        select(FeeEntry).where(FeeEntry.receipt_year == year)
        .options(joinedload(FeeEntry.enrolment).joinedload(Enrolment.trainee),
                 joinedload(FeeEntry.enrolment).joinedload(Enrolment.training_class),
                 joinedload(FeeEntry.recorded_by), selectinload(FeeEntry.reverses))
        .order_by(FeeEntry.receipt_sequence),
        page=page, per_page=PER_PAGE, error_out=False)


@dataclass(frozen=True)
class YearFeeFigures:
    """A calendar year's fee figures, for the annual report. Amounts in yuan.

    collected: money received less money refunded, dated in the year, whoever paid (a reversal
    counts on its own date). collected_by_payer: the same by payer (self, subsidy, employer).
    refunded, waived: refunds paid and fees waived in the year.
    subsidies_claimed: subsidy money received in the year (subsidy payments less refunds to the
    subsidy office). subsidies_earned / subsidies_earned_count: the fees of subsidy-paid courses
    whose certificate was issued in the year (a certificate earns the training subsidy).
    subsidies_due / subsidies_due_count: on the last day of the year, what was still owed on
    subsidy-paid courses certified by then (certificate issued and not revoked by that day).
    receipts: numbers given out in the year; first/last receipt; unbroken when they run 1…n.
    """

    year: int
    collected: float
    collected_by_payer: dict[str, float]
    refunded: float
    waived: float
    subsidies_claimed: float
    subsidies_earned: float
    subsidies_earned_count: int
    subsidies_due: float
    subsidies_due_count: int
    receipts: int
    first_receipt: str | None
    last_receipt: str | None
    receipts_unbroken: bool
    definitions: dict[str, str] = field(default_factory=dict, compare=False)


def _yuan(fen: int) -> float:
    return float(rules.from_fen(fen))


def year_fee_figures(year: int) -> YearFeeFigures:
    """The fee figures of ``year`` (see ``YearFeeFigures``), in four statements."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    by_kind_payer: dict[tuple[str, str | None], int] = {}
    for kind, payer, credit in db.session.execute(
        select(FeeEntry.kind, FeeEntry.payer, func.sum(FeeEntry.credit))
        .where(FeeEntry.happened_on.between(first, last))
        .group_by(FeeEntry.kind, FeeEntry.payer)
    ):
        by_kind_payer[(kind, payer)] = rules.to_fen(credit or 0)
    money = {key: fen for key, fen in by_kind_payer.items() if key[0] in rules.MONEY_KINDS}
    by_payer = {payer: _yuan(sum(fen for (_, who), fen in money.items() if who == payer))
                for payer in rules.FEE_PAYERS}

    certified_by = and_(Certificate.issued_on <= last, or_(
        Certificate.revoked_at.is_(None),
        Certificate.revoked_at >= datetime.combine(last + timedelta(days=1), time.min)))
    courses = (select(Certificate.enrolment_id).where(certified_by)).scalar_subquery()
    settled = _settled(until=last)
    due_fen = due_count = 0
    for fee, paid in db.session.execute(
        select(Enrolment.fee_amount, func.coalesce(settled.c.settled, 0))
        .outerjoin(settled, settled.c.enrolment_id == Enrolment.id)
        .where(Enrolment.fee_payer == "subsidy", Enrolment.id.in_(courses))
    ):
        owed = rules.to_fen(fee) - rules.to_fen(paid)
        if owed > 0:
            due_fen += owed
            due_count += 1
    earned_ids = (select(Certificate.enrolment_id)
                  .where(Certificate.issued_on.between(first, last))).scalar_subquery()
    earned_count, earned = db.session.execute(
        select(func.count(Enrolment.id), func.coalesce(func.sum(Enrolment.fee_amount), 0))
        .where(Enrolment.fee_payer == "subsidy", Enrolment.id.in_(earned_ids))).one()
    count, lowest, highest = db.session.execute(
        select(func.count(FeeEntry.id), func.min(FeeEntry.receipt_sequence),
               func.max(FeeEntry.receipt_sequence)).where(FeeEntry.receipt_year == year)).one()
    return YearFeeFigures(
        year=year,
        collected=_yuan(sum(money.values())),
        collected_by_payer=by_payer,
        refunded=_yuan(-sum(fen for (kind, _), fen in money.items() if kind == "refund")),
        waived=_yuan(sum(fen for (kind, _), fen in by_kind_payer.items() if kind == "waiver")),
        subsidies_claimed=by_payer["subsidy"],
        subsidies_earned=_yuan(rules.to_fen(earned)),
        subsidies_earned_count=earned_count,
        subsidies_due=_yuan(due_fen),
        subsidies_due_count=due_count,
        receipts=count,
        first_receipt=rules.receipt_number(year, lowest) if count else None,
        last_receipt=rules.receipt_number(year, highest) if count else None,
        receipts_unbroken=(count == 0) or (lowest == 1 and highest == count),
        definitions=definitions(),
    )


def definitions() -> dict[str, str]:
    """How each figure is computed, in words (for the report to print beside the figures)."""
    return {
        "collected": _("Money received less money refunded, dated in the year, whoever paid; a "
                       "correction counts on the day it was recorded."),
        "subsidies_claimed": _("Training-subsidy money received in the year, less refunds to the "
                               "subsidy office."),
        "subsidies_earned": _("Fees of subsidy-paid courses whose certificate was issued in the "
                              "year: a certificate earns the training subsidy."),
        "subsidies_due": _("On 31 December, what was still owed on subsidy-paid courses certified "
                           "by then (certificate not revoked by that day)."),
        "refunded": _("Refunds paid in the year."),
        "waived": _("Fees waived in the year."),
        "receipts": _("Receipt numbers given out in the year; they run without a gap."),
    }
