"""Placement: the kinds of employer a worker is placed with."""

from __future__ import annotations

EMPLOYER_TYPES = ("household", "company", "elderly_care", "hospital", "other")
