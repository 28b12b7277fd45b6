"""Public verification (page, search, API, OpenAPI) and the registry: masked, logged, limited."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from traincenter import rules
from traincenter.extensions import db
from traincenter.models import VerificationLookup

ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _lookups():
    db.session.expire_all()
    return db.session.scalars(select(VerificationLookup).order_by(VerificationLookup.id)).all()


def test_verify_page_shows_masked_facts(client, make):
    certificate = make.certified(name="张秀华")
    make.health(certificate.trainee, issued_on=date.today() - timedelta(days=100))
    response = client.get(f"/verify/{certificate.verification_code}",
                          environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "张*华" in page and "张秀华" not in page
    assert certificate.number in page and certificate.track.name in page
    assert "可以上岗" in page or "badge-green" in page
    assert "有效" in page and "健康证有效期至" in page
    for private in (certificate.trainee.id_number, certificate.trainee.phone,
                    certificate.trainee.birth_on.strftime("%Y%m%d")):
        assert private not in page
    (lookup,) = _lookups()
    assert (lookup.code, lookup.channel, lookup.outcome, lookup.address) == (
        certificate.verification_code, "qr", "valid", "10.1.2.3")
    assert lookup.certificate_id == certificate.id and lookup.looked_up_at is not None


def test_unknown_code_gives_a_clear_404(client):
    response = client.get("/verify/no-such-code-at-all")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "查无此证" in page and "用证书编号和姓名查询" in page
    (lookup,) = _lookups()
    assert (lookup.outcome, lookup.certificate_id, lookup.channel) == ("not_found", None, "qr")
    too_long = client.get("/verify/" + "x" * 300)
    assert too_long.status_code == 404
    assert len(_lookups()[-1].code) == 64


@pytest.mark.parametrize("issued_days_ago, colour", [
    (100, "green"),   # valid for many months
    (340, "yellow"),  # expires within 30 days
    (400, "red"),     # expired
])
def test_colour_follows_the_health_certificate(client, make, issued_days_ago, colour):
    certificate = make.certified()
    make.health(certificate.trainee, issued_on=date.today() - timedelta(days=issued_days_ago))
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()
    assert body["duty_colour"] == colour
    assert body["fit_for_duty"] is (colour != "red")
    expected_until = rules.health_expiry_default(date.today() - timedelta(days=issued_days_ago))
    assert body["health_certificate_valid_until"] == expected_until.isoformat()
    page = client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert {"green": "flash-success", "yellow": "flash-warning", "red": "flash-error"}[colour] in page


def test_no_health_certificate_is_red(client, make):
    certificate = make.certified()
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()
    assert (body["duty_colour"], body["duty_reason"]) == ("red", "no_health")
    assert body["health_certificate_valid_until"] is None


def test_revoked_shows_at_once_everywhere(client, make):
    staff = make.user("staff")
    certificate = make.certified()
    make.health(certificate.trainee)
    assert client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()["status"] == "valid"
    from traincenter.certificates.operations import revoke_certificate

    revoke_certificate(certificate.id, "伪造材料", staff)
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()
    assert (body["status"], body["duty_colour"], body["duty_reason"]) == ("revoked", "red", "revoked")
    assert "证书已撤销" in client.get(f"/verify/{certificate.verification_code}").get_data(as_text=True)
    assert [lookup.outcome for lookup in _lookups()] == ["valid", "revoked", "revoked"]


def test_api_fields_match_the_openapi_document(client, make):
    certificate = make.certified(name="欧阳春燕")
    make.health(certificate.trainee)
    body = client.get(f"/api/v1/verify/{certificate.verification_code}").get_json()
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    schema = spec["components"]["schemas"]["Certificate"]
    assert set(body) == set(schema["properties"]) == set(schema["required"])
    assert body["name"] == "欧阳**" and body["number"] == certificate.number
    assert "/api/v1/verify/{code}" in spec["paths"]
    missing = client.get("/api/v1/verify/unknown")
    assert missing.status_code == 404
    assert missing.get_json() == {"found": False, "error": "not_found", "message": "没有与此查验码对应的证书。"}
    assert set(missing.get_json()) <= set(spec["components"]["schemas"]["Error"]["properties"])
    assert [lookup.channel for lookup in _lookups()] == ["api", "api"]


def test_openapi_document_describes_the_settings_in_force(app, client):
    app.config["HEALTH_WARNING_DAYS"] = 45
    app.config["PUBLIC_BASE_URL"] = "https://verify.example.cn/"
    spec = client.get("/api/v1/openapi.json").get_json()
    certificate = spec["components"]["schemas"]["Certificate"]["properties"]
    assert "within 45 days" in certificate["duty_colour"]["description"]
    assert certificate["level"]["enum"] == [5, 4, 3]
    assert spec["servers"] == [{"url": "https://verify.example.cn"}]


def test_search_by_number_and_name(client, make):
    certificate = make.certified(name="刘玉梅")
    assert client.get("/verify").status_code == 200
    assert _lookups() == []  # opening the empty form is not a lookup
    missing = client.get("/verify", query_string={"number": certificate.number, "name": ""})
    assert missing.status_code == 400 and "请输入持证人的完整姓名" in missing.get_data(as_text=True)
    found = client.get("/verify", query_string={"number": f" {certificate.number.lower()} ",
                                                "name": "刘玉梅"})
    assert found.status_code == 200 and "刘*梅" in found.get_data(as_text=True)
    wrong = client.get("/verify", query_string={"number": certificate.number, "name": "刘玉"})
    assert wrong.status_code == 404 and "查无此证" in wrong.get_data(as_text=True)
    assert [(lookup.channel, lookup.outcome) for lookup in _lookups()] == [
        ("search", "valid"), ("search", "not_found")]


def test_lookups_are_rate_limited(app, client, make):
    app.config["VERIFY_RATE_LIMIT"] = "3 per minute"
    certificate = make.certified()
    codes = [client.get(f"/verify/{certificate.verification_code}").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get("/verify", query_string={"number": "X", "name": "Y"}).status_code == 429
    api = client.get(f"/api/v1/verify/{certificate.verification_code}")
    assert api.status_code == 429 and api.get_json()["error"] == "rate_limited"
    assert len(_lookups()) == 3  # refused lookups never reach the database


def test_registry_lists_only_consenting_certified_workers(client, make):
    baby = make.track(code="YY", name="育婴师", sort_order=1)
    old = make.track(code="YL", name="养老护理", sort_order=2)
    listed = []
    for name, track in (("王秀英", baby), ("李桂兰", old), ("欧阳丽娟", old)):
        enrolment = make.enrolment(make.trainee(name=name, consents_to_listing=True),
                                   make.training_class(track=track))
        listed.append(make.certificate(make.result(make.exam(enrolment.training_class), enrolment, 80, 80)))
    enrolment = make.enrolment(make.trainee(name="赵敏静", consents_to_listing=False),
                               make.training_class(track=baby))
    make.certificate(make.result(make.exam(enrolment.training_class), enrolment, 80, 80))
    revoked = make.certified(name="孙红霞", consents_to_listing=True)
    revoked.revoked_at = revoked.created_at
    db.session.commit()
    make.health(listed[0].trainee)
    page = client.get("/registry").get_data(as_text=True)
    assert "王*英" in page and "李*兰" in page and "欧阳**" in page
    assert "赵" not in page.split("<main")[1] and "孙*霞" not in page
    assert "王秀英" not in page
    assert "badge-green" in page and "badge-red" in page  # 王 has a health certificate, others not
    only_old = client.get("/registry", query_string={"track": old.id}).get_data(as_text=True)
    assert "李*兰" in only_old and "王*英" not in only_old
    assert client.get("/registry", query_string={"page": 99}).status_code == 200


def test_registry_paginates_in_a_fixed_number_of_queries(client, make):
    from .test_certificates import _QueryCounter

    track = make.track()
    cls = make.training_class(track=track)
    exam = make.exam(cls)

    def add(count):
        for _ in range(count):
            enrolment = make.enrolment(make.trainee(consents_to_listing=True), cls)
            make.certificate(make.result(exam, enrolment, 70, 70))

    add(3)
    with _QueryCounter() as counter:
        client.get("/registry")
    few = counter.count
    add(40)
    with _QueryCounter() as counter:
        page = client.get("/registry").get_data(as_text=True)
    assert counter.count == few
    assert 'href="/registry?page=2"' in page


def _realistic_world(make):
    """Certified, revoked, expiring, expired, non-consenting and never-certified people."""
    tracks = [make.track(code=code, name=name) for code, name in
              (("GEN", "一般家政服务"), ("YY", "育婴师"), ("YL", "养老护理"), ("MY", "母婴护理"))]
    certificates = []
    for index in range(24):
        track = tracks[index % 4]
        enrolment = make.enrolment(
            make.trainee(consents_to_listing=index % 3 != 0, address=f"幸福路{index}号",
                         phone=f"13{index % 7 + 3}{index:08d}"),
            make.training_class(track=track))
        result = make.result(make.exam(enrolment.training_class), enrolment, 60 + index, 90 - index)
        certificate = make.certificate(result)
        certificates.append(certificate)
        if index % 4:
            make.health(enrolment.trainee, issued_on=date.today() - timedelta(days=[30, 345, 400][index % 3]))
    certificates[5].revoked_at, certificates[5].revocation_reason = certificates[5].created_at, "x"
    db.session.commit()
    for _ in range(5):  # trainees without a certificate
        make.result(make.exam(), make.enrolment(make.trainee(consents_to_listing=True)), 30, 30)
    return certificates


def _get(client, url, **kw):
    """A public page that must really be served (not the rate-limit page)."""
    response = client.get(url, **kw)
    assert response.status_code in (200, 404), (url, response.status_code)
    return response.get_data(as_text=True)


def test_no_public_response_contains_an_id_or_phone_number(app, client, make):
    app.config["VERIFY_RATE_LIMIT"] = "10000 per minute"
    certificates = _realistic_world(make)
    from traincenter.models import Trainee

    people = db.session.scalars(select(Trainee)).all()
    secrets = {p.id_number for p in people} | {p.phone for p in people if p.phone}
    bodies = [_get(client, "/verify"), _get(client, "/registry"), _get(client, "/api/v1/openapi.json")]
    for track_page in range(1, 5):
        bodies.append(_get(client, "/registry", query_string={"page": track_page}))
    for certificate in certificates:
        bodies.append(_get(client, f"/verify/{certificate.verification_code}"))
        bodies.append(_get(client, f"/api/v1/verify/{certificate.verification_code}"))
        bodies.append(_get(client, "/verify", query_string={
            "number": certificate.number, "name": certificate.trainee.name}))
    bodies.append(_get(client, "/verify/unknown"))
    assert len(bodies) > 70
    for body in bodies:
        assert not ID_PATTERN.search(body), ID_PATTERN.search(body)
        assert not PHONE_PATTERN.search(body), PHONE_PATTERN.search(body)
        assert not any(secret in body for secret in secrets)
        assert "幸福路" not in body
    # The scan would have caught them: the full values are in the staff page.
    assert ID_PATTERN.search(certificates[0].trainee.id_number)
    assert PHONE_PATTERN.search(certificates[0].trainee.phone)


def test_demo_data_public_pages_never_show_id_or_phone_numbers(app, client):
    """The acceptance scan over the demo data set (the smallest one the seeder makes)."""
    app.config["VERIFY_RATE_LIMIT"] = "10000 per minute"
    from traincenter.demo import MIN_TRAINEES, seed_demo
    from traincenter.models import Certificate, Trainee

    seed_demo(trainees=MIN_TRAINEES, echo=lambda text: None)
    certificates = db.session.scalars(select(Certificate).order_by(Certificate.id)).all()
    assert certificates, "the demo data should hold certificates"
    people = db.session.scalars(select(Trainee)).all()
    secrets = {p.id_number for p in people} | {p.phone for p in people if p.phone}
    secrets |= {p.address for p in people if p.address}
    urls = ["/", "/verify", "/registry", "/api/v1/openapi.json", "/verify/unknown-code"]
    urls += [f"/registry?page={n}" for n in range(2, 6)]
    for certificate in certificates[:40]:
        urls += [f"/verify/{certificate.verification_code}",
                 f"/api/v1/verify/{certificate.verification_code}"]
    bodies = [_get(client, url) for url in urls]
    bodies += [_get(client, "/verify", query_string={"number": c.number, "name": c.trainee.name})
               for c in certificates[:20]]
    assert "*" in bodies[urls.index("/registry")]  # masked names are listed
    for url, body in zip(urls + ['search'] * 20, bodies, strict=False):
        assert not ID_PATTERN.search(body), (url, ID_PATTERN.search(body))
        assert not PHONE_PATTERN.search(body), (url, PHONE_PATTERN.search(body))
        assert not any(secret in body for secret in secrets), url


def test_pages_speak_chinese_first_and_english_on_request(client, make):
    certificate = make.certified()
    url = f"/verify/{certificate.verification_code}"
    chinese = client.get(url, headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "证书查验" in chinese and "健康证有效期至" in chinese
    english = client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Certificate check" in english and "Health certificate valid until" in english
    assert "Certified workers" in client.get("/registry", headers={"Accept-Language": "en"}).get_data(as_text=True)
