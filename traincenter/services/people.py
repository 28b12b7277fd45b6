"""Finding trainees, shared by the areas that register and enrol them."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import Trainee


def normalise_id_number(number: str | None) -> str:
    """An ID number as stored: no spaces, upper-case X."""
    return (number or "").strip().replace(" ", "").upper()


def find_by_id_number(number: str | None) -> Trainee | None:
    """The trainee registered under ``number`` (normalised), if any."""
    return db.session.scalar(select(Trainee).where(Trainee.id_number == normalise_id_number(number)))
