"""The permission matrix, one module per area.

Each module defines ``EXPECTED = {endpoint: allowed_roles}`` (roles among anonymous, trainee,
instructor, staff, admin; use the constants below) and may define ``ARGS = {name: fn(world)}``
giving the URL argument values its routes need, taken from the shared ``world``.
``tests/test_permissions.py`` merges them and fails when a registered route has no entry.
"""

from __future__ import annotations

import importlib
import pkgutil

ANON = "anonymous"
ROLES = (ANON, "trainee", "instructor", "staff", "admin")
PUBLIC = frozenset(ROLES)
LOGGED_IN = frozenset({"trainee", "instructor", "staff", "admin"})
STAFF = frozenset({"staff", "admin"})
TEACHING = frozenset({"instructor", "staff", "admin"})
TRAINEE = frozenset({"trainee"})
ADMIN = frozenset({"admin"})


def collect() -> tuple[dict[str, frozenset], dict]:
    """Merge EXPECTED and ARGS of every module in this package."""
    expected: dict[str, frozenset] = {}
    args: dict = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for endpoint, roles in getattr(module, "EXPECTED", {}).items():
            assert endpoint not in expected, f"{endpoint} listed twice"
            expected[endpoint] = frozenset(roles)
        args.update(getattr(module, "ARGS", {}))
    return expected, args
