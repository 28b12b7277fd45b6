"""What every printed document shares: the embedded CJK font's name, the house colours, QR codes
and the answer that opens a PDF in the phone's or browser's viewer.

Certificates, work cards, receipts, the application poster and the check-in screen all use these,
so no area has to reach into another area's PDF module for them.
"""

from __future__ import annotations

import io

import qrcode
from flask import Response

FONT = "noto"  # the name the bundled Noto Sans CJK SC is registered under in fpdf2
RED = (180, 35, 42)
GREY = (90, 99, 107)


def qr_png(payload: str) -> io.BytesIO:
    """A QR code of ``payload`` as PNG bytes (error correction M, quiet zone of 4 modules)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    buffer.seek(0)
    return buffer


def pdf_response(data: bytes, filename: str) -> Response:
    """A PDF response that opens in the phone's or browser's viewer."""
    reply = Response(data, mimetype="application/pdf")
    reply.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return reply
