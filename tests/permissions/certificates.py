"""Certificates area (staff) and the trainee's certificate pages in the portal."""

from . import STAFF, TRAINEE

EXPECTED = {
    "certificates.index": STAFF,
    "certificates.review": STAFF,
    "certificates.classes": STAFF,
    "certificates.class_view": STAFF,
    "certificates.issue": STAFF,
    "certificates.issue_class": STAFF,
    "certificates.class_pdf": STAFF,
    "certificates.detail": STAFF,
    "certificates.revoke": STAFF,
    "certificates.clear_review": STAFF,
    "certificates.certificate_pdf": STAFF,
    "certificates.card_pdf": STAFF,
    "certificates.trainee": STAFF,
    "certificates.health_expiring": STAFF,
    "certificates.health_reminders_csv": STAFF,
    "certificates.health_new": STAFF,
    "certificates.health_class": STAFF,
    "certificates.health_delete": STAFF,
    "certificates.background_new": STAFF,
    "certificates.insurance_new": STAFF,
    "certificates.background_delete": STAFF,
    "certificates.insurance_delete": STAFF,
    "certificates.insurance_expiring": STAFF,
    "certificates.insurance_reminders_csv": STAFF,
    "portal.certificate": TRAINEE,
    "portal.certificate_pdf": TRAINEE,
    "portal.certificate_card": TRAINEE,
}

ARGS = {
    "certificate_id": lambda world: world["certificate"].id,
    "health_id": lambda world: world["health"].id,
    "check_id": lambda world: world["background_check"].id,
    "policy_id": lambda world: world["insurance"].id,
    # Shared with other areas (same values): the class and the trainee of the world.
    "class_id": lambda world: world["class"].id,
    "trainee_id": lambda world: world["trainee"].id,
}
