"""The addresses people open (issue 14 item 7): QR codes and slips carry PUBLIC_BASE_URL or the
address the request came in on, never a loopback default; the log and staff pages warn when QR
codes would carry a loopback address; ``make run`` prints the address to open on a phone."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest

from traincenter import addresses, create_app

from .factories import PASSWORD

ZH = {"Accept-Language": "zh-CN"}
LAN = "http://192.168.1.23:5000"


def login(client, user, *bases: str) -> None:
    """Log ``client`` in on each of these addresses (a cookie belongs to its host)."""
    for base in bases or ("http://localhost",):
        response = client.post("/auth/login", data={"login": user.username, "password": PASSWORD},
                               base_url=base)
        assert response.status_code == 302


@pytest.fixture(autouse=True)
def _forget_warnings():
    addresses._warned.clear()
    yield
    addresses._warned.clear()


@pytest.mark.parametrize(("url", "loopback"), [
    ("http://127.0.0.1:5000", True), ("http://127.1.2.3", True), ("https://localhost/", True),
    ("http://LOCALHOST:8000", True), ("http://app.localhost", True), ("http://[::1]:5000/", True),
    ("http://0.0.0.0:5000", True), ("127.0.0.1", True),
    (LAN, False), ("https://px.example.cn", False), ("http://10.0.0.5", False),
    ("http://[fe80::1]/", False), ("192.168.1.23", False),
])
def test_is_loopback(url, loopback):
    assert addresses.is_loopback(url) is loopback


def test_the_default_is_no_address_at_all(app):
    import config

    assert config.Config.PUBLIC_BASE_URL == "" or "PUBLIC_BASE_URL" in __import__("os").environ
    app.config["PUBLIC_BASE_URL"] = ""
    assert addresses.public_base_url() == ""  # outside a request: nothing, never 127.0.0.1
    with app.test_request_context(base_url=LAN):
        assert addresses.public_base_url() == LAN
    app.config["PUBLIC_BASE_URL"] = "https://px.example.cn/"
    with app.test_request_context(base_url=LAN):
        assert addresses.public_base_url() == "https://px.example.cn"


def _qr_payloads(data: bytes) -> list[str]:
    import pypdf
    import zxingcpp
    from PIL import Image

    payloads = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            payloads += [code.text for code in zxingcpp.read_barcodes(picture)]
    return payloads


def test_a_certificate_printed_from_the_lan_address_carries_it(app, client, make):
    app.config["PUBLIC_BASE_URL"] = ""
    certificate = make.certified()
    login(client, make.user("staff"), LAN)
    response = client.get(f"/certificates/{certificate.id}/certificate.pdf", base_url=LAN)
    assert response.status_code == 200
    assert _qr_payloads(response.data) == [f"{LAN}/verify/{certificate.verification_code}"]
    app.config["PUBLIC_BASE_URL"] = "https://px.example.cn"
    response = client.get(f"/certificates/{certificate.id}/certificate.pdf", base_url=LAN)
    assert _qr_payloads(response.data) == [
        f"https://px.example.cn/verify/{certificate.verification_code}"]


def test_staff_are_warned_when_qr_codes_would_carry_a_loopback_address(app, client, make, caplog):
    app.config["PUBLIC_BASE_URL"] = ""
    certificate = make.certified()
    login(client, make.user("staff"), "http://127.0.0.1:5000", "http://localhost", LAN)
    with caplog.at_level(logging.WARNING):
        page = client.get("/", headers=ZH, base_url="http://127.0.0.1:5000").get_data(as_text=True)
    assert "qr-address-warning" in page and "http://127.0.0.1:5000" in page
    assert "手机扫码打不开" in page
    assert any("loopback" in record.getMessage() for record in caplog.records)
    detail = client.get(f"/certificates/{certificate.id}", headers=ZH,
                        base_url="http://localhost").get_data(as_text=True)
    assert "qr-address-warning" in detail
    # Opened through the LAN address: no warning.
    for url in ("/", f"/certificates/{certificate.id}"):
        assert "qr-address-warning" not in client.get(url, base_url=LAN).get_data(as_text=True)


def test_a_loopback_public_base_url_is_named_on_the_dashboard_and_in_the_start_log(app, client,
                                                                                 make, caplog):
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    login(client, make.user("staff"), LAN)
    page = client.get("/", headers=ZH, base_url=LAN).get_data(as_text=True)
    assert "qr-address-warning" in page and "PUBLIC_BASE_URL" in page
    with caplog.at_level(logging.WARNING):
        other = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                           PUBLIC_BASE_URL="http://localhost:5000")
    assert any("PUBLIC_BASE_URL is http://localhost:5000" in record.getMessage()
               for record in caplog.records)
    with other.app_context():
        from traincenter.extensions import db, limiter

        db.engine.dispose()
    with app.app_context():
        limiter.init_app(app)


def test_the_dashboard_of_an_instructor_shows_no_banner(app, client, make):
    app.config["PUBLIC_BASE_URL"] = ""
    login(client, make.user("instructor"), "http://127.0.0.1")
    assert "qr-address-warning" not in client.get("/", base_url="http://127.0.0.1").get_data(
        as_text=True)


def test_the_password_slip_never_names_a_loopback_address(app, client, make):
    app.config["PUBLIC_BASE_URL"] = ""
    trainee = make.trainee_user().trainee
    login(client, make.user("staff"), "http://127.0.0.1:5000", "http://localhost:5000", LAN)
    for base in ("http://127.0.0.1:5000", "http://localhost:5000"):
        page = client.post(f"/trainees/{trainee.id}/password", headers=ZH,
                           base_url=base).get_data(as_text=True)
        slip = page.split('class="card slip"')[1]
        assert "127.0.0.1" not in slip and "localhost" not in slip
        assert "网址请向工作人员询问" in slip
    page = client.post(f"/trainees/{trainee.id}/password", headers=ZH,
                       base_url=LAN).get_data(as_text=True)
    assert f"用手机打开 {LAN}" in page.split('class="card slip"')[1]


def test_the_account_slip_never_names_a_loopback_address(app, client, make):
    app.config["PUBLIC_BASE_URL"] = ""
    teacher = make.user("instructor")
    login(client, make.user("admin"), "http://127.0.0.1:5000", LAN)
    page = client.post(f"/auth/users/{teacher.id}/reset", headers=ZH,
                       base_url="http://127.0.0.1:5000").get_data(as_text=True)
    slip = page.split('class="narrow slip"')[1]
    assert "127.0.0.1" not in slip.split("qr-address-warning")[0]
    page = client.post(f"/auth/users/{teacher.id}/reset", base_url=LAN).get_data(as_text=True)
    assert LAN in page


def test_feedback_slips_carry_the_request_address(app, client, make):
    app.config["PUBLIC_BASE_URL"] = ""
    trainee = make.certified().trainee
    placement = make.placement(trainee)
    link = make.feedback_link(placement)
    login(client, make.user("staff"), LAN)
    page = client.get(f"/placement/links/{link.token}", base_url=LAN).get_data(as_text=True)
    assert f'data-copy="{LAN}/placement/feedback/{link.token}"' in page


def test_site_addresses_prints_the_address_for_a_phone(runner, monkeypatch, app):
    app.config["PUBLIC_BASE_URL"] = ""
    monkeypatch.setattr(addresses, "lan_address", lambda: "192.168.1.23")
    result = runner.invoke(args=["site", "addresses", "--host", "0.0.0.0", "--port", "5000"])
    assert result.exit_code == 0, result.output
    assert "在本机打开：http://127.0.0.1:5000" in result.output
    assert "手机（连同一个 Wi-Fi）打开：http://192.168.1.23:5000" in result.output
    only_here = runner.invoke(args=["site", "addresses", "--host", "127.0.0.1"])
    assert "192.168.1.23" not in only_here.output and "HOST=0.0.0.0" in only_here.output
    app.config["PUBLIC_BASE_URL"] = "http://127.0.0.1:5000"
    warned = runner.invoke(args=["site", "addresses", "--host", "0.0.0.0", "--lang", "en"])
    assert "Warning: PUBLIC_BASE_URL is http://127.0.0.1:5000" in warned.output


def test_lan_address_is_not_a_loopback_address():
    address = addresses.lan_address()
    assert address is None or not addresses.is_loopback(address)


def test_make_run_prints_the_addresses_and_listens_for_phones():
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:")[1].split("\n\n")[0]
    assert "flask site addresses --host $(HOST) --port $(PORT)" in run
    assert "HOST ?= 0.0.0.0" in makefile
