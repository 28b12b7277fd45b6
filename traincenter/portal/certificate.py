"""Portal: the trainee's certificates, with the certificate and work card PDFs (phone first).

The page's words live in templates/certificates/_my_certificates.html (the certificates
catalogue), so this module adds no strings to the portal catalogue.
"""

from datetime import date

from flask import abort, render_template
from flask_login import current_user

from ..access import role_required
from ..certificates import pdf, queries
from ..models import Certificate
from ..services import fitness
from . import bp


def _own_certificate(certificate_id: int) -> Certificate:
    """The certificate if it is the logged-in trainee's own; 404 for anyone else's."""
    certificate = queries.get_certificate(certificate_id)
    if certificate is None or certificate.trainee_id != current_user.trainee_id:
        abort(404)
    return certificate


@bp.route("/certificate")
@role_required("trainee")
def certificate():
    """The trainee's certificates, status colour and downloads."""
    trainee_id = current_user.trainee_id
    if trainee_id is None:
        abort(404)
    health_rows = queries.trainee_health(trainee_id)
    return render_template(
        "portal/certificate.html", certificates=queries.trainee_certificates(trainee_id),
        duty=fitness.duty_status(trainee_id), health=health_rows[0] if health_rows else None,
        today=date.today())


@bp.route("/certificate/<int:certificate_id>/certificate.pdf")
@role_required("trainee")
def certificate_pdf(certificate_id: int):
    """The trainee's own certificate as a PDF."""
    own = _own_certificate(certificate_id)
    return pdf.response(pdf.certificates_pdf([own]), f"certificate-{own.number}.pdf")


@bp.route("/certificate/<int:certificate_id>/card.pdf")
@role_required("trainee")
def certificate_card(certificate_id: int):
    """The trainee's own work card (上岗证) as a PDF."""
    own = _own_certificate(certificate_id)
    return pdf.response(pdf.work_card_pdf(own), f"card-{own.number}.pdf")
