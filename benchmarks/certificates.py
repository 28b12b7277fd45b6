"""Benchmark of certificates: issuing a class, the combined class PDF, verify lookups, lists.

    .venv/bin/python benchmarks/certificates.py [--class-size 60]

Builds one class of passed trainees on a temporary SQLite file, then prints: the time to issue
the whole class; the time and size of one certificate PDF, one work card and the combined class
PDF (the font is registered once per document); verify lookups per second through the test
client; and the SQL statements of the certificates list and the registry for a small and a large
data set (targets: the class PDF in a few seconds for 60 trainees; a fixed statement count).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")

from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event  # noqa: E402

from tests.factories import Factory  # noqa: E402
from traincenter import create_app  # noqa: E402
from traincenter.certificates import operations, pdf, queries  # noqa: E402
from traincenter.extensions import db  # noqa: E402


def _class(make: Factory, size: int):
    cls = make.training_class()
    exam = make.exam(cls)
    for _ in range(size):
        enrolment = make.enrolment(make.trainee(consents_to_listing=True), cls)
        make.result(exam, enrolment, 78, 86)
    return cls


def _statements(client, url: str) -> int:
    client.get(url)  # warm up, so both counts include the same session work
    count = [0]

    def counter(*args):  # noqa: ARG001
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--class-size", type=int, default=60)
    options = parser.parse_args()
    path = Path(tempfile.mkdtemp()) / "bench.db"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                     VERIFY_RATE_LIMIT="100000 per minute")
    with app.app_context():
        upgrade()
        make = Factory()
        staff = make.user("staff")
        cls = _class(make, options.class_size)
        started = time.perf_counter()
        issued = operations.issue_for_class(cls.id, staff)
        print(f"issue a class of {len(issued)}: {time.perf_counter() - started:.2f} s")
        certificates = queries.certificates_for_class(cls)
        for label, build in (
            ("one certificate PDF", lambda: pdf.certificates_pdf(certificates[:1])),
            ("one work card PDF", lambda: pdf.work_card_pdf(certificates[0])),
            (f"class PDF, {len(certificates)} pages", lambda: pdf.certificates_pdf(certificates)),
        ):
            with app.test_request_context():
                started = time.perf_counter()
                data = build()
                print(f"{label}: {time.perf_counter() - started:.2f} s, {len(data) / 1024:.0f} KiB")
        client = app.test_client()
        codes = [c.verification_code for c in certificates]
        started = time.perf_counter()
        rounds = 200
        for index in range(rounds):
            assert client.get(f"/verify/{codes[index % len(codes)]}").status_code == 200
        elapsed = time.perf_counter() - started
        print(f"verify page: {rounds / elapsed:.0f} lookups/s (one process, logged each time)")
        client.post("/auth/login", data={"login": staff.username, "password": "password123"})
        small = (_statements(client, "/certificates/"), _statements(client, "/registry"))
        more = _class(make, 3 * options.class_size)
        operations.issue_for_class(more.id, staff)
        large = (_statements(client, "/certificates/"), _statements(client, "/registry"))
        print(f"SQL statements, certificates list / registry: {small} with {len(issued)} "
              f"certificates, {large} with {4 * len(issued)}")


if __name__ == "__main__":
    main()
