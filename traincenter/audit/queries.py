"""Reads of the audit area: the paged, filtered audit trail (a fixed number of statements)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import AuditEvent
from ..models.audit import AUDIT_OBJECTS

PER_PAGE = 50


def audit_page(object_kind: str | None, object_id: int | None, trainee_id: int | None,
               page: int, per_page: int = PER_PAGE):
    """Audit events, newest first, filtered by kind of record (and one record) or trainee; with
    their actors and trainees (two statements: the count and the page)."""
    query = (select(AuditEvent)
             .options(joinedload(AuditEvent.actor), joinedload(AuditEvent.trainee))
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()))
    if object_kind in AUDIT_OBJECTS:
        query = query.where(AuditEvent.object_kind == object_kind)
        if object_id is not None:
            query = query.where(AuditEvent.object_id == object_id)
    if trainee_id is not None:
        query = query.where(AuditEvent.trainee_id == trainee_id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def recent(limit: int) -> list[AuditEvent]:
    """The latest ``limit`` events, with their actors (one statement)."""
    return list(db.session.scalars(
        select(AuditEvent).options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)))
