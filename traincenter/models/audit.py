"""The shared audit trail: every correction staff make (who, when, what, on which record, why)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import utcnow

if TYPE_CHECKING:
    from .trainees import Trainee
    from .users import User

# The kinds of record an event can be about (``object_kind``).
AUDIT_OBJECTS = ("exam", "placement", "track", "course_module", "health_certificate",
                 "background_check", "insurance_policy")


class AuditEvent(db.Model):
    """One audited change. Append-only: never updated, never deleted.

    ``object_kind``/``object_id`` name the record changed (it may no longer exist, for a deletion);
    ``trainee_id`` names the trainee it concerns, if any, so her pages can show it; ``details``
    keeps what changed (``{field: [old, new]}``) or what was removed (``{field: value}``), in
    plain JSON values (dates as ISO strings).
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_object", "object_kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(48), index=True)
    object_kind: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainee.id"), index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
    trainee: Mapped[Trainee | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.action} {self.object_kind}:{self.object_id}>"


class AuditRewriteError(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_rewrite(mapper, connection, target) -> None:  # noqa: ARG001
    raise AuditRewriteError("the audit trail is append-only")
