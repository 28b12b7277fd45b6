"""The fee ledger: payments, refunds and waivers per enrolment, each with its receipt number.

The ledger is append-only: a mistake is corrected by a reversal (``reverses_id``), never by an
edit or a delete. Receipt numbers run without a gap within each year: (receipt_year,
receipt_sequence) is unique and every number belongs to exactly one entry.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import rules
from ..extensions import db
from .base import Money, sql_in, utcnow
from .exams import AppendOnlyError

if TYPE_CHECKING:
    from .training import Enrolment
    from .users import User


class FeeEntry(db.Model):
    """One payment, refund or waiver of an enrolment's fee, or the reversal of one.

    ``amount`` is what the receipt prints (always positive); ``credit`` is how much the entry
    reduces what is owed (``rules.entry_credit``; a reversal carries the original's, negated).
    """

    __tablename__ = "fee_entry"
    __table_args__ = (
        CheckConstraint(sql_in("kind", rules.FEE_ENTRY_KINDS), name="kind"),
        CheckConstraint("payer IS NULL OR " + sql_in("payer", rules.FEE_PAYERS), name="payer"),
        CheckConstraint("method IS NULL OR " + sql_in("method", rules.PAYMENT_METHODS),
                        name="method"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("credit = amount OR credit = -amount", name="credit_is_amount"),
        CheckConstraint("receipt_sequence >= 1", name="receipt_sequence_positive"),
        UniqueConstraint("receipt_year", "receipt_sequence", name="uq_fee_entry_receipt"),
        UniqueConstraint("reverses_id", name="uq_fee_entry_reverses"),  # reversed at most once
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("enrolment.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[float] = mapped_column(Money)
    credit: Mapped[float] = mapped_column(Money)
    payer: Mapped[str | None] = mapped_column(String(16))
    payer_name: Mapped[str | None] = mapped_column(String(100))  # the employer, the subsidy office
    method: Mapped[str | None] = mapped_column(String(16))
    happened_on: Mapped[date] = mapped_column(index=True)  # the day the money moved or was waived
    receipt_year: Mapped[int]
    receipt_sequence: Mapped[int]
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("fee_entry.id"))
    reason: Mapped[str | None] = mapped_column(String(500))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    enrolment: Mapped[Enrolment] = relationship()
    reverses: Mapped[FeeEntry | None] = relationship(remote_side=[id], foreign_keys=[reverses_id])
    recorded_by: Mapped[User | None] = relationship()

    @property
    def receipt_number(self) -> str:
        """The printed number, 2026-000042."""
        return rules.receipt_number(self.receipt_year, self.receipt_sequence)

    @property
    def is_reversal(self) -> bool:
        """This entry cancels an earlier one."""
        return self.reverses_id is not None

    @property
    def credit_fen(self) -> int:
        """The credit in whole fen (exact sums)."""
        return rules.to_fen(self.credit)

    @property
    def amount_fen(self) -> int:
        """The amount in whole fen."""
        return rules.to_fen(self.amount)


@event.listens_for(FeeEntry, "before_update")
@event.listens_for(FeeEntry, "before_delete")
def _refuse_ledger_rewrite(mapper, connection, target) -> None:  # noqa: ARG001
    raise AppendOnlyError("the fee ledger is append-only: record a reversal instead")
