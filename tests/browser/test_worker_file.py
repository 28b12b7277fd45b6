"""The worker's file in a real browser: a trainee takes her photo on a 360-px phone (a big camera
file is made smaller in the browser first), and staff take a fee and open its receipt."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
from PIL import Image
from sqlalchemy import select

from traincenter.extensions import db
from traincenter.models import FeeEntry, Trainee

from ..images import rotated_exif_jpeg
from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser


def _ok(page) -> None:
    """No server error page, no JavaScript error and no failed request of the page (the browser's
    own favicon request, which the app does not serve, is not one)."""
    assert "服务器出错" not in page.content()
    errors = [e for e in page.console_errors if not e.startswith("Failed to load resource")]
    assert errors == [] and page.failed_urls == [], (errors, page.failed_urls)


def _watch(page) -> None:
    page.failed_urls = []
    page.on("response", lambda r: page.failed_urls.append(r.url) if r.status >= 400 else None)


def _camera_photo(megabytes: float) -> bytes:
    """A camera-like JPEG of about ``megabytes`` MB (noise does not compress)."""
    side = int((megabytes * 1024 * 1024) ** 0.5)  # about one byte a pixel at quality 95
    noise = Image.effect_noise((side, side), 90).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_a_trainee_takes_her_photo_on_a_phone(live, world, phone):
    with live.context():
        user = world.trainee_user(name="孙玉兰")
        trainee_id = user.trainee_id

    _watch(phone)
    log_in(phone, user.username)
    phone.goto("/me/")
    _ok(phone)
    phone.get_by_role("link", name="拍证件照").click()
    phone.wait_for_load_state()
    camera = phone.locator("input[type=file]")
    assert camera.get_attribute("capture") == "user" and camera.get_attribute("accept") == "image/*"
    assert phone.get_by_role("button", name="改为从相册选择").is_visible()
    assert no_horizontal_scroll(phone)

    big = _camera_photo(6.5)
    assert len(big) > 5 * 1024 * 1024
    camera.set_input_files({"name": "IMG_20261129.jpg", "mimeType": "image/jpeg", "buffer": big})
    preview = phone.locator("[data-photo-preview]")
    preview.wait_for(state="visible")
    # The browser makes a smaller copy of a file above 5 MB before it is sent.
    phone.wait_for_function("""() => {
        const input = document.querySelector('input[type=file]');
        return input.files.length && input.files[0].size < 5 * 1024 * 1024; }""")
    phone.get_by_role("button", name="保存照片").click()
    phone.wait_for_load_state()
    _ok(phone)
    assert "照片已保存" in phone.content()
    with live.context():
        assert db.session.get(Trainee, trainee_id).photo_file

    camera = phone.locator("input[type=file]")
    camera.set_input_files({"name": "sideways.jpg", "mimeType": "image/jpeg",
                            "buffer": rotated_exif_jpeg()})
    phone.get_by_role("button", name="保存照片").click()
    phone.wait_for_load_state()
    served = phone.request.get("/me/photo.jpg")
    photo = Image.open(io.BytesIO(served.body()))
    assert photo.size == (600, 800)
    top = photo.getpixel((300, 40))
    assert top[0] > 180 and top[2] < 80  # upright: red above, as the camera saw it

    camera.set_input_files({"name": "photo.jpg", "mimeType": "image/jpeg",
                            "buffer": b"%PDF-1.4 not a photo at all"})
    phone.get_by_role("button", name="保存照片").click()
    phone.wait_for_load_state()
    assert "这是 PDF 文档，不是照片" in phone.content()


def test_staff_take_a_fee_and_print_its_receipt(live, world, page):
    with live.context():
        staff = world.user("staff", display_name="李会计")
        enrolment = world.enrolment(world.trainee(name="钱桂芳"))
        enrolment_id, trainee_id, username = enrolment.id, enrolment.trainee_id, staff.username

    _watch(page)
    log_in(page, username)
    page.goto(f"/trainees/{trainee_id}")
    _ok(page)
    page.get_by_role("link", name=re.compile("尚欠 1,300.00 元")).click()
    page.wait_for_load_state()
    assert page.locator("input[name=amount]").input_value() == "1300.00"
    page.locator("input[name=amount]").fill("1000")
    page.locator("select[name=method]").select_option("wechat")
    page.get_by_role("button", name="登记并生成收据号").click()
    page.wait_for_load_state()
    _ok(page)
    assert "已登记，凭证号" in page.content()
    with live.context():
        entry = db.session.scalar(select(FeeEntry).where(FeeEntry.enrolment_id == enrolment_id))
        number = entry.receipt_number
    response = page.request.get(f"/fees/entries/{entry.id}/receipt.pdf")  # the tab's session
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=response.body(),
                          capture_output=True, check=True).stdout.decode()
    assert number in text and "人民币壹仟元整" in text and "尚欠 300.00 元" in text

    page.locator(".ledger-actions details summary").first.click()
    page.locator(".ledger-actions textarea").first.fill("金额登记错误")
    with page.expect_navigation():
        page.get_by_role("button", name=f"冲正 {number}").click()
    _ok(page)
    assert f"凭证 {number} 已由" in page.content()
    assert "1,300.00" in page.locator(".tiles").inner_text()  # owed again, in full

