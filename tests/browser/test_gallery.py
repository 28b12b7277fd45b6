"""The page gallery (issue 14): every page of every role, at 360 px and at 1280 px, in Chinese.

On the demo data, each role logs in once; every GET page of the app (``gallery.pages``) that the
role may open is shown at both widths and saved as a full-page PNG under
``build/screens/<role>/<width>/<endpoint>.png`` for a reviewer. Three things fail the gallery,
all listed together at the end: the page scrolls sideways, a text stands one CJK character per
line, English words remain on the Chinese page.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

from traincenter.demo import seed_demo

from . import gallery
from .conftest import CHROMIUM_ARGS  # noqa: F401 - the same browser as the other journeys

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
HTML = "text/html"
UNSHOWN = ("redirect", "403")  # not a page of this role


def _context(chromium, live, width: int, storage_state=None):
    """A Chinese browser context at ``width`` (a phone with touch at 360 px)."""
    phone = width < 600
    context = chromium.new_context(
        base_url=live.base_url, locale="zh-CN", storage_state=storage_state,
        viewport={"width": width, "height": 740 if phone else 800},
        is_mobile=phone, has_touch=phone, device_scale_factor=1)
    context.set_default_timeout(15000)
    return context


def _log_in(page, role: str) -> None:
    """Log in with the demo account of ``role``; choose Chinese explicitly."""
    page.goto("/lang/zh_Hans_CN", wait_until="domcontentloaded")
    if role == "anonymous":
        return
    username, password = gallery.DEMO_LOGINS[role]
    page.goto("/auth/login", wait_until="domcontentloaded")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("form:has(input[name=login]) [type=submit]").first.click()
    assert "/auth/login" not in page.url, f"{role} could not log in"


def _open(page, address: str, spent: dict[str, float]) -> str | None:
    """Open ``address``; None when it is a page of this role, else why it is not (a redirect,
    403, a file). Adds the seconds to ``spent``."""
    started = time.perf_counter()
    try:
        response = page.goto(address, wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return "a download"
        raise
    finally:
        spent["open"] += time.perf_counter() - started
    if response.request.redirected_from is not None:
        return "redirect"
    if response.status == 403:
        return "403"
    if response.status != 200:
        return f"answered {response.status}"
    if not response.headers.get("content-type", "").startswith(HTML):
        return "not HTML"
    return None


def _check(page, spent: dict[str, float]) -> dict:
    """The three checks, run in the page."""
    started = time.perf_counter()
    result = page.evaluate(gallery.CHECKS, sorted(gallery.ALLOWED_WORDS))
    spent["check"] += time.perf_counter() - started
    return result


def _findings(where: str, result: dict, english: bool) -> list[str]:
    """The check results as lines of the report."""
    lines = []
    if result["overflow"]:
        o = result["overflow"]
        lines.append(f"{where} scrolls sideways: {o['scrollWidth']} > {o['width']} px, "
                     f"widest {o['element']}")
    lines += [f"{where} one character per line: {text}" for text in result["oneChar"]]
    if english:
        lines += [f"{where} English: {text}" for text in result["english"]]
    return lines


def test_every_page_of_every_role_at_phone_and_desktop_width(live, chromium):
    started = time.perf_counter()
    with live.context():
        seed_demo(trainees=40, echo=lambda _message: None)
        ids = {role: gallery.demo_ids(role) for role in gallery.ROLES}
    findings: list[str] = []
    counted = 0
    spent = {"open": 0.0, "check": 0.0, "screenshot": 0.0}
    # The stylesheet and scripts come from the browser's cache, as for a person clicking around.
    max_age = live.app.config.get("SEND_FILE_MAX_AGE_DEFAULT")
    live.app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    try:
        for role in gallery.ROLES:
            addresses, missing = gallery.pages(live.app, ids[role])
            findings += [f"[{role}] {line}" for line in missing]
            storage = None
            for width in reversed(gallery.WIDTHS):  # log in at 1280 px, reuse it at 360 px
                context = _context(chromium, live, width, storage)
                page = context.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda error, found=errors: found.append(str(error)))
                if storage is None:
                    _log_in(page, role)
                    storage = context.storage_state()
                folder = SCREENS / role / str(width)
                folder.mkdir(parents=True, exist_ok=True)
                shown = {}
                for endpoint, address in addresses.items():
                    refused = _open(page, address, spent)
                    if refused:
                        if refused not in UNSHOWN:
                            findings.append(f"[{role}] {address}: {refused}")
                        continue
                    shown[endpoint] = address
                    result = _check(page, spent)
                    started_shot = time.perf_counter()
                    page.screenshot(path=str(folder / f"{endpoint}.png"), full_page=True)
                    spent["screenshot"] += time.perf_counter() - started_shot
                    findings += _findings(f"[{role} {width}px] {address}", result,
                                          english=width == gallery.WIDTHS[-1])
                addresses = shown  # the other width shows the pages found at this one
                counted += len(shown)
                findings += [f"[{role} {width}px] script error: {e}" for e in errors]
                context.close()
    finally:
        live.app.config["SEND_FILE_MAX_AGE_DEFAULT"] = max_age
        live.clean()
    print(f"\ngallery: {counted} page views in {time.perf_counter() - started:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in spent.items()) + f"); screenshots in {SCREENS}")
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)
