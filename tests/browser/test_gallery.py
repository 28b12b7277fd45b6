"""The page gallery (issue 14): every page of every role, at 360 px and at 1280 px, in Chinese.

On the demo data, each role logs in once; every GET page of the app (``gallery.pages``) that the
role may open is shown at both widths and saved as a full-page PNG under
``build/screens/<role>/<width>/<endpoint>.png`` for a reviewer. Three things fail the gallery,
all listed together at the end: the page scrolls sideways, a text stands one CJK character per
line, English words remain on the Chinese page.

One browser, one context per role and width; two roles are walked at a time (the two cores
share the work: one renders a page while the other draws a screenshot), which is why this test
uses Playwright's async API, in a thread of its own.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.async_api import Error as PlaywrightError
from playwright.async_api import async_playwright

from traincenter.demo import seed_demo

from . import gallery
from .conftest import CHROMIUM, CHROMIUM_ARGS, _fontconfig

pytestmark = pytest.mark.browser

SCREENS = Path(__file__).resolve().parents[2] / "build" / "screens"
HTML = "text/html"
# Roles walked side by side, about the same number of pages each (staff and admin see most).
LANES = (("admin", "anonymous"), ("staff", "instructor", "trainee"))


class Walk:
    """What the walk found: findings, page views and where the time went."""

    def __init__(self):
        self.findings: list[str] = []
        self.views = 0
        self.spent = {"open": 0.0, "check": 0.0, "screenshot": 0.0}

    def timed(self, key: str, began: float) -> None:
        self.spent[key] += time.perf_counter() - began


async def _context(browser, live, width: int, storage_state=None):
    """A Chinese browser context at ``width`` (a phone with touch at 360 px)."""
    phone = width < 600
    context = await browser.new_context(
        base_url=live.base_url, locale="zh-CN", storage_state=storage_state,
        viewport={"width": width, "height": 740 if phone else 800},
        is_mobile=phone, has_touch=phone, device_scale_factor=1)
    context.set_default_timeout(15000)
    return context


async def _log_in(page, role: str) -> None:
    """Choose Chinese explicitly; log in with the demo account of ``role``."""
    await page.goto("/lang/zh_Hans_CN", wait_until="domcontentloaded")
    if role == "anonymous":
        return
    username, password = gallery.DEMO_LOGINS[role]
    await page.goto("/auth/login", wait_until="domcontentloaded")
    await page.locator("input[name=login]").fill(username)
    await page.locator("input[name=password]").fill(password)
    async with page.expect_navigation(wait_until="domcontentloaded"):
        await page.locator("form:has(input[name=login]) [type=submit]").first.click()
    assert "/auth/login" not in page.url, f"{role} could not log in"


async def _open(page, address: str) -> str | None:
    """Open ``address``: None when it is the page found by ``_pages_of``, else what it was."""
    try:
        response = await page.goto(address, wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return "a download"
        raise
    if response.request.redirected_from is not None:
        return "redirect"
    if response.status == 403:
        return "403"
    if response.status != 200:
        return f"answered {response.status}"
    if not (await response.all_headers()).get("content-type", "").startswith(HTML):
        return "not HTML"
    return None


async def _pages_of(context, role: str, addresses: dict[str, str], walk: Walk) -> dict[str, str]:
    """The addresses this role may open as a page: asked without a browser tab (a redirect or a
    403 costs no rendering); anything but a page, a redirect or 403 is a finding."""
    shown = {}
    for endpoint, address in addresses.items():
        response = await context.request.get(address, max_redirects=0)
        if response.status == 200 and response.headers.get("content-type", "").startswith(HTML):
            shown[endpoint] = address
        elif response.status not in (301, 302, 303, 403):
            walk.findings.append(f"[{role}] {address}: answered {response.status} "
                                 f"{response.headers.get('content-type', '')}")
        await response.dispose()
    return shown


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


async def _walk_role(browser, live, role: str, addresses: dict[str, str], walk: Walk) -> None:
    """Every page of ``role`` at 1280 px (logging in once), then at 360 px."""
    storage = None
    for width in reversed(gallery.WIDTHS):
        context = await _context(browser, live, width, storage)
        page = await context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error, found=errors: found.append(str(error)))
        if storage is None:
            await _log_in(page, role)
            storage = await context.storage_state()
            addresses = await _pages_of(context, role, addresses, walk)
        folder = SCREENS / role / str(width)
        folder.mkdir(parents=True, exist_ok=True)
        shown = {}
        for endpoint, address in addresses.items():
            began = time.perf_counter()
            refused = await _open(page, address)
            walk.timed("open", began)
            if refused:
                walk.findings.append(f"[{role} {width}px] {address}: {refused}")
                continue
            shown[endpoint] = address
            began = time.perf_counter()
            result = await page.evaluate(gallery.CHECKS, sorted(gallery.ALLOWED_WORDS))
            walk.timed("check", began)
            began = time.perf_counter()
            await page.screenshot(path=str(folder / f"{endpoint}.png"), full_page=True)
            walk.timed("screenshot", began)
            walk.findings += _findings(f"[{role} {width}px] {address}", result,
                                       english=width == gallery.WIDTHS[-1])
        walk.views += len(shown)
        walk.findings += [f"[{role} {width}px] script error: {e}" for e in errors]
        await context.close()


async def _walk(live, addresses: dict[str, dict[str, str]], fonts: Path) -> Walk:
    """Both lanes on one browser."""
    walk = Walk()

    async def lane(browser, roles):
        for role in roles:
            await _walk_role(browser, live, role, addresses[role], walk)

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            # --lang: the browser's own controls (file and date inputs) in Chinese, as on a
            # Chinese phone (Debian's chromium-l10n; .ci/run installs it); the pages' language
            # comes from the context's locale.
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--lang=zh-CN"],
            env={**_fontconfig(fonts), "LANGUAGE": "zh_CN"})
        try:
            await asyncio.gather(*(lane(browser, roles) for roles in LANES))
        finally:
            await browser.close()
    return walk


def test_every_page_of_every_role_at_phone_and_desktop_width(live, tmp_path):
    started = time.perf_counter()
    assert sorted(role for lane in LANES for role in lane) == sorted(gallery.ROLES)
    findings: list[str] = []
    addresses = {}
    # The stylesheet and scripts come from the browser's cache, as for a person clicking around.
    max_age = live.app.config.get("SEND_FILE_MAX_AGE_DEFAULT")
    live.app.config["SEND_FILE_MAX_AGE_DEFAULT"] = 3600
    try:
        with live.context():
            seed_demo(trainees=40, echo=lambda _message: None)
            for role in gallery.ROLES:
                addresses[role], missing = gallery.pages(live.app, gallery.demo_ids(role))
                findings += [f"[{role}] {line}" for line in missing]
        with ThreadPoolExecutor(1) as pool:  # asyncio apart from the sync API's loop
            walk = pool.submit(asyncio.run, _walk(live, addresses, tmp_path)).result()
    finally:
        live.app.config["SEND_FILE_MAX_AGE_DEFAULT"] = max_age
        live.clean()
    findings += walk.findings
    print(f"\ngallery: {walk.views} page views in {time.perf_counter() - started:.1f} s ("
          + ", ".join(f"{k} {v:.1f} s" for k, v in walk.spent.items())
          + f", summed over the lanes); screenshots in {SCREENS}")
    assert not findings, f"{len(findings)} findings:\n" + "\n".join(findings)


CHECKED_PAGE = """<!doctype html><html lang="zh-CN"><body style="margin:0">
<div id="narrow" style="width:1.2em">操作</div>
<p style="width:7.5em">这是一段很长的说明文字<a href="#">查看详情</a></p>
<p id="left">请点击 Save 按钮</p>
<p>文件为 PDF 或 Excel，按 Tab 键，编号 2026GEN01，PUBLIC_BASE_URL，<code>admin</code></p>
<span translate="no">teacher</span><a lang="en" href="#">English</a>
<span class="sr-only" style="position:absolute;width:1px;height:1px;overflow:hidden">出勤</span>
<div style="width:%dpx;height:10px"></div>
</body></html>"""


@pytest.mark.parametrize("wide", [False, True])
def test_the_checks_find_each_kind_of_finding_and_nothing_else(page, wide):
    page.set_viewport_size({"width": 360, "height": 740})
    page.set_content(CHECKED_PAGE % (500 if wide else 300))
    result = page.evaluate(gallery.CHECKS, sorted(gallery.ALLOWED_WORDS))
    assert result["oneChar"] == ["div#narrow: 操作"]  # not the phrase that wraps, not .sr-only
    assert result["english"] == ["p#left: 请点击 Save 按钮"]
    assert bool(result["overflow"]) is wide
    if wide:
        assert result["overflow"]["element"].startswith("div")
