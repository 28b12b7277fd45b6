"""Writes about the catalogue: tracks (专业方向) and course modules.

Staff create, change and retire them; a retired one stays on the records made under it but is no
longer offered. One that is in use is never deleted (only an unused one, made by mistake, can
be). Every change is audited (who, when, what, why).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from ...access import require_staff
from ...errors import DomainError
from ...extensions import db
from ...forms import required_text
from ...models import CourseModule, Track, User
from ...services import audit
from ..queries import DEFAULT_MODULES, module_names, module_uses, track_uses

TRACK_FIELDS = ("code", "name", "description", "sort_order")
MODULE_FIELDS = ("name", "is_compulsory", "suggested_hours", "description")
TRACK_CODE_MAX = 8
NAME_MAX = 64


def _values(obj, fields) -> dict:
    return {key: getattr(obj, key) for key in fields}


def _clean_text(value) -> str | None:
    return (value or "").strip() or None


# --- tracks --------------------------------------------------------------------------------------


def _check_track(data: dict, current: Track | None) -> dict:
    code = (data.get("code") or "").strip().upper()
    name = (data.get("name") or "").strip()
    problems = []
    if not code or len(code) > TRACK_CODE_MAX or not code.isascii() or not code.isalnum():
        problems.append(("code", _l("The code is 1 to 8 letters or digits (it is printed in "
                                    "certificate numbers).")))
    elif db.session.scalar(select(Track.id).where(func.upper(Track.code) == code,
                                                  Track.id != (current.id if current else 0))):
        problems.append(("code", _l("Another track already has the code %(code)s.", code=code)))
    if not name or len(name) > NAME_MAX:
        problems.append(("name", _l("The track needs a name (at most 64 characters).")))
    elif db.session.scalar(select(Track.id).where(Track.name == name,
                                                  Track.id != (current.id if current else 0))):
        problems.append(("name", _l("Another track is already called %(name)s.", name=name)))
    if current is not None and code != current.code and track_uses([current.id])[current.id]:
        problems.append(("code", _l("This track is in use: its code stays, so that certificate "
                                    "numbers stay consistent.")))
    if problems:
        raise DomainError(problems[0][1], field_errors=problems)
    return {"code": code, "name": name, "description": _clean_text(data.get("description")),
            "sort_order": int(data.get("sort_order") or 0)}


def create_track(data: dict, actor: User) -> Track:
    """Add a track (its code is printed in certificate numbers)."""
    require_staff(actor)
    values = _check_track(data, None)
    track = Track(**values, is_active=True)
    db.session.add(track)
    db.session.flush()
    audit.record(actor, "track.created", "track", track.id, details=values)
    db.session.commit()
    return track


def update_track(track: Track, data: dict, reason: str | None, actor: User) -> Track:
    """Change a track's name, description or order (its code only while it is unused)."""
    require_staff(actor)
    return _apply_changes(track, "track", TRACK_FIELDS, _check_track(data, track), reason, actor)


def _apply_changes(record, kind: str, fields, values: dict, reason: str | None, actor: User):
    """Write the checked ``values`` into a track or module and audit what changed."""
    changes = audit.changed_fields(_values(record, fields), values)
    if not changes:
        raise DomainError(_l("Nothing was changed."))
    for key, value in values.items():
        setattr(record, key, value)
    audit.record(actor, f"{kind}.updated", kind, record.id, reason=reason,
                 details={"name": record.name, "changes": changes})
    db.session.commit()
    return record


def set_track_active(track: Track, active: bool, reason: str | None, actor: User) -> Track:
    """Retire a track (no longer offered for new classes and openings) or take it back."""
    require_staff(actor)
    if track.is_active == active:
        raise DomainError(_l("This track is already in use.") if active
                          else _l("This track is already retired."))
    track.is_active = active
    audit.record(actor, "track.restored" if active else "track.retired", "track", track.id,
                 reason=reason, details={"name": track.name})
    db.session.commit()
    return track


def delete_track(track: Track, reason: str | None, actor: User) -> None:
    """Delete a track made by mistake; one with classes, certificates or openings never is."""
    require_staff(actor)
    reason = required_text(reason, audit.REASON_MAX, _l("Give the reason for the deletion."))
    if track_uses([track.id])[track.id]:
        raise DomainError(_l("This track is in use and cannot be deleted; retire it instead."))
    audit.record(actor, "track.deleted", "track", track.id, reason=reason,
                 details=_values(track, TRACK_FIELDS))
    db.session.execute(delete(Track).where(Track.id == track.id))
    db.session.commit()
    db.session.expire_all()


# --- course modules ------------------------------------------------------------------------------


def _check_module(data: dict, current: CourseModule | None) -> dict:
    name = (data.get("name") or "").strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(_l("The module needs a name."), field="name")
    if db.session.scalar(select(CourseModule.id).where(
            func.lower(CourseModule.name) == name.lower(),
            CourseModule.id != (current.id if current else 0))):
        raise DomainError(_l("A module named %(name)s already exists.", name=name), field="name")
    hours = data.get("suggested_hours")
    return {"name": name, "is_compulsory": bool(data.get("is_compulsory")),
            "suggested_hours": float(hours) if hours is not None else None,
            "description": _clean_text(data.get("description"))}


def add_module(name: str, is_compulsory: bool, suggested_hours: float | None,
               description: str | None, actor: User) -> CourseModule:
    """Add a module to the catalogue; names are unique."""
    require_staff(actor)
    values = _check_module({"name": name, "is_compulsory": is_compulsory,
                            "suggested_hours": suggested_hours, "description": description}, None)
    module = CourseModule(**values)
    db.session.add(module)
    db.session.flush()
    audit.record(actor, "course_module.created", "course_module", module.id, details=values)
    db.session.commit()
    return module


def update_module(module: CourseModule, data: dict, reason: str | None,
                  actor: User) -> CourseModule:
    """Change a module; sessions already held keep pointing at it."""
    require_staff(actor)
    return _apply_changes(module, "course_module", MODULE_FIELDS, _check_module(data, module),
                          reason, actor)


def set_module_active(module: CourseModule, active: bool, reason: str | None,
                      actor: User) -> CourseModule:
    """Retire a module (no longer offered for new sessions) or take it back."""
    require_staff(actor)
    if module.is_active == active:
        raise DomainError(_l("This module is already in use.") if active
                          else _l("This module is already retired."))
    module.is_active = active
    audit.record(actor, "course_module.restored" if active else "course_module.retired",
                 "course_module", module.id, reason=reason, details={"name": module.name})
    db.session.commit()
    return module


def delete_module(module: CourseModule, reason: str | None, actor: User) -> None:
    """Delete a module made by mistake; one with sessions never is."""
    require_staff(actor)
    reason = required_text(reason, audit.REASON_MAX, _l("Give the reason for the deletion."))
    if module_uses([module.id])[module.id]:
        raise DomainError(_l("Sessions were scheduled with this module: it cannot be deleted; "
                             "retire it instead."))
    audit.record(actor, "course_module.deleted", "course_module", module.id, reason=reason,
                 details=_values(module, MODULE_FIELDS))
    db.session.execute(delete(CourseModule).where(CourseModule.id == module.id))
    db.session.commit()
    db.session.expire_all()


def seed_default_modules(actor: User | None = None) -> int:
    """Add the compulsory and elective modules of the course catalogue that are missing."""
    if actor is not None:
        require_staff(actor)
    existing = module_names()
    added = []
    for name, compulsory in DEFAULT_MODULES:
        if name not in existing:
            module = CourseModule(name=name, is_compulsory=compulsory)
            db.session.add(module)
            added.append(module)
    if added and actor is not None:
        db.session.flush()
        for module in added:
            audit.record(actor, "course_module.created", "course_module", module.id,
                         details={"name": module.name, "is_compulsory": module.is_compulsory})
    db.session.commit()
    return len(added)
