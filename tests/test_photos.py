"""The trainee's photo through the pages: staff upload it, the trainee takes it with her phone,
it is served only to staff and to her, printed on the certificate and the work card, and shown on
the public verify page only when she consented to public listing."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from pypdf import PdfReader
from werkzeug.test import EnvironBuilder

from traincenter import settings
from traincenter.certificates import pdf
from traincenter.extensions import db
from traincenter.models import Trainee
from traincenter.models.base import utcnow

from . import images as pictures
from .conftest import login
from .pdftext import pdftotext


def _post_file(client, url, data: bytes, name: str, follow_redirects: bool = False):
    """POST a file; the multipart body the test client spools to a temporary file (above 500 KB)
    is closed here, as a browser's connection would be."""
    builder = EnvironBuilder(path=url, method="POST", data={"photo": (io.BytesIO(data), name)})
    environ = builder.get_environ()
    try:
        return client.open(environ, follow_redirects=follow_redirects)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def _upload(client, url, data: bytes, name="photo.jpg"):
    return _post_file(client, url, data, name, follow_redirects=True)


def _trainee(trainee_id) -> Trainee:
    db.session.expire_all()
    return db.session.get(Trainee, trainee_id)


def test_staff_upload_a_photo_that_is_checked_cut_and_served_to_staff(client, make):
    trainee = make.trainee(name="周凤珍")
    login(client, make.user("staff"))
    form = client.get(f"/trainees/{trainee.id}/photo").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and 'type="file"' in form
    assert "暂无照片" in form
    page = _upload(client, f"/trainees/{trainee.id}/photo", pictures.rotated_exif_jpeg())
    assert "照片已保存" in page.get_data(as_text=True)
    name = _trainee(trainee.id).photo_file
    stored = (settings.upload_folder() / "portraits") / name
    assert stored.is_file() and not str(stored).startswith(str((settings.upload_folder() / "portraits").parent / "static"))
    served = client.get(f"/trainees/{trainee.id}/photo.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "no-store"
    photo = Image.open(io.BytesIO(served.data))
    assert photo.size == (600, 800) and not photo.getexif()
    detail = client.get(f"/trainees/{trainee.id}").get_data(as_text=True)
    assert f"/trainees/{trainee.id}/photo.jpg" in detail


def test_a_replaced_photo_leaves_no_old_file_and_removal_brings_the_placeholder_back(client, make):
    trainee = make.trainee()
    login(client, make.user("staff"))
    _upload(client, f"/trainees/{trainee.id}/photo", pictures.jpeg())
    first = _trainee(trainee.id).photo_file
    _upload(client, f"/trainees/{trainee.id}/photo", pictures.png(900, 1200))
    second = _trainee(trainee.id).photo_file
    assert first != second
    assert not ((settings.upload_folder() / "portraits") / first).exists() and ((settings.upload_folder() / "portraits") / second).exists()
    page = client.post(f"/trainees/{trainee.id}/photo/delete", follow_redirects=True)
    assert "照片已删除" in page.get_data(as_text=True)
    assert _trainee(trainee.id).photo_file is None
    assert not ((settings.upload_folder() / "portraits") / second).exists()
    assert client.get(f"/trainees/{trainee.id}/photo.jpg").status_code == 404


@pytest.mark.parametrize(("make_data", "name", "words"), [
    (pictures.pdf_named_jpg, "photo.jpg", "这是 PDF 文档，不是照片"),
    (lambda: pictures.decompression_bomb(), "photo.png", "解压炸弹"),
    (lambda: b"\x00\x00\x00\x18ftypheic" + b"\x00" * 64, "IMG_0001.HEIC", "HEIC"),
])
def test_a_bad_photo_is_refused_on_the_form_and_nothing_changes(client, make, make_data, name,
                                                                 words):
    trainee = make.trainee()
    login(client, make.user("staff"))
    before = set((settings.upload_folder() / "portraits").iterdir())
    page = _upload(client, f"/trainees/{trainee.id}/photo", make_data(), name=name)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and words in html and 'role="alert"' in html
    assert _trainee(trainee.id).photo_file is None
    assert set((settings.upload_folder() / "portraits").iterdir()) == before


def test_a_50_mb_photo_is_refused_with_the_photo_limit(client, make):
    trainee = make.trainee()
    login(client, make.user("staff"))
    data = pictures.huge_png(50)
    response = _post_file(client, f"/trainees/{trainee.id}/photo", data, "big.png")
    assert response.status_code == 302 and response.headers["Location"].endswith("/photo")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "照片太大：最多 5 MB" in page
    assert _trainee(trainee.id).photo_file is None


def test_a_photo_between_the_photo_limit_and_the_request_limit_says_its_size(client, make):
    trainee = make.trainee()
    login(client, make.user("staff"))
    page = _upload(client, f"/trainees/{trainee.id}/photo", pictures.huge_png(7)).get_data(
        as_text=True)
    assert re.search(r"照片有 7\.\d MB，最多 5 MB", page)


def test_the_trainee_takes_her_photo_with_the_phone_camera(client, make):
    user = make.trainee_user()
    login(client, user)
    form = client.get("/me/photo").get_data(as_text=True)
    assert 'accept="image/*"' in form and 'capture="user"' in form
    page = _upload(client, "/me/photo", pictures.jpeg(1080, 1920)).get_data(as_text=True)
    assert "照片已保存" in page
    mine = client.get("/me/photo.jpg")
    assert mine.status_code == 200 and Image.open(io.BytesIO(mine.data)).size == (600, 800)
    assert "/me/photo.jpg" in client.get("/me/certificate").get_data(as_text=True)


def test_nobody_else_sees_a_photo(client, other_client, make):
    owner = make.trainee_user()
    login(client, make.user("staff"))
    _upload(client, f"/trainees/{owner.trainee_id}/photo", pictures.jpeg())
    other = make.trainee_user()
    login(other_client, other)
    assert other_client.get(f"/trainees/{owner.trainee_id}/photo.jpg").status_code == 403
    assert other_client.get("/me/photo.jpg").status_code == 404  # her own: she has none
    instructor = make.user("instructor")
    other_client.post("/auth/logout")
    login(other_client, instructor)
    assert other_client.get(f"/trainees/{owner.trainee_id}/photo.jpg").status_code == 403
    other_client.post("/auth/logout")
    assert other_client.get(f"/trainees/{owner.trainee_id}/photo.jpg").status_code == 302
    photo_path = f"/static/../instance/photos/{_trainee(owner.trainee_id).photo_file}"
    assert other_client.get(photo_path).status_code == 404


def test_once_certified_the_trainee_asks_the_center_to_change_her_photo(client, other_client,
                                                                        make):
    certificate = make.certified(with_login=True)
    trainee = certificate.trainee
    login(client, trainee.user)
    _upload(client, "/me/photo", pictures.jpeg())  # her first photo, after certification: fine
    first = _trainee(trainee.id).photo_file
    assert first
    page = client.get("/me/photo").get_data(as_text=True)
    assert "请到培训中心办理" in page and 'type="file"' not in page
    refused = _upload(client, "/me/photo", pictures.png(900, 1200)).get_data(as_text=True)
    assert "请到培训中心办理" in refused
    assert _trainee(trainee.id).photo_file == first
    login(other_client, make.user("staff"))
    _upload(other_client, f"/trainees/{trainee.id}/photo", pictures.png(900, 1200))
    assert _trainee(trainee.id).photo_file != first


def _images_in(data: bytes) -> list[tuple[int, int]]:
    reader = PdfReader(io.BytesIO(data))
    return [(image.image.width, image.image.height) for page in reader.pages for image in page.images]


def _pdf_text(data: bytes) -> str:
    return pdftotext(data, "-layout")


def test_the_photo_prints_on_the_certificate_and_the_work_card(client, make):
    certificate = make.certified()
    without_card = pdf.work_card_pdf(certificate)
    assert "照片" in _pdf_text(without_card)  # the box to glue a photo in
    without_certificate = pdf.certificates_pdf([certificate])
    login(client, make.user("staff"))
    _upload(client, f"/trainees/{certificate.trainee_id}/photo", pictures.jpeg())
    db.session.expire_all()
    card = pdf.work_card_pdf(certificate)
    assert (600, 800) in _images_in(card) and (600, 800) not in _images_in(without_card)
    assert "照片" not in _pdf_text(card)
    printed = client.get(f"/certificates/{certificate.id}/certificate.pdf").data
    assert (600, 800) in _images_in(printed)
    assert (600, 800) not in _images_in(without_certificate)


def test_public_verification_shows_the_photo_only_with_consent(client, other_client, make):
    listed = make.certified(consents_to_listing=True)
    private = make.certified(consents_to_listing=False)
    login(other_client, make.user("staff"))
    for certificate in (listed, private):
        _upload(other_client, f"/trainees/{certificate.trainee_id}/photo", pictures.jpeg())
    page = client.get(f"/verify/{listed.verification_code}").get_data(as_text=True)
    assert f"/verify/{listed.verification_code}/photo.jpg" in page
    photo = client.get(f"/verify/{listed.verification_code}/photo.jpg")
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert client.get(f"/api/v1/verify/{listed.verification_code}").json["has_photo"] is True
    page = client.get(f"/verify/{private.verification_code}").get_data(as_text=True)
    assert "photo.jpg" not in page
    assert client.get(f"/verify/{private.verification_code}/photo.jpg").status_code == 404
    assert client.get(f"/api/v1/verify/{private.verification_code}").json["has_photo"] is False
    assert client.get("/verify/no-such-code/photo.jpg").status_code == 404
    listed.revoked_at, listed.revocation_reason = utcnow(), "测试撤销"
    db.session.commit()
    assert client.get(f"/verify/{listed.verification_code}/photo.jpg").status_code == 404
