"""Fees: the course fee and who pays it (the subsidy roster lists subsidy-paid trainees)."""

from __future__ import annotations

DEFAULT_FEE = 1300
FEE_PAYERS = ("self", "subsidy", "employer")
