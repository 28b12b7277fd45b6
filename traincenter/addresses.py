"""The addresses people open: the public base URL in QR codes and on slips, the LAN address.

QR codes on certificates and feedback slips, the verification URL and the login slips carry
``public_base_url()``: ``PUBLIC_BASE_URL`` when it is set, else the address the current request
came in on (what the staff member's browser used, so a system opened through its LAN address
prints that address). A loopback address (127.0.0.1, localhost) in a QR code opens nothing on a
phone: the log and the staff dashboard say so (``loopback_warning``), and the login slips then
name no address at all.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import Flask, current_app, has_request_context, request

from . import settings

LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}
_warned: set[str] = set()


def public_base_url() -> str:
    """Base of every address printed for people (no trailing slash); '' outside a request when
    ``PUBLIC_BASE_URL`` is not set."""
    configured = settings.public_base_url()
    if configured:
        return configured
    if has_request_context():
        return request.host_url.rstrip("/")
    return ""


def is_loopback(url: str) -> bool:
    """Whether ``url`` (or a bare host name) points at the machine that opens it: 127.0.0.0/8,
    ::1, localhost, or the unspecified 0.0.0.0."""
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    if host.lower() in LOOPBACK_NAMES or host.lower().endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def loopback_warning() -> dict | None:
    """When QR codes made now would carry a loopback address: that address, where it comes from
    (``configured`` or ``request``) and the port a phone would use; else None. Logged once per
    address and process."""
    base = public_base_url()
    if not base or not is_loopback(base):
        return None
    source = "configured" if settings.public_base_url() else "request"
    if base not in _warned:
        _warned.add(base)
        current_app.logger.warning(
            "QR codes and verification links would carry the loopback address %s (%s): phones "
            "cannot open it. Set PUBLIC_BASE_URL to the address phones use, or open the system "
            "through its LAN address.", base,
            "PUBLIC_BASE_URL" if source == "configured" else "the address of this request")
    return {"base": base, "source": source, "suggestion": lan_url(urlsplit(base).port)}


def lan_address() -> str | None:
    """This machine's address on the local network (the one its default route leaves by), or
    None when it has none. Nothing is sent: connecting a UDP socket only picks the route."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = probe.getsockname()[0]
    except OSError:
        address = None
    if address and not ipaddress.ip_address(address).is_loopback:
        return address
    try:
        candidates = socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        return None
    return next((a for a in candidates if not ipaddress.ip_address(a).is_loopback), None)


def lan_url(port: int | None = None) -> str | None:
    """``http://<LAN address>[:port]``, or None without a LAN address."""
    address = lan_address()
    if address is None:
        return None
    return f"http://{address}" + (f":{port}" if port and port != 80 else "")


def check_configured_base_url(app: Flask) -> None:
    """At start-up: warn in the log when ``PUBLIC_BASE_URL`` is a loopback address."""
    configured = (app.config.get("PUBLIC_BASE_URL") or "").strip()
    if configured and is_loopback(configured):
        app.logger.warning(
            "PUBLIC_BASE_URL is %s, a loopback address: QR codes on certificates and feedback "
            "slips will not open on a phone. Set it to the address phones use.", configured)
