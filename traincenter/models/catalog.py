"""Tracks (专业方向) and course modules."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import Hours


class Track(db.Model):
    """A specialisation such as 育婴师; classes, certificates and openings belong to one."""

    __tablename__ = "track"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Track {self.code}>"


class CourseModule(db.Model):
    """A module of the course catalogue; sessions are scheduled against one."""

    __tablename__ = "course_module"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    is_compulsory: Mapped[bool] = mapped_column(default=False)
    suggested_hours: Mapped[float | None] = mapped_column(Hours)
    description: Mapped[str | None] = mapped_column(Text)
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<CourseModule {self.name}>"
