"""The OpenAPI 3 document of the public verification API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from .. import addresses, rules, settings
from ..i18n import LABELS
from .queries import CODE_MAX


def document() -> dict:
    """The API description (settings in force); its fields match ``PublicCertificate.as_json``."""
    warning_days = settings.health_warning_days()
    certificate = {
        "type": "object",
        "required": ["found", "number", "name", "track", "level", "issued_on", "status",
                     "health_certificate_valid_until", "duty_colour", "duty_reason",
                     "fit_for_duty", "background_check", "background_check_valid_until",
                     "liability_insurance", "liability_insurance_valid_until", "has_photo"],
        "properties": {
            "found": {"type": "boolean", "const": True},
            "number": {"type": "string", "description": "Certificate number: year, track code, sequence.",
                       "example": "2026GEN00012"},
            "name": {"type": "string", "description": "Holder's name, masked (张*华).",
                     "example": "张*华"},
            "track": {"type": "string", "description": "Track (专业方向).", "example": "育婴师"},
            "level": {"type": "integer", "enum": sorted(rules.LEVELS, reverse=True),
                      "description": "Occupational level: 5 basic, 4 intermediate, 3 advanced."},
            "issued_on": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": list(rules.CERTIFICATE_STATUSES),
                       "description": "valid; under_review = a corrected exam score is being "
                                      "checked by the training center, the certificate cannot "
                                      "be vouched for until staff confirm or revoke it "
                                      "(fit_for_duty is false meanwhile); revoked."},
            "health_certificate_valid_until": {"type": ["string", "null"], "format": "date",
                                               "description": "Last day of the health certificate (健康证)."},
            "duty_colour": {"type": "string", "enum": [rules.GREEN, rules.YELLOW, rules.RED],
                            "description": "green = fit for duty; yellow = fit, health certificate "
                                           f"expires within {warning_days} days; red = not fit "
                                           "for duty (or, with duty_reason under_review, not "
                                           "confirmed while the certificate is checked)."},
            "duty_reason": {"type": "string", "enum": [
                reason for reason in LABELS["duty_reason"] if rules.public_reason(reason) == reason]},
            "fit_for_duty": {"type": "boolean"},
            "background_check": {"type": ["string", "null"],
                                 "enum": [*LABELS["background_public"], None],
                                 "description": "Background check (背景核查): cleared, pending, "
                                                "not_cleared, or null when none is on file."},
            "background_check_valid_until": {"type": ["string", "null"], "format": "date"},
            "liability_insurance": {"type": ["string", "null"],
                                    "enum": [*LABELS["insurance_public"], None],
                                    "description": "Liability insurance (从业责任保险): valid, "
                                                   "expired, or null when none is on file."},
            "liability_insurance_valid_until": {"type": ["string", "null"], "format": "date"},
            "has_photo": {"type": "boolean",
                          "description": "Whether the holder agreed to show her photo on the "
                                         "verify page (the photo itself is not in the API)."},
        },
        "additionalProperties": False,
    }
    error = {
        "type": "object",
        "required": ["found", "error"],
        "properties": {"found": {"type": "boolean", "const": False},
                       "error": {"type": "string", "enum": ["not_found", "rate_limited"]},
                       "message": {"type": "string"}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{settings.center_name()} — certificate verification",
            "version": "1.0.0",
            "description": "Check a domestic-service worker's training certificate and health "
                           "certificate. Only masked, non-identifying fields are returned: never "
                           "the ID number, birth date, phone or address. Every lookup is logged "
                           "and lookups are rate limited per client address.",
        },
        "servers": [{"url": addresses.public_base_url()}],
        "paths": {
            "/api/v1/verify/{code}": {
                "get": {
                    "operationId": "verifyCertificate",
                    "summary": "Verify a certificate by the code in its QR code",
                    "parameters": [{
                        "name": "code", "in": "path", "required": True,
                        "description": "The verification code printed as a QR code on the certificate.",
                        "schema": {"type": "string", "maxLength": CODE_MAX},
                    }],
                    "responses": {
                        "200": {"description": "The certificate was found.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Certificate"}}}},
                        "404": {"description": "No certificate has this code.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                        "429": {"description": "Too many lookups from this address; try again later.",
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                    },
                },
            },
        },
        "components": {"schemas": {"Certificate": certificate, "Error": error}},
    }
