"""The shared picture checks (traincenter.images): each bad photo is refused with a clear message,
a good one becomes an upright, 3:4, metadata-free JPEG."""

from __future__ import annotations

import io
import struct

import pytest
from PIL import Image

from traincenter import images, rules

from . import images as pictures


def _refusal(data: bytes) -> str:
    with pytest.raises(images.ImageRefused) as refused:
        images.passport_photo(data)
    assert refused.value.field == "photo"
    return str(refused.value)


def test_a_pdf_renamed_jpg_is_refused_as_a_pdf():
    message = _refusal(pictures.pdf_named_jpg())
    assert "PDF" in message and "不是照片" in message and "JPG" in message


def test_a_50_mb_image_is_refused_by_its_size_before_it_is_decoded(monkeypatch):
    data = pictures.huge_png(50)
    assert len(data) > 50 * rules.MB
    monkeypatch.setattr(images.Image, "open", lambda *a, **k: pytest.fail("decoded a 50 MB file"))
    message = _refusal(data)
    assert "50.2 MB" in message and "最多 5 MB" in message


def test_a_decompression_bomb_is_refused_from_its_header(monkeypatch):
    data = pictures.decompression_bomb()
    assert len(data) < 200 * 1024  # a hundred kilobytes …
    assert struct.unpack(">II", data[16:24]) == (30000, 30000)  # … claiming 900 million pixels
    loaded = []
    real_load = Image.Image.load
    monkeypatch.setattr(Image.Image, "load", lambda self: loaded.append(self) or real_load(self))
    message = _refusal(data)
    assert "解压" in message and "已拒收" in message
    assert not loaded, "the bomb's pixels were decoded"


def test_a_bomb_within_pillows_own_limit_is_refused_by_ours():
    data = pictures.decompression_bomb(side=8000)  # 64 MP: below Pillow's 89 MP warning
    assert rules.PHOTO_MAX_PIXELS < 8000 * 8000 < Image.MAX_IMAGE_PIXELS
    assert "解压" in _refusal(data)


def test_a_bomb_beyond_pillows_own_limit_is_refused_the_same_way():
    message = _refusal(pictures.decompression_bomb(side=20000))  # 400 MP: Pillow itself refuses
    assert "解压" in message


def test_a_photo_with_a_rotated_exif_orientation_comes_out_upright_and_stripped():
    source = pictures.rotated_exif_jpeg()
    assert Image.open(io.BytesIO(source)).getexif().get(0x0112) == 6
    result = images.passport_photo(source)
    photo = Image.open(io.BytesIO(result))
    assert photo.format == "JPEG"
    assert photo.size == (600, 800)  # upright (portrait) and 3:4
    top, bottom = photo.getpixel((300, 40)), photo.getpixel((300, 760))
    assert top[0] > 180 and top[2] < 80, top  # red above …
    assert bottom[2] > 180 and bottom[0] < 80, bottom  # … blue below, as the camera saw it
    assert not photo.getexif()  # no orientation left to apply twice, no GPS, no camera
    assert b"Exif" not in result and b"PhoneMaker" not in result
    assert "icc_profile" not in photo.info and "xmp" not in photo.info


@pytest.mark.parametrize(("size", "expected"), [((1200, 900), (600, 800)), ((900, 1600), (600, 800)),
                                                ((300, 400), (300, 400)), ((700, 700), (525, 700))])
def test_every_photo_is_cut_to_three_by_four(size, expected):
    photo = Image.open(io.BytesIO(images.passport_photo(pictures.jpeg(*size))))
    assert photo.size == expected
    assert photo.width * 4 == photo.height * 3


def test_png_and_webp_are_accepted_and_transparency_becomes_white():
    photo = Image.open(io.BytesIO(images.passport_photo(
        pictures.png(600, 800, mode="RGBA", colour=(0, 0, 0, 0)))))
    assert photo.format == "JPEG" and photo.getpixel((10, 10)) == (255, 255, 255)
    out = io.BytesIO()
    Image.new("RGB", (600, 800), (10, 120, 10)).save(out, "WEBP")
    assert Image.open(io.BytesIO(images.passport_photo(out.getvalue()))).size == (600, 800)


@pytest.mark.parametrize(("data", "words"), [
    (b"", "空"),
    (b"GIF89a" + b"\x00" * 40, "GIF"),
    (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 40, "HEIC"),
    ("张三的照片".encode(), "不是照片"),
    (pictures.jpeg()[:600], "损坏"),  # cut off in the middle of the upload
    (pictures.jpeg(120, 160), "太小"),
])
def test_other_bad_files_each_get_their_own_message(data, words):
    assert words in _refusal(data)


def test_the_type_is_read_from_the_content_not_the_name():
    assert images.sniff(pictures.png()) == "PNG"
    assert images.sniff(pictures.jpeg()) == "JPEG"
    assert images.sniff(pictures.pdf_named_jpg()) == "PDF"
