"""The Chinese catalogues are complete, and the same English text means the same thing everywhere.

Each area has its own catalogue, and Flask-Babel merges them into one at run time: if two areas
translated one msgid differently, one of them would silently show the other's words.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402


@pytest.mark.parametrize("area", i18n.areas())
def test_catalogue_is_complete(area):
    assert i18n.missing(area) == []


def test_no_msgid_has_two_different_translations():
    seen: dict[tuple, dict[str, list[str]]] = {}
    for area in i18n.areas():
        for message in i18n.load(area):
            if not message.id or not message.string:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            text = message.string if isinstance(message.string, str) else message.string[0]
            seen.setdefault((msgid, message.context), {}).setdefault(text, []).append(area)
    clashes = {key[0]: value for key, value in seen.items() if len(value) > 1}
    assert not clashes, clashes
