"""The tracks of the catalogue, read the same way by every area that lists them."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Track


def active_tracks() -> list[Track]:
    """The tracks still offered, in display order (for choices and public filters)."""
    return list(db.session.scalars(
        select(Track).where(Track.is_active.is_(True)).order_by(Track.sort_order, Track.name)))


def all_tracks() -> list[Track]:
    """Every track, retired ones included, in display order (to filter records made under them)."""
    return list(db.session.scalars(select(Track).order_by(Track.sort_order, Track.name)))
