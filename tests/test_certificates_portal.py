"""The trainee's certificate page and downloads; only their own; the area's permission matrix."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pypdf
import pytest

from .conftest import login
from .permissions import ROLES
from .permissions import certificates as certificates_matrix
from .permissions import public as public_matrix
from .test_permissions import matrix_failures


def test_trainee_sees_own_certificate_and_downloads(client, make):
    certificate = make.certified(name="郭秀英")
    user = make.user("trainee", username="t-guo", trainee_id=certificate.trainee_id)
    make.health(certificate.trainee, issued_on=date.today() - timedelta(days=20))
    login(client, user)
    page = client.get("/me/certificate").get_data(as_text=True)
    assert "我的证书" in page and certificate.number in page and certificate.track.name in page
    assert "flash-success" in page and "● 可以上岗" in page  # green: can work
    for url in (f"/me/certificate/{certificate.id}/certificate.pdf",
                f"/me/certificate/{certificate.id}/card.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        text = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text().replace("\x00", "")
        assert "郭秀英" in text and certificate.number in text


def test_trainee_cannot_open_someone_elses(client, make):
    mine = make.certified()
    theirs = make.certified(name="马丽娟")
    user = make.user("trainee", username="t-mine", trainee_id=mine.trainee_id)
    login(client, user)
    for url in (f"/me/certificate/{theirs.id}/certificate.pdf", f"/me/certificate/{theirs.id}/card.pdf"):
        assert client.get(url).status_code == 404
    assert "马丽娟" not in client.get("/me/certificate").get_data(as_text=True)
    assert client.get(f"/certificates/{theirs.id}/card.pdf").status_code == 403
    assert client.get(f"/certificates/{theirs.id}").status_code == 403


def test_trainee_without_certificate_is_told_how_to_get_one(client, make):
    user = make.trainee_user()
    login(client, user)
    page = client.get("/me/certificate").get_data(as_text=True)
    assert "还没有证书" in page and "暂时不能" in page


def test_revoked_certificate_cannot_be_downloaded_from_the_page(client, make):
    certificate = make.certified()
    certificate.revoked_at = certificate.created_at
    from traincenter.extensions import db

    db.session.commit()
    login(client, make.user("trainee", username="t-rev", trainee_id=certificate.trainee_id))
    page = client.get("/me/certificate").get_data(as_text=True)
    assert "已撤销" in page and "下载证书" not in page


def test_navigation_entries(client, make):
    login(client, make.user("staff"))
    page = client.get("/certificates/").get_data(as_text=True)
    assert 'href="/certificates/"' in page and 'href="/certificates/health"' in page
    trainee_client = client.application.test_client()
    login(trainee_client, make.trainee_user())
    assert 'href="/me/certificate"' in trainee_client.get("/me/certificate").get_data(as_text=True)


@pytest.mark.parametrize("role", ROLES)
def test_area_permission_matrix(app, make, role):
    """This area's routes × roles, with the rules of tests/test_permissions.py."""
    endpoints = set(certificates_matrix.EXPECTED) | set(public_matrix.EXPECTED)
    failures = matrix_failures(app, make, role, endpoints=endpoints)
    assert not failures, "\n".join(failures)
