"""The annual report as JSON: the figures dict itself, with the staff's text beside them."""

from __future__ import annotations

import json

from ... import rules


def to_json(content) -> bytes:
    """The figures as JSON (rates as fractions 0–1, null when nothing to divide by) and the text."""
    data = dict(content.figures)
    data["narrative"] = rules.clean_narrative(content.narrative or {})
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
