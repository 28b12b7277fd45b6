"""Photos of self-study work (issue 16): checked by Pillow from their content, limited in size,
EXIF stripped, kept outside the web root, shown only to the trainee herself and to her teachers."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from traincenter import images, rules
from traincenter.extensions import db
from traincenter.models import SelfStudyLog

from .conftest import login

ZH = {"Accept-Language": "zh-CN"}
GPS_TAG, MODEL_TAG, ORIENTATION_TAG = 0x8825, 0x0110, 0x0112


def _jpeg(size=(400, 300), colour="red", orientation: int | None = None, gps=True) -> bytes:
    image = Image.new("RGB", size, colour)
    exif = Image.Exif()
    exif[MODEL_TAG] = "Cheap Phone X1"
    if gps:
        exif[GPS_TAG] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    if orientation:
        exif[ORIENTATION_TAG] = orientation
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 255, 0)).save(out, format="PNG")
    return out.getvalue()


# -- the shared checks (traincenter.images) ---------------------------------------------------


def test_a_phone_photo_is_kept_as_jpeg_without_exif():
    original = _jpeg()
    assert Image.open(io.BytesIO(original)).getexif().get(MODEL_TAG) == "Cheap Phone X1"
    cleaned = images.clean_photo(original, rules.ImageLimits())
    image = Image.open(io.BytesIO(cleaned))
    assert image.format == "JPEG" and image.size == (400, 300)
    assert not image.getexif() and "exif" not in image.info
    assert b"Cheap Phone" not in cleaned


def test_the_photo_is_turned_upright_and_scaled_down():
    rotated = _jpeg(size=(400, 300), orientation=6)  # the phone was held sideways
    assert Image.open(io.BytesIO(images.clean_photo(rotated))).size == (300, 400)
    big = _jpeg(size=(4000, 3000), gps=False)
    limits = rules.ImageLimits()
    assert max(Image.open(io.BytesIO(images.clean_photo(big, limits))).size) == limits.max_side


def test_a_transparent_png_becomes_a_jpeg_on_white():
    image = Image.open(io.BytesIO(images.clean_photo(_png_with_alpha())))
    assert image.format == "JPEG" and image.mode == "RGB"
    assert image.getpixel((10, 10)) == (255, 255, 255)


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"GIF89a" + b"\x00" * 100, "not_a_photo"),
    (b"<html><script>alert(1)</script></html>", "not_a_photo"),
    (b"%PDF-1.7\n" + b"x" * 100, "not_a_photo"),
])
def test_what_is_not_a_photo_is_refused_by_its_content(data, code):
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_photo(data)
    assert refused.value.code == code


def test_a_gif_is_refused_even_though_pillow_reads_it():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, format="GIF")
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_photo(out.getvalue())
    assert refused.value.code == "not_a_photo"


def test_too_many_bytes_or_pixels_or_a_truncated_file_is_refused():
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_photo(_jpeg(), rules.ImageLimits(max_bytes=100))
    assert refused.value.code == "too_large"
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_photo(_jpeg(size=(400, 300)), rules.ImageLimits(max_pixels=400 * 299))
    assert refused.value.code == "too_many_pixels"
    noisy = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(noisy, format="JPEG")
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_photo(noisy.getvalue()[: len(noisy.getvalue()) // 2])
    assert refused.value.code == "broken"


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # A tiny PNG that claims 20000 × 20000 pixels (400 million): refused from its header.
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, format="PNG")
    assert len(out.getvalue()) < 200_000
    with pytest.raises(images.ImageRefused) as refused:
        images.clean_photo(out.getvalue())
    assert refused.value.code == "too_many_pixels"


def test_stored_photos_live_in_the_upload_folder_not_the_web_root(app):
    name = images.store_photo("self_study", images.clean_photo(_jpeg()))
    path = images.photo_path("self_study", name)
    static = Path(app.static_folder).resolve()
    assert path.is_file() and static not in path.resolve().parents
    assert Path(app.config["UPLOAD_FOLDER"]).resolve() in path.resolve().parents
    assert images.photo_path("self_study", "../../etc/passwd") is None
    images.delete_photo("self_study", name)
    assert images.photo_path("self_study", name) is None


# -- the trainee's hours page -----------------------------------------------------------------


@pytest.fixture
def trainee_in_class(make):
    teacher = make.user("instructor")
    training_class = make.training_class(instructors=[teacher])
    user = make.trainee_user()
    enrolment = make.enrolment(user.trainee, training_class)
    return {"user": user, "enrolment": enrolment, "teacher": teacher}


def _log(client, enrolment, photo: bytes | None, name="work.jpg", **overrides):
    data = {"enrolment": str(enrolment.id), "studied_on": date.today().isoformat(),
            "hours": "2", "content": "练习叠衣服"}
    data.update(overrides)
    if photo is not None:
        data["photo"] = (io.BytesIO(photo), name)
    return client.post("/me/hours", data=data, headers=ZH, content_type="multipart/form-data")


def test_she_logs_self_study_with_a_photo_that_only_she_and_her_teachers_see(
        client, other_client, make, trainee_in_class):
    login(client, trainee_in_class["user"])
    page = client.get("/me/hours", headers=ZH).get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and 'accept="image/*"' in page
    assert _log(client, trainee_in_class["enrolment"], _jpeg()).status_code == 302
    log = db.session.scalar(select(SelfStudyLog))
    assert log.status == "pending" and log.photo
    own = client.get(f"/me/hours/photo/{log.id}")
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert b"Cheap Phone" not in own.data and "no-store" in own.headers["Cache-Control"]
    assert f"/me/hours/photo/{log.id}" in client.get("/me/hours").get_data(as_text=True)
    # her teacher sees it in the queue and opens it
    login(other_client, trainee_in_class["teacher"])
    queue = other_client.get("/training/self-study").get_data(as_text=True)
    assert f"/training/self-study/{log.id}/photo" in queue
    assert other_client.get(f"/training/self-study/{log.id}/photo").status_code == 200
    # and staff verify it as today
    assert other_client.post(f"/training/self-study/{log.id}",
                             data={"action": "verify"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(SelfStudyLog, log.id).status == "verified"


def test_nobody_else_sees_the_photo(app, make, trainee_in_class, client):
    login(client, trainee_in_class["user"])
    _log(client, trainee_in_class["enrolment"], _jpeg())
    log = db.session.scalar(select(SelfStudyLog))
    for user, path, expected in (
        (make.trainee_user(), f"/me/hours/photo/{log.id}", 404),
        (make.user("instructor"), f"/training/self-study/{log.id}/photo", 403),
    ):
        other = app.test_client()
        login(other, user)
        assert other.get(path).status_code == expected
    assert app.test_client().get(f"/me/hours/photo/{log.id}").status_code == 302  # to log in
    assert app.test_client().get(f"/static/../instance/uploads/{log.photo}").status_code == 404


def test_a_bad_photo_saves_nothing_and_keeps_what_she_typed(client, trainee_in_class):
    login(client, trainee_in_class["user"])
    response = _log(client, trainee_in_class["enrolment"], b"not an image at all", name="x.jpg",
                    content="背诵服务礼仪第三章")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "不是照片" in page
    assert "背诵服务礼仪第三章" in page
    assert db.session.scalar(select(SelfStudyLog.id)) is None


def test_without_a_photo_it_works_as_before(client, trainee_in_class):
    login(client, trainee_in_class["user"])
    assert _log(client, trainee_in_class["enrolment"], None).status_code == 302
    assert db.session.scalar(select(SelfStudyLog.photo)) is None


def test_a_photo_over_the_limit_is_refused_with_the_limit_in_words(client, app, trainee_in_class):
    app.config["WORK_PHOTO_MAX_MB"] = 0  # every photo is too large
    login(client, trainee_in_class["user"])
    page = _log(client, trainee_in_class["enrolment"], _jpeg()).get_data(as_text=True)
    assert "最多 0 MB" in page
    assert db.session.scalar(select(SelfStudyLog.id)) is None
