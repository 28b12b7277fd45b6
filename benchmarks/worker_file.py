"""Benchmark of the worker's file: photo checks, receipt numbering under concurrent writers, receipts.

    .venv/bin/python benchmarks/worker_file.py [--writers 4] [--entries 25]

Prints: the time to turn a 12-megapixel camera JPEG (4000 × 3000, EXIF
orientation 6) into the stored 600 × 800 passport photo, and the time to refuse a 900-megapixel
decompression bomb and a 50 MB file; the entries per second and the retries when ``--writers``
threads each record ``--entries`` payments at the same time on a temporary SQLite file (the
numbers must come out 1…n without a gap); the time of one A5 receipt PDF. Set
``TEST_DATABASE_URL`` to run the writers on PostgreSQL instead.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")

from flask_migrate import upgrade  # noqa: E402
from PIL import Image  # noqa: E402
from sqlalchemy import select, text  # noqa: E402

from tests import images as pictures  # noqa: E402
from tests.factories import Factory  # noqa: E402
from traincenter import create_app, images  # noqa: E402
from traincenter.extensions import db  # noqa: E402
from traincenter.fees import operations, queries, receipts  # noqa: E402
from traincenter.models import FeeEntry, User  # noqa: E402


def camera_jpeg() -> bytes:
    """A 12-megapixel JPEG of about 4 MB stored sideways with EXIF orientation 6, like a phone's."""
    picture = Image.effect_noise((1000, 750), 60).convert("RGB").resize((4000, 3000))
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


def timed(function):
    started = time.perf_counter()
    try:
        result = function()
    except images.ImageRefused as refused:
        result = refused
    return result, time.perf_counter() - started


def photos() -> None:
    data = camera_jpeg()
    photo, elapsed = timed(lambda: images.passport_photo(data))
    size = Image.open(io.BytesIO(photo)).size
    print(f"photo: {len(data) / 1e6:.1f} MB 12 MP JPEG → {size[0]}×{size[1]} "
          f"({len(photo) / 1e3:.0f} kB) in {elapsed * 1000:.0f} ms")
    for name, bad in (("900 MP decompression bomb", pictures.decompression_bomb()),
                      ("50 MB file", pictures.huge_png(50))):
        refused, elapsed = timed(lambda bad=bad: images.passport_photo(bad))
        assert isinstance(refused, images.ImageRefused)
        print(f"refused {name} ({len(bad) / 1e6:.1f} MB) in {elapsed * 1000:.1f} ms")


def writers(app, count: int, entries: int) -> None:
    with app.app_context():
        make = Factory()
        staff = [make.user("staff").id for _ in range(count)]
        enrolments = [[make.enrolment().id for _ in range(entries)] for _ in range(count)]
    attempts = {"n": 0}
    real = operations._next_sequence

    def counting(year):
        attempts["n"] += 1
        return real(year)

    operations._next_sequence = counting
    barrier = threading.Barrier(count)
    errors = []

    def work(index):
        with app.app_context():
            actor = db.session.get(User, staff[index])
            barrier.wait()
            for enrolment_id in enrolments[index]:
                values = operations.EntryInput("payment", "1300", date.today(), "self", "cash")
                try:
                    operations.record_fee_entry(enrolment_id, values, actor)
                except Exception as error:  # noqa: BLE001 — reported below
                    errors.append(error)
            db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    operations._next_sequence = real
    total = count * entries
    with app.app_context():
        numbers = list(db.session.scalars(select(FeeEntry.receipt_sequence)
                                          .order_by(FeeEntry.receipt_sequence)))
        figures = queries.year_fee_figures(date.today().year)
        started = time.perf_counter()
        pdf = receipts.receipt_pdf(queries.receipt(db.session.scalar(select(FeeEntry.id))))
        receipt_ms = (time.perf_counter() - started) * 1000
    print(f"{count} writers × {entries} payments on {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: "
          f"{total / elapsed:.0f} entries/s, {attempts['n'] - total} retries, {len(errors)} errors; "
          f"numbers 1…{len(numbers)} unbroken: {numbers == list(range(1, total + 1))} "
          f"({figures.receipts} receipts, unbroken {figures.receipts_unbroken})")
    print(f"one A5 receipt PDF: {receipt_ms:.0f} ms, {len(pdf) / 1e3:.0f} kB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--entries", type=int, default=25)
    args = parser.parse_args()
    photos()
    folder = Path(tempfile.mkdtemp(prefix="traincenter-bench-"))
    url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, UPLOAD_FOLDER=str(folder / "uploads"))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
    writers(app, args.writers, args.entries)


if __name__ == "__main__":
    main()
