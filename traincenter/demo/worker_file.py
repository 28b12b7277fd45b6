"""The worker's file in the demo: fee payments, refunds and waivers with their receipt numbers,
background checks and liability insurance.

Drawn from a generator of its own (seeded from the demo seed), so the rest of the demo data is the
same with or without this part. Receipt numbers are given out in the order the entries were
recorded, from 1 in each year, as the app does.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .. import rules, settings
from .context import Course, Demo

INSURERS = ("中国人民财产保险", "中国平安财产保险", "中国太平洋财产保险")
POLICE = ("城关派出所", "东城派出所", "西街派出所", "开发区派出所")
WAIVER_REASONS = ("低保家庭，经中心同意减免", "残疾人学员减免", "零就业家庭减免")
REFUND_REASONS = ("开班前退学，退还培训费", "因病退学，按比例退费")


def _entry(demo: Demo, course: Course, kind: str, amount: float, on: date, **extra) -> dict:
    fen = rules.to_fen(amount)
    return {"enrolment_id": course.enrolment, "kind": kind, "amount": amount,
            "credit": float(rules.from_fen(rules.entry_credit(kind, fen))),
            "payer": extra.get("payer"), "payer_name": extra.get("payer_name"),
            "method": extra.get("method"), "happened_on": on, "reverses_id": None,
            "reason": extra.get("reason"), "recorded_by_id": demo.accounts["staff"].id,
            "recorded_at": demo.at(min(on + timedelta(days=extra.get("late", 0)), demo.today), 14)}


def _course_entries(demo: Demo, rng: random.Random, course: Course) -> list[dict]:
    """What a course's fee account saw: most pay in full, some in part, a few are waived or
    refunded; a subsidy arrives some weeks after the certificate, or is still due."""
    row, fee = course.row, course.row["fee_amount"]
    payer, start = row["fee_payer"], course.cls.starts_on
    if start > demo.today or not fee:
        return []
    paid_on = min(demo.days_after(row["enrolled_on"], 0, 10), demo.today)
    method = rng.choice(rules.PAYMENT_METHODS)
    entries = []
    if payer == "subsidy":
        if course.certificate is None:
            return []
        arrives = demo.days_after(course.certificate["issued_on"], 25, 90)
        if arrives <= demo.today and rng.random() < 0.75:
            entries.append(_entry(demo, course, "payment", fee, arrives, payer="subsidy",
                                  method="bank_transfer", payer_name="市人社局职业培训补贴"))
        return entries
    if payer == "employer":
        return [_entry(demo, course, "payment", fee, paid_on, payer="employer",
                       method="bank_transfer", payer_name="幸福家政服务有限公司")]
    draw = rng.random()
    if draw < 0.05:
        entries.append(_entry(demo, course, "waiver", fee, paid_on,
                              reason=rng.choice(WAIVER_REASONS)))
    elif draw < 0.12:
        entries.append(_entry(demo, course, "payment", fee / 2, paid_on, payer="self",
                              method=method))  # the rest still owed
    elif draw < 0.16:
        pass  # nothing paid yet: on the outstanding list
    else:
        entries.append(_entry(demo, course, "payment", fee, paid_on, payer="self", method=method))
        if course.withdrawn and rng.random() < 0.6:
            refund_on = min(demo.days_after(paid_on, 3, 20), demo.today)
            entries.append(_entry(demo, course, "refund", fee / 2, refund_on, payer="self",
                                  method=method, reason=rng.choice(REFUND_REASONS)))
    return entries


def fees(demo: Demo) -> None:
    """Plan the fee ledger of every regular course, numbered per year in recording order; one
    payment recorded twice by mistake is corrected by a reversal."""
    rng = random.Random(settings.demo_seed() * 31 + 17)
    planned = []
    for course in demo.courses:
        planned.extend(_course_entries(demo, rng, course))
    planned.sort(key=lambda e: (e["recorded_at"], e["happened_on"]))
    doubled = next((e for e in planned if e["kind"] == "payment" and e["payer"] == "self"), None)
    sequence: dict[int, int] = {}

    def numbered(entry: dict) -> dict:
        year = entry["recorded_at"].year
        sequence[year] = sequence.get(year, 0) + 1
        return dict(entry, receipt_year=year, receipt_sequence=sequence[year])

    for entry in planned:
        demo.plan.add("fee_entry", numbered(entry))
        if entry is doubled:
            twice = demo.plan.add("fee_entry", numbered(entry))
            demo.plan.add("fee_reversal", numbered(dict(
                entry, credit=-entry["credit"], reverses_id=twice, reason="重复登记，冲正")))


def clearances(demo: Demo, demo_trainee: Course) -> None:
    """Background checks and liability insurance for part of the certified workers: most are
    in order, a few pending, expiring or lapsed (so every colour shows)."""
    rng = random.Random(settings.demo_seed() * 37 + 5)
    checks = policies = 0
    for course in demo.courses:
        if course.certificate is None:
            continue
        special = course is demo_trainee
        if special or rng.random() < 0.6:
            checks += 1
            draw = 0.5 if special else rng.random()
            checked_on = min(demo.days_after(course.cls.starts_on, 0, 30), demo.today)
            status = "pending" if draw < 0.05 else "failed" if draw < 0.07 else "passed"
            demo.plan.add("background", {
                "trainee_id": course.row["trainee_id"], "status": status,
                "checked_on": checked_on,
                "valid_until": None,
                "reference": f"WFZ{checked_on.year}{checks:05d}" if status == "passed" else None,
                "issuer": POLICE[checks % len(POLICE)], "note": None,
                "recorded_by_id": demo.accounts["staff"].id, "recorded_at": demo.at(checked_on, 16),
            })
        if special or rng.random() < 0.5:
            policies += 1
            starts = course.certificate["issued_on"]
            while rules.insurance_expiry_default(starts) < demo.today and (
                    special or rng.random() < 0.9):
                starts = rules.insurance_expiry_default(starts) + timedelta(days=1)  # renewed
            if special and rules.insurance_expiry_default(starts) < demo.today + timedelta(days=60):
                starts = demo.today - timedelta(days=30)
            demo.plan.add("insurance", {
                "trainee_id": course.row["trainee_id"], "insurer": INSURERS[policies % 3],
                "policy_number": f"PZ{starts.year}{policies:07d}", "starts_on": starts,
                "expires_on": rules.insurance_expiry_default(starts),
                "recorded_by_id": demo.accounts["staff"].id, "recorded_at": demo.at(starts, 9),
            })
