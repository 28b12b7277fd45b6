"""The annual report as JSON: the figures dict itself."""

from __future__ import annotations

import json


def to_json(figures: dict) -> bytes:
    """The figures as JSON (rates as fractions 0–1, null when nothing to divide by)."""
    return json.dumps(figures, ensure_ascii=False, indent=2).encode("utf-8")
