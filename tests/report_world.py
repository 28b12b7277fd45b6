"""A hand-built data set for the annual report, with every expected figure written out.

Y is last year (a finished year, so it can be finalised), P the year before, N this year. The
figures are counted at ``AS_OF`` (15 January of N) unless a test says otherwise; ``LATER`` (30
June of N) shows how the cohort figures move when the following year's re-exam is published.

Tracks: 一般家政服务 (order 1), 育婴师 (2), 养老护理 (3). Hour requirements are small on purpose
(8 classroom + 6 self-study = 14 for regular classes, 4 + 0 for the retraining class).

Year Y — class A (育婴师, regular, union, level 5, Y-03-01…Y-04-15), sessions s1 Y-03-02 (4 h)
and s2 Y-03-03 (4 h); first exam Y-04-20; a re-exam of A on Y-06-30:
  t1  hours done; passes 80/85 → certificate Y-05-01; job Y-05-10 (contract registered);
      feedback 5 (Y-06-01) and 4 (Y-08-01); health certificate Y-04-01; fee paid by subsidy.
  t2  hours done; fails theory 50/70 → retraining class R → re-exam Y-06-30 sits theory 75
      (practical carried) and passes → certificate Y-07-01; a job on Y-06-01, BEFORE the
      certificate (not placed), and another from N-02-01 (after the as-of date); health Y-06-20.
  t3  hours done; fails 45/70 → R → at the re-exam absent from theory, practical carried:
      sat nothing, so no re-exam taker.
  t4  hours done; absent from both parts of the first exam; sits the re-exam of A (70/72) and
      passes: her first sitting is the re-exam (a taker in Y, passed at her first sitting);
      certificate N-01-05 (the next year).
  t5  4 h, then withdrew (Y-03-20): stopped.
  t6  4 h and 2 h self-study (4 h more not verified); the class ended: never eligible, stopped.
      A job recorded on Y-05-01 without any certificate.
  t10 hours done; fails 55/65; re-exam in the following year (N-03-10, retraining class R2) passes.
  t12 hours done; passes 90/90 → certificate Y-05-01, later revoked.
Class R (育婴师, retraining, Y-06-01…Y-06-25): t2 and t3, session r1 Y-06-05 (4 h), re-exam Y-06-30.
Class B (养老护理, company 幸福家政公司, level 4, Y-11-01…N-02-28): t7 (male, born 1960), 4 h: in
training at AS_OF, stopped at LATER.
Year P — class C (一般家政服务, P-09-01…P-10-30), session c1 P-09-02 (8 h), exam P-11-01:
  t8  passes 70/70 → certificate Y-01-10 (last year's pass, certified this year); job Y-02-01;
      feedback 3 (Y-03-01); health certificate P-12-01.
  t9  passes 72/75 → certificate P-11-20; job P-12-01; feedback 2 (P-12-15); health P-11-25.
"""

from __future__ import annotations

from datetime import date

import pytest

from traincenter import rules
from traincenter.models.base import utcnow

Y = date.today().year - 1
P = Y - 1
N = Y + 1
AS_OF = date(N, 1, 15)
LATER = date(N, 6, 30)
REGULAR_HOURS = {"required_classroom_hours": 8, "required_self_study_hours": 6, "required_total_hours": 14}


def build(make) -> dict:
    """The data set above; returns the rows a test needs by name."""
    general = make.track(code="GEN", name="一般家政服务", sort_order=1)
    infant = make.track(code="YY", name="育婴师", sort_order=2)
    elderly = make.track(code="YL", name="养老护理", sort_order=3)
    a = make.training_class(track=infant, starts_on=date(Y, 3, 1), ends_on=date(Y, 4, 15), **REGULAR_HOURS)
    r = make.training_class(track=infant, kind="retraining", starts_on=date(Y, 6, 1), ends_on=date(Y, 6, 25),
                            required_classroom_hours=4, required_self_study_hours=0, required_total_hours=4)
    r2 = make.training_class(track=infant, kind="retraining", starts_on=date(N, 2, 20), ends_on=date(N, 3, 5),
                             required_classroom_hours=4, required_self_study_hours=0, required_total_hours=4)
    b = make.training_class(track=elderly, starts_on=date(Y, 11, 1), ends_on=date(N, 2, 28),
                            provider_kind="company", provider_name="幸福家政公司", level=4, **REGULAR_HOURS)
    c = make.training_class(track=general, starts_on=date(P, 9, 1), ends_on=date(P, 10, 30), **REGULAR_HOURS)
    people = {
        "t1": dict(birth_on=date(Y - 30, 6, 1), education="primary", origin="rural"),
        "t2": dict(birth_on=date(Y - 40, 6, 1), education="junior", origin="laid_off"),
        "t3": dict(birth_on=date(Y - 55, 6, 1), education="junior", origin="rural"),
        "t4": dict(birth_on=date(Y - 45, 6, 1), education="illiterate", origin="other"),
        "t5": dict(birth_on=date(Y - 33, 6, 1), education="vocational", origin="rural"),
        "t6": dict(birth_on=date(Y - 52, 6, 1), education="primary", origin="rural"),
        "t7": dict(birth_on=date(1960, 1, 1), gender="M", education="senior", origin="rural"),
        "t10": dict(birth_on=date(Y - 62, 6, 1), education="junior", origin="laid_off"),
        "t12": dict(birth_on=date(Y - 28, 6, 1), education="college", origin="other"),
        "t8": dict(birth_on=date(P - 36, 1, 1)),
        "t9": dict(birth_on=date(P - 41, 1, 1)),
    }
    t = {name: make.trainee(**fields) for name, fields in people.items()}
    payers = {"t1": "subsidy", "t8": "employer", "t12": "subsidy"}
    e = {name: make.enrolment(t[name], a, fee_payer=payers.get(name, "self"))
         for name in ("t1", "t2", "t3", "t4", "t5", "t6", "t10", "t12")}
    e["t7"] = make.enrolment(t["t7"], b)
    e["t8"] = make.enrolment(t["t8"], c, fee_payer="employer")
    e["t9"] = make.enrolment(t["t9"], c)
    e2r = make.enrolment(t["t2"], r, continues_id=e["t2"].id, fee_amount=0)
    e3r = make.enrolment(t["t3"], r, continues_id=e["t3"].id, fee_amount=0)
    e10r = make.enrolment(t["t10"], r2, continues_id=e["t10"].id, fee_amount=0)
    e["t5"].status, e["t5"].closed_on = "withdrawn", date(Y, 3, 20)

    s1 = make.session(a, hours=4, held_on=date(Y, 3, 2))
    s2 = make.session(a, hours=4, held_on=date(Y, 3, 3))
    for name in ("t1", "t2", "t3", "t4", "t5", "t6", "t10", "t12"):
        make.attendance(s1, e[name], "late" if name == "t2" else "present")
    for name in ("t1", "t2", "t3", "t4", "t10", "t12"):
        make.attendance(s2, e[name], "present")
    make.attendance(s2, e["t6"], "absent")
    for name in ("t1", "t2", "t3", "t4", "t10", "t12"):
        make.self_study(e[name], hours=6, studied_on=date(Y, 3, 10))
    make.self_study(e["t6"], hours=2, studied_on=date(Y, 3, 10))
    make.self_study(e["t6"], hours=4, status="pending", studied_on=date(Y, 3, 11))
    r1 = make.session(r, hours=4, held_on=date(Y, 6, 5))
    make.attendance(r1, e2r)
    make.attendance(r1, e3r)
    make.attendance(make.session(b, hours=4, held_on=date(Y, 11, 5)), e["t7"])
    c1 = make.session(c, hours=8, held_on=date(P, 9, 2))
    for name in ("t8", "t9"):
        make.attendance(c1, e[name])
        make.self_study(e[name], hours=6, studied_on=date(P, 9, 10))

    first = make.exam(a, held_on=date(Y, 4, 20))
    res = {"t1": make.result(first, e["t1"], 80, 85), "t2": make.result(first, e["t2"], 50, 70),
           "t3": make.result(first, e["t3"], 45, 70),
           "t4": make.result(first, e["t4"], rules.ABSENT, rules.ABSENT),
           "t10": make.result(first, e["t10"], 55, 65), "t12": make.result(first, e["t12"], 90, 90)}
    reexam = make.exam(r, kind="reexam", held_on=date(Y, 6, 30))
    res["t2b"] = make.result(reexam, e2r, 75, None, attempt_no=2, practical_carried_from=res["t2"])
    make.result(reexam, e3r, rules.ABSENT, None, attempt_no=2, practical_carried_from=res["t3"])
    reexam_a = make.exam(a, kind="reexam", held_on=date(Y, 6, 30))
    res["t4b"] = make.result(reexam_a, e["t4"], 70, 72, attempt_no=2)
    later = make.exam(r2, kind="reexam", held_on=date(N, 3, 10))
    res["t10b"] = make.result(later, e10r, 70, None, attempt_no=2, practical_carried_from=res["t10"])
    previous = make.exam(c, held_on=date(P, 11, 1))
    res["t8"] = make.result(previous, e["t8"], 70, 70)
    res["t9"] = make.result(previous, e["t9"], 72, 75)

    cert = {"t1": make.certificate(res["t1"], issued_on=date(Y, 5, 1)),
            "t2": make.certificate(res["t2b"], issued_on=date(Y, 7, 1)),
            "t4": make.certificate(res["t4b"], issued_on=date(N, 1, 5)),
            "t12": make.certificate(res["t12"], issued_on=date(Y, 5, 1)),
            "t8": make.certificate(res["t8"], issued_on=date(Y, 1, 10)),
            "t9": make.certificate(res["t9"], issued_on=date(P, 11, 20))}
    cert["t12"].revoked_at = utcnow()
    cert["t12"].revocation_reason = "成绩录入错误"
    jobs = {"t1": make.placement(t["t1"], starts_on=date(Y, 5, 10), contract_registered=True,
                                 contract_registered_on=date(Y, 5, 20)),
            "t2_early": make.placement(t["t2"], starts_on=date(Y, 6, 1), ends_on=date(Y, 6, 20)),
            "t2_later": make.placement(t["t2"], starts_on=date(N, 2, 1)),
            "t6": make.placement(t["t6"], starts_on=date(Y, 5, 1)),
            "t8": make.placement(t["t8"], starts_on=date(Y, 2, 1)),
            "t9": make.placement(t["t9"], starts_on=date(P, 12, 1))}
    make.feedback(jobs["t1"], rating=5, given_on=date(Y, 6, 1))
    make.feedback(jobs["t1"], rating=4, given_on=date(Y, 8, 1))
    make.feedback(jobs["t8"], rating=3, given_on=date(Y, 3, 1))
    make.feedback(jobs["t9"], rating=2, given_on=date(P, 12, 15))
    for name, day in (("t1", date(Y, 4, 1)), ("t2", date(Y, 6, 20)), ("t8", date(P, 12, 1)),
                      ("t9", date(P, 11, 25))):
        make.health(t[name], issued_on=day)
    return {"trainees": t, "enrolments": e, "certificates": cert, "placements": jobs, "a": a, "b": b,
            "tracks": {"general": general, "infant": infant, "elderly": elderly}}


def third(n: int) -> object:
    """n/3 as the report stores it (6 decimals)."""
    return pytest.approx(n / 3, abs=1e-6)


# Year Y counted at AS_OF, figure by figure.
EXPECTED_Y = {
    "year": Y,
    "trained": 9, "completed": 6, "in_training": 1, "stopped": 2,  # t5 withdrawn, t6 never eligible
    "classes": 2, "retraining_classes": 1,
    "sessions_held": 4, "hours_taught": 16.0,   # s1, s2, r1 and B's session: 4 h each
    "trainee_hours": 68.0,                      # s1 8 × 4, s2 6 × 4, r1 2 × 4, B 1 × 4
    "hours_self_study": 38.0,                   # six times 6 h, t6's 2 h (her 4 h pending)
    "exam_takers": 6,                           # t1 t2 t3 t10 t12 at the first exam, t4 at the re-exam
    "first_attempt_passed": 3,                  # t1, t12 and t4 (at her first sitting)
    "first_attempt_pass_rate": 0.5,
    "final_passed": 4,                          # and t2; t10's re-exam is after AS_OF
    "final_pass_rate": third(2),
    "retrained": 2,                             # t2, t3 in R
    "reexam_takers": 2,                         # t2, t4 — t3 sat nothing
    "reexam_passed": 2,
    "reexam_pass_rate": 1.0,
    "passed_in_year": 4,                        # t1, t2, t4, t12
    "certified": 3,                             # t1, t2 and t8 (last year's pass); t12 revoked
    "health_certificates": 2,
    "placed": 2,                                # t1 and t8; t2's job began before her certificate
    "placement_rate": third(2),
    "contracts_registered": 1,
    "feedback_count": 3, "average_rating": 4.0, "satisfaction_rate": third(2),
}
EXPECTED_RECONCILIATION_Y = [
    {"key": "certified_later", "count": 1, "sign": -1},   # t4, certificate N-01-05
    {"key": "revoked", "count": 1, "sign": -1},           # t12
    {"key": "passed_earlier", "count": 1, "sign": 1},     # t8, passed in P
]
EXPECTED_P = {
    "year": P, "trained": 2, "completed": 2, "in_training": 0, "stopped": 0,
    "hours_taught": 8.0, "trainee_hours": 16.0, "hours_self_study": 12.0,
    "exam_takers": 2, "first_attempt_passed": 2, "first_attempt_pass_rate": 1.0, "final_passed": 2,
    "final_pass_rate": 1.0, "retrained": 0, "reexam_takers": 0, "reexam_pass_rate": None,
    "passed_in_year": 2, "certified": 1, "placed": 1, "placement_rate": 1.0, "health_certificates": 2,
    "feedback_count": 1, "average_rating": 2.0, "satisfaction_rate": 0.0, "contracts_registered": 0,
}
# Year Y counted at LATER: t10 passed at N-03-10, t2's second job began N-02-01, class B ended.
EXPECTED_Y_LATER = {
    "final_passed": 5, "final_pass_rate": pytest.approx(5 / 6, abs=1e-6), "exam_takers": 6,
    "reexam_takers": 2, "placed": 3, "placement_rate": 1.0, "completed": 6, "in_training": 0,
    "stopped": 3,
}
