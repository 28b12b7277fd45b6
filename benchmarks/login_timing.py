"""How long a failed login takes, for a registered and an unregistered login name.

    .venv/bin/python benchmarks/login_timing.py [--tries 15]

Builds a fresh SQLite database with production hashing (scrypt n=2^15 for staff and changed
passwords, n=2^12 for one-time passwords from a roster import), then times
``auth.operations.authenticate`` with a wrong password for: a staff username, a trainee's ID number
whose password is her imported one-time password, a trainee who chose her own password, an
unknown ID number and a deactivated account. Before the constant-work login, a wrong password for
an existing account took ~100 ms and for an unknown name ~6 ms (issue 18): the medians printed here
should be alike. The lockout is raised out of the way (the timing of hashing is what is measured).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TRAINCENTER_ENV", "testing")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=15)
    args = parser.parse_args()

    from flask_migrate import upgrade

    from traincenter import create_app, rules
    from traincenter.auth import operations, passwords
    from traincenter.errors import DomainError
    from traincenter.extensions import db
    from traincenter.models import Trainee, User

    folder = Path(tempfile.mkdtemp(prefix="tc-bench-"))
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bench.db'}",
                     PASSWORD_HASH_METHOD="scrypt", LOGIN_MAX_FAILURES=10**6,
                     LOGIN_ADDRESS_MAX_FAILURES=10**6)
    with app.app_context():
        upgrade()
        names = {}
        staff = User(username="staff", display_name="教务", role="staff",
                     password_hash=passwords.hash_password("staff-password-1"))
        inactive = User(username="gone", display_name="离职", role="staff", is_active_account=False,
                        password_hash=passwords.hash_password("gone-password-1"))
        db.session.add_all([staff, inactive])
        for n, (label, hashed) in enumerate([
            ("trainee, imported one-time password", passwords.hash_initial_password("abcdefghjk")),
            ("trainee, her own password", passwords.hash_password("her-own-pass-1")),
        ]):
            number = rules.make_id_number("110105", date(1975, 3, 12), 2 * n + 1, "F")
            info = rules.parse_id_number(number)
            trainee = Trainee(id_number=number, birth_on=info.birth_on, gender=info.gender,
                              name=f"学员{n}", education="junior", origin="rural")
            db.session.add(trainee)
            db.session.add(User(username=number, display_name=trainee.name, role="trainee",
                                password_hash=hashed, trainee=trainee))
            names[label] = number
        db.session.commit()
        unknown = rules.make_id_number("110105", date(1980, 5, 5), 99, "F")
        cases = {"staff username": "staff", **names, "unknown ID number": unknown,
                 "deactivated account": "gone"}
        passwords.verify_login(None, "warm up")
        print(f"-- a wrong password, median of {args.tries} tries (production scrypt)")
        for label, name in cases.items():
            times = []
            for _ in range(args.tries):
                start = time.perf_counter()
                try:
                    operations.authenticate(name, "wrong-password", "192.0.2.1")
                except DomainError:
                    pass
                times.append(time.perf_counter() - start)
            print(f"{label:40s} {statistics.median(times) * 1000:7.1f} ms "
                  f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
