"""The fees area: staff only."""

from . import STAFF

EXPECTED = {
    "fees.index": STAFF,
    "fees.outstanding_csv": STAFF,
    "fees.enrolment": STAFF,
    "fees.reverse": STAFF,
    "fees.receipt_pdf": STAFF,
    "fees.journal": STAFF,
}

ARGS = {
    # enrolment_id: the world's enrolment (tests/permissions/training.py)
    "entry_id": lambda world: world["fee_entry"].id,
}
