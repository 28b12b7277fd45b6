"""Fees: the course fee and who pays it (the subsidy roster lists subsidy-paid trainees)."""

from __future__ import annotations

DEFAULT_FEE = 1300
FEE_PAYERS = ("self", "subsidy", "employer")
SUBSIDY_PAYER = "subsidy"  # the 获证补贴名单 lists trainees whose fee this payer covered
