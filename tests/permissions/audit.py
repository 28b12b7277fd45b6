"""The audit trail: staff only."""

from . import STAFF

EXPECTED = {
    "audit.index": STAFF,
}
