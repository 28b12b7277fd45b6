"""The navigation registry: each area adds its own entries, shown to the roles that may use them."""

from __future__ import annotations

import os.path
from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True, order=True)
class NavItem:
    """One entry of the top navigation."""

    order: int
    endpoint: str
    label: object
    roles: tuple[str, ...]


_ITEMS: list[NavItem] = []


def nav_item(endpoint: str, label, roles: tuple[str, ...], order: int = 100) -> None:
    """Add an entry (call at import time of an area package, with a lazy label)."""
    if not any(item.endpoint == endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(order, endpoint, label, tuple(roles)))


def items_for(user) -> list[NavItem]:
    """The entries ``user`` may use, in order; entries whose endpoint is not registered are left out."""
    if not getattr(user, "is_authenticated", False):
        return []
    # Worked out once per app and role (every page draws the navigation); a new entry added
    # later (areas add theirs at import) changes the key.
    kept = current_app.extensions.setdefault("traincenter.nav", {})
    key = (user.role, len(_ITEMS))
    if key not in kept:
        kept[key] = tuple(
            item
            for item in sorted(_ITEMS)
            if user.role in item.roles and item.endpoint in current_app.view_functions
        )
    return list(kept[key])


def current_entry(items: list[NavItem], endpoint: str | None) -> str | None:
    """The endpoint of the entry that holds the page ``endpoint``: the entry itself, else the
    entry of the same area whose endpoint shares the longest prefix with it (``certificates.
    health_new`` → ``certificates.health_expiring``); None outside every entry's area."""
    if not endpoint:
        return None
    if any(item.endpoint == endpoint for item in items):
        return endpoint
    area = endpoint.split(".", 1)[0] + "."
    best, best_length = None, 0
    for item in items:
        if not item.endpoint.startswith(area):
            continue
        length = len(os.path.commonprefix([item.endpoint, endpoint]))
        if length > best_length:
            best, best_length = item.endpoint, length
    return best

