"""The browser set-up itself: the live server answers, CSRF tokens round-trip, the phone fits."""

from __future__ import annotations

import pytest

from .conftest import log_in, no_horizontal_scroll

pytestmark = pytest.mark.browser


def test_login_page_in_chinese_fits_a_phone_and_logging_in_works(live, world, phone):
    with live.context():
        world.user("staff", username="jiaowu1")
    phone.goto("/auth/login")
    assert "登录" in phone.title() or "登录" in phone.locator("h1").inner_text()
    assert no_horizontal_scroll(phone)
    log_in(phone, "jiaowu1", "wrong-password")
    assert "密码" in phone.locator("body").inner_text()  # the Chinese refusal
    log_in(phone, "jiaowu1")
    assert "/auth/login" not in phone.url
    assert phone.console_errors == []
