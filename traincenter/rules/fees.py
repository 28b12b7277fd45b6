"""Fees: the course fee, who pays it, and the fee account of an enrolment.

An enrolment owes its fee. Entries settle it: a **payment** (money received) and a **waiver**
(the center lets part of the fee go) reduce what is owed; a **refund** (money paid back) raises it
again. Entries are never changed: a mistake is corrected by a **reversal**, a new entry of the same
kind that cancels the original (its credit is the original's, negated). Every entry carries a
receipt number from one unbroken sequence per calendar year.

Amounts here are whole fen (``money.to_fen``), so sums are exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_FEE = 1300
FEE_PAYERS = ("self", "subsidy", "employer")
SUBSIDY_PAYER = "subsidy"  # the 获证补贴名单 lists trainees whose fee this payer covered
FEE_ENTRY_KINDS = ("payment", "refund", "waiver")
PAYMENT_METHODS = ("cash", "wechat", "alipay", "bank_transfer")
# Kinds that move money (and so have a payer and a method); a waiver moves none.
MONEY_KINDS = ("payment", "refund")
RECEIPT_DIGITS = 6


def receipt_number(year: int, sequence: int) -> str:
    """The printed receipt number: the year and the sequence within it, 2026-000042."""
    return f"{year}-{sequence:0{RECEIPT_DIGITS}d}"


def entry_credit(kind: str, amount_fen: int) -> int:
    """How much an entry reduces what is owed: a payment or waiver its amount, a refund minus it."""
    if kind not in FEE_ENTRY_KINDS:
        raise ValueError(f"unknown fee entry kind {kind!r}")
    return -amount_fen if kind == "refund" else amount_fen


@dataclass(frozen=True)
class FeeLine:
    """One entry as the account reads it: its kind and its credit (negative for a refund, and the
    opposite of the original for a reversal)."""

    kind: str
    credit_fen: int


@dataclass(frozen=True)
class FeeAccount:
    """An enrolment's fee account, in fen: owed, paid (net of refunds), waived, outstanding."""

    due_fen: int
    paid_fen: int
    waived_fen: int

    @property
    def settled_fen(self) -> int:
        """Paid and waived together."""
        return self.paid_fen + self.waived_fen

    @property
    def outstanding_fen(self) -> int:
        """Still owed; negative when more was received than owed (to be refunded)."""
        return self.due_fen - self.settled_fen

    @property
    def is_settled(self) -> bool:
        """Nothing is owed any more."""
        return self.outstanding_fen <= 0


def fee_account(due_fen: int, lines: Iterable[FeeLine]) -> FeeAccount:
    """The account of an enrolment owing ``due_fen`` after ``lines`` (reversals included)."""
    paid = waived = 0
    for line in lines:
        if line.kind == "waiver":
            waived += line.credit_fen
        else:
            paid += line.credit_fen
    return FeeAccount(due_fen, paid, waived)


def entry_error(kind: str, amount_fen: int, account: FeeAccount) -> str | None:
    """Why a new entry cannot be recorded on ``account``, or None.

    not_positive: the amount is zero or less; over_outstanding: a payment or waiver larger than
    what is still owed; over_paid: a refund larger than what was paid; unknown_kind.
    """
    if kind not in FEE_ENTRY_KINDS:
        return "unknown_kind"
    if amount_fen <= 0:
        return "not_positive"
    if kind in ("payment", "waiver") and amount_fen > account.outstanding_fen:
        return "over_outstanding"
    if kind == "refund" and amount_fen > account.paid_fen:
        return "over_paid"
    return None


def needs_reason(kind: str) -> bool:
    """Refunds and waivers say why (a payment needs no reason; a reversal always does)."""
    return kind in ("refund", "waiver")


def reversal_error(kind: str, credit_fen: int, account: FeeAccount) -> str | None:
    """Why an entry cannot be reversed on ``account`` now, or None.

    refund_first: reversing a payment would leave less paid than was refunded since; reverse the
    refund first.
    """
    if kind == "payment" and account.paid_fen - credit_fen < 0:
        return "refund_first"
    return None
