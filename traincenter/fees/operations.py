"""Writes of the fees area: record a payment, refund or waiver, and reverse an entry.

The ledger is append-only. Each entry takes the next receipt number of its year; the pair (year,
number) is unique in the database, so when two people record at the same moment one of them
clashes, starts again with fresh figures and takes the following number — the numbers stay
unbroken. The enrolment is locked while an entry is checked and written, so an account is never
settled twice.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from .. import rules
from ..access import require_staff
from ..errors import DomainError
from ..extensions import db
from ..models import Enrolment, FeeEntry, User
from .queries import account_of, entries_of

NUMBER_RETRIES = 8
REASON_MAX = 500
PAYER_NAME_MAX = 100
FEES_STAFF_ONLY = _l("Only staff may record fees.")

AMOUNT_ERRORS = {
    "not_a_number": _l("Enter the amount as a number of yuan, e.g. 1300 or 650.50."),
    "not_positive": _l("The amount must be more than zero."),
    "too_many_decimals": _l("At most two decimals (fen)."),
    "too_large": _l("The amount is too large."),
}


@dataclass
class EntryInput:
    """A payment, refund or waiver as typed on the form (before it is checked)."""

    kind: str
    amount: Decimal | str | None
    happened_on: date | None
    payer: str | None = None
    method: str | None = None
    payer_name: str | None = None
    reason: str | None = None


def _clean(text: str | None, limit: int, field: str) -> str | None:
    value = (text or "").strip()
    if len(value) > limit:
        raise DomainError(_l("At most %(count)s characters.", count=limit), field=field)
    return value or None


def _next_sequence(year: int) -> int:
    return (db.session.scalar(select(func.max(FeeEntry.receipt_sequence))
                              .where(FeeEntry.receipt_year == year)) or 0) + 1


def _is_number_clash(error: IntegrityError) -> bool:
    """Someone took the same receipt number, or reversed the same entry, at the same moment."""
    text = str(error.orig).lower()
    return "unique" in text or "duplicate" in text


def _is_lock_clash(error: OperationalError) -> bool:
    """SQLite's answer when another writer committed first ("database is locked")."""
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text


def _commit_numbered(build: Callable[[], FeeEntry], today: date) -> FeeEntry:
    """Build (checking everything afresh), number and commit an entry; on a clash with someone
    writing at the same moment, start again."""
    for attempt in range(NUMBER_RETRIES):
        if attempt:
            time.sleep(random.uniform(0.01, 0.05) * attempt)  # let the other writer finish
        entry = build()
        entry.receipt_year = today.year
        entry.receipt_sequence = _next_sequence(today.year)
        db.session.add(entry)
        try:
            db.session.commit()
            return entry
        except IntegrityError as error:
            db.session.rollback()
            if not _is_number_clash(error):
                raise
        except OperationalError as error:
            db.session.rollback()
            if not _is_lock_clash(error):
                raise
    raise DomainError(_l("Could not give out a receipt number. Please try again."))


def _enrolment(enrolment_id: int) -> Enrolment:
    """The enrolment, locked until the commit, so that two people recording on the same account
    at once are checked one after the other.

    The lock is a write to the row (``SET id = id``) before anything is read: PostgreSQL locks the
    row as ``FOR UPDATE`` would, and SQLite — which has no ``FOR UPDATE`` and runs reads outside
    the write transaction — starts its write transaction here, waiting for the other writer to
    commit, so the account read next is the current one."""
    db.session.execute(update(Enrolment).where(Enrolment.id == enrolment_id)
                       .values(id=Enrolment.id).execution_options(synchronize_session=False))
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.id == enrolment_id))
    if enrolment is None:
        raise DomainError(_l("There is no such enrolment."))
    return enrolment


def _checked_entry(enrolment_id: int, values: EntryInput, actor: User, today: date) -> FeeEntry:
    """Validate a new entry against the account as it stands now; build it (not added)."""
    enrolment = _enrolment(enrolment_id)
    kind = values.kind
    if kind not in rules.FEE_ENTRY_KINDS:
        raise DomainError(_l("Choose payment, refund or waiver."), field="kind")
    problem = rules.amount_error(values.amount) if values.amount not in (None, "") else "not_a_number"
    if problem:
        raise DomainError(AMOUNT_ERRORS[problem], field="amount")
    amount_fen = rules.to_fen(values.amount)
    if values.happened_on is None:
        raise DomainError(_l("Enter the date."), field="happened_on")
    if values.happened_on > today:
        raise DomainError(_l("The date cannot be in the future."), field="happened_on")
    if values.happened_on.year < rules.FIRST_YEAR:
        raise DomainError(_l("The date is too long ago."), field="happened_on")
    payer = method = payer_name = None
    if kind in rules.MONEY_KINDS:
        payer, method = values.payer, values.method
        if payer not in rules.FEE_PAYERS:
            raise DomainError(_l("Choose who paid (or who is refunded)."), field="payer")
        if method not in rules.PAYMENT_METHODS:
            raise DomainError(_l("Choose how the money was paid."), field="method")
        payer_name = _clean(values.payer_name, PAYER_NAME_MAX, "payer_name")
    reason = _clean(values.reason, REASON_MAX, "reason")
    if rules.needs_reason(kind) and not reason:
        raise DomainError(_l("Say why (it is printed on the voucher and kept)."), field="reason")
    account = account_of(enrolment.fee_amount, entries_of(enrolment.id))
    problem = rules.entry_error(kind, amount_fen, account)
    if problem == "over_outstanding":
        raise DomainError(_l("Only %(amount)s yuan is still owed on this course.",
                             amount=rules.format_yuan(max(account.outstanding_fen, 0))),
                          field="amount")
    if problem == "over_paid":
        raise DomainError(_l("Only %(amount)s yuan has been paid, so no more can be refunded.",
                             amount=rules.format_yuan(max(account.paid_fen, 0))), field="amount")
    return FeeEntry(enrolment_id=enrolment.id, kind=kind, amount=float(rules.from_fen(amount_fen)),
                    credit=float(rules.from_fen(rules.entry_credit(kind, amount_fen))),
                    payer=payer, payer_name=payer_name, method=method,
                    happened_on=values.happened_on, reason=reason, recorded_by_id=actor.id)


def record_fee_entry(enrolment_id: int, values: EntryInput, actor: User,
                     today: date | None = None) -> FeeEntry:
    """Record a payment, refund or waiver with the next receipt number of the year.

    Raises ``DomainError`` (with the field) when a rule says no: a payment or waiver above what
    is owed, a refund above what was paid, a refund or waiver without a reason, a future date …
    """
    require_staff(actor, message=FEES_STAFF_ONLY)
    today = today or date.today()
    return _commit_numbered(lambda: _checked_entry(enrolment_id, values, actor, today), today)


def _checked_reversal(entry_id: int, reason: str | None, actor: User, today: date) -> FeeEntry:
    enrolment_id = db.session.scalar(select(FeeEntry.enrolment_id).where(FeeEntry.id == entry_id))
    if enrolment_id is None:
        raise DomainError(_l("There is no such entry."))
    enrolment = _enrolment(enrolment_id)  # locked first, as for a new entry
    original = db.session.get(FeeEntry, entry_id)
    if original.is_reversal:
        raise DomainError(_l("A reversal cannot itself be reversed; record the entry again."))
    reversed_by = db.session.scalar(select(FeeEntry.id).where(FeeEntry.reverses_id == original.id))
    if reversed_by is not None:
        raise DomainError(_l("This entry has already been reversed."))
    reason = _clean(reason, REASON_MAX, "reason")
    if not reason:
        raise DomainError(_l("Say why the entry is reversed."), field="reason")
    account = account_of(enrolment.fee_amount, entries_of(enrolment.id))
    if rules.reversal_error(original.kind, original.credit_fen, account) == "refund_first":
        raise DomainError(_l("A refund was made after this payment. Reverse the refund first."))
    return FeeEntry(enrolment_id=original.enrolment_id, kind=original.kind,
                    amount=original.amount, credit=-original.credit, payer=original.payer,
                    payer_name=original.payer_name, method=original.method, happened_on=today,
                    reverses_id=original.id, reason=reason, recorded_by_id=actor.id)


def reverse_fee_entry(entry_id: int, reason: str | None, actor: User,
                      today: date | None = None) -> FeeEntry:
    """Cancel an entry by a reversal dated today, with its own receipt number and the reason.

    The original stays as it was (and its receipt says it was reversed)."""
    require_staff(actor, message=FEES_STAFF_ONLY)
    today = today or date.today()
    return _commit_numbered(lambda: _checked_reversal(entry_id, reason, actor, today), today)
