"""Certificate PDFs: Chinese text extractable, the CJK font embedded, the QR code decodes."""

from __future__ import annotations

import io

import pypdf
import zxingcpp
from PIL import Image

from traincenter.certificates import pdf

from .conftest import login


def _text(page) -> str:
    """Extracted text. pypdf 7 puts a NUL before each character of fpdf2's Identity-H CID font
    (its ToUnicode map is right: pdftotext reads it cleanly), so NULs are dropped."""
    return page.extract_text().replace("\x00", "")


def _reader(data: bytes) -> pypdf.PdfReader:
    assert data[:5] == b"%PDF-"
    return pypdf.PdfReader(io.BytesIO(data))


def _embedded_fonts(reader: pypdf.PdfReader) -> list[str]:
    """Base names of the fonts whose program is embedded in the file."""
    names = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.append(str(descendant.get_object()["/BaseFont"]))
    return names


def _qr_payloads(reader: pypdf.PdfReader) -> list[str]:
    """Decode every QR code drawn on the pages, from the embedded images."""
    payloads = []
    for page in reader.pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            payloads += [code.text for code in zxingcpp.read_barcodes(picture)]
    return payloads


def _certified(make, name="欧阳秀英"):
    certificate = make.certified(name=name)
    return certificate


def test_certificate_pdf_text_font_and_qr(app, make):
    app.config["PUBLIC_BASE_URL"] = "https://px.example.cn/"
    app.config["CENTER_NAME"] = "市妇联家政服务员培训中心"
    certificate = _certified(make)
    reader = _reader(pdf.certificates_pdf([certificate]))
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    assert round(float(page.mediabox.width) / 72 * 25.4) == 297  # A4
    text = _text(page)
    assert "欧阳秀英" in text and certificate.number in text
    assert "培训合格证书" in text and "市妇联家政服务员培训中心" in text
    assert certificate.trainee.id_number in text  # the holder's own document: the whole number
    fonts = _embedded_fonts(reader)
    assert fonts and all("NotoSansCJK" in name for name in fonts), fonts
    assert all("+" in name for name in fonts)  # a subset (ABCDEF+Name), not the whole 16 MB font
    assert _qr_payloads(reader) == [f"https://px.example.cn/verify/{certificate.verification_code}"]


def test_the_center_may_mask_the_id_number_on_certificates(app, make):
    app.config["CERTIFICATE_MASK_ID_NUMBER"] = True
    certificate = _certified(make)
    text = _text(_reader(pdf.certificates_pdf([certificate])).pages[0])
    assert certificate.trainee.id_number not in text
    assert certificate.trainee.masked_id_number in text


def test_work_card_is_card_sized_with_qr(make):
    certificate = _certified(make, name="李桂兰")
    reader = _reader(pdf.work_card_pdf(certificate))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4, 1) == 85.6
    assert round(float(box.height) / 72 * 25.4, 1) == 54.0
    text = _text(reader.pages[0])
    assert "李桂兰" in text and certificate.number in text and "照片" in text
    assert certificate.track.name in text
    assert _qr_payloads(reader) == [pdf.verify_url(certificate)]
    assert _embedded_fonts(reader)


def test_class_pdf_has_a_page_per_certificate(client, make):
    cls = make.training_class()
    exam = make.exam(cls)
    names = ["王秀英", "张桂兰", "刘玉梅"]
    certificates = []
    for name in names:
        enrolment = make.enrolment(make.trainee(name=name), cls)
        certificates.append(make.certificate(make.result(exam, enrolment, 70, 80)))
    failed = make.enrolment(make.trainee(name="赵淑华"), cls)
    make.result(exam, failed, 30, 80)
    login(client, make.user("staff"))
    response = client.get(f"/certificates/classes/{cls.id}/certificates.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    reader = _reader(response.data)
    assert len(reader.pages) == 3
    text = "".join(_text(page) for page in reader.pages)
    assert all(name in text for name in names) and "赵淑华" not in text
    with client.application.test_request_context():  # the address the page was asked on
        expected = sorted(pdf.verify_url(c) for c in certificates)
    assert sorted(_qr_payloads(reader)) == expected
    assert expected[0].startswith("http://localhost/verify/")


def test_class_pdf_without_certificates_explains(client, make):
    cls = make.training_class()
    login(client, make.user("staff"))
    response = client.get(f"/certificates/classes/{cls.id}/certificates.pdf", follow_redirects=True)
    assert "本班还没有发放证书" in response.get_data(as_text=True)


def test_staff_pdf_routes(client, make):
    certificate = _certified(make)
    login(client, make.user("staff"))
    for url in (f"/certificates/{certificate.id}/certificate.pdf", f"/certificates/{certificate.id}/card.pdf"):
        response = client.get(url)
        assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert client.get("/certificates/987654/card.pdf").status_code == 404
