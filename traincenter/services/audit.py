"""The one writer (and the shared reads) of the audit trail.

Operations call ``record(...)`` inside their own transaction (it adds, never commits), so the event
is saved with the change or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AuditEvent
from ..models.audit import AUDIT_OBJECTS

REASON_MAX = 500


def plain(value: Any) -> Any:
    """A value as the audit trail keeps it: JSON types only (dates as ISO strings)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{field: [old, new]}`` for the fields whose value differs."""
    return {key: [plain(before.get(key)), plain(after.get(key))]
            for key in after if plain(before.get(key)) != plain(after.get(key))}


def record(actor, action: str, object_kind: str, object_id: int | None, *,
           reason: str | None = None, trainee_id: int | None = None,
           details: dict[str, Any] | None = None) -> AuditEvent:
    """Add one audit event to the session (the calling operation commits)."""
    if object_kind not in AUDIT_OBJECTS:
        raise ValueError(object_kind)
    event = AuditEvent(actor_id=getattr(actor, "id", None), action=action,
                       object_kind=object_kind, object_id=object_id, trainee_id=trainee_id,
                       reason=(reason or "").strip()[:REASON_MAX] or None,
                       details=plain(details or {}))
    db.session.add(event)
    return event


def events_for(object_kind: str, object_ids: Iterable[int],
               actions: Iterable[str] | None = None) -> list[AuditEvent]:
    """Events about these records, newest first, with their actors (one statement)."""
    ids = list(set(object_ids))
    if not ids:
        return []
    query = (select(AuditEvent).where(AuditEvent.object_kind == object_kind,
                                      AuditEvent.object_id.in_(ids))
             .options(joinedload(AuditEvent.actor))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if actions is not None:
        query = query.where(AuditEvent.action.in_(list(actions)))
    return list(db.session.scalars(query))


def events_about_trainee(trainee_id: int, object_kinds: Iterable[str]) -> list[AuditEvent]:
    """Events concerning one trainee on these kinds of record, newest first (one statement)."""
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.trainee_id == trainee_id,
                                 AuditEvent.object_kind.in_(list(object_kinds)))
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())))


def latest_event(object_kind: str, object_id: int, actions: Iterable[str],
                 wanted: str | None = None) -> AuditEvent | None:
    """The newest of these actions on one record; with ``wanted``, only when the newest is that
    action (else None). One light statement for the newest action's id, and one more to load the
    event when there is one to show (the grid asks on every request; it is rarely sent back)."""
    newest = db.session.execute(
        select(AuditEvent.id, AuditEvent.action)
        .where(AuditEvent.object_kind == object_kind, AuditEvent.object_id == object_id,
               AuditEvent.action.in_(list(actions)))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(1)).first()
    if newest is None or (wanted is not None and newest.action != wanted):
        return None
    return db.session.get(AuditEvent, newest.id, options=[joinedload(AuditEvent.actor)])
