"""Fees: payments, refunds and waivers per enrolment, reversals instead of edits, receipts numbered
without a gap per year (also when two people record at once), A5 receipts with the amount in
capital figures, outstanding balances, and a year's fee figures."""

from __future__ import annotations

import io
import threading
from datetime import date, timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from traincenter.errors import DomainError
from traincenter.extensions import db
from traincenter.fees import operations, queries
from traincenter.models import AppendOnlyError, FeeEntry, User
from traincenter.models.base import utcnow

from .conftest import login
from .pdftext import pdftotext

TODAY = date.today()


def _pay(enrolment, actor, amount="1300", kind="payment", **kw):
    today = kw.pop("today", None)
    values = operations.EntryInput(kind=kind, amount=amount, happened_on=kw.pop("on", TODAY),
                                   payer=kw.pop("payer", "self"), method=kw.pop("method", "cash"),
                                   **kw)
    return operations.record_fee_entry(enrolment.id, values, actor, today=today)


def _numbers(year=TODAY.year) -> list[int]:
    return list(db.session.scalars(select(FeeEntry.receipt_sequence)
                                   .where(FeeEntry.receipt_year == year)
                                   .order_by(FeeEntry.receipt_sequence)))


def _account(enrolment):
    return queries.enrolment_page(enrolment.id)["account"]


def _pdf_text(data: bytes) -> str:
    return pdftotext(data, "-layout")


# --- recording -----------------------------------------------------------------------------------


def test_staff_record_a_payment_on_the_account_page(client, make):
    enrolment = make.enrolment(make.trainee(name="王秀英"))
    login(client, make.user("staff"))
    page = client.get(f"/fees/enrolments/{enrolment.id}").get_data(as_text=True)
    assert 'value="1300.00"' in page  # the amount still owed, ready to take
    assert "王秀英的缴费" in page and "尚欠" in page
    response = client.post(f"/fees/enrolments/{enrolment.id}", data={
        "kind": "payment", "amount": "1,000", "happened_on": TODAY.isoformat(), "payer": "self",
        "method": "wechat"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert f"已登记，凭证号 {TODAY.year}-000001" in html
    assert "微信支付" in html and 'class="row-new"' in html
    account = _account(enrolment)
    assert (account.paid_fen, account.outstanding_fen) == (100000, 30000)


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "1300.01"}, "本班只欠 1,300.00 元"),
    ({"amount": "0"}, "金额必须大于零"),
    ({"amount": "12.345"}, "最多两位小数"),
    ({"amount": "一千"}, "请以元为单位填写金额"),
    ({"happened_on": (TODAY + timedelta(days=1)).isoformat()}, "日期不能晚于今天"),
    ({"kind": "refund", "amount": "10", "reason": "多收"}, "只缴了 0.00 元"),
    ({"kind": "waiver", "amount": "300"}, "请填写原因"),
    ({"method": ""}, "请选择付款方式"),
])
def test_a_wrong_entry_is_refused_with_a_reason_and_nothing_is_recorded(client, make, data,
                                                                         message):
    enrolment = make.enrolment()
    login(client, make.user("staff"))
    form = {"kind": "payment", "amount": "1300", "happened_on": TODAY.isoformat(),
            "payer": "self", "method": "cash", **data}
    response = client.post(f"/fees/enrolments/{enrolment.id}", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and message in html
    assert db.session.scalar(select(FeeEntry.id)) is None


def test_payments_refunds_and_waivers_make_up_the_account(make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    _pay(enrolment, staff, "1000", payer="employer", payer_name="幸福家政公司")
    _pay(enrolment, staff, "300", kind="waiver", reason="低保户减免")
    assert _account(enrolment).is_settled
    with pytest.raises(DomainError, match="本班只欠 0.00 元"):
        _pay(enrolment, staff, "1")
    _pay(enrolment, staff, "200", kind="refund", payer="employer", reason="退学退费")
    account = _account(enrolment)
    assert (account.paid_fen, account.waived_fen, account.outstanding_fen) == (80000, 30000, 20000)
    entries = queries.entries_of(enrolment.id)
    assert [e.receipt_sequence for e in entries] == [1, 2, 3]
    assert entries[1].payer is None and entries[1].method is None  # a waiver moves no money
    assert entries[0].recorded_by_id == staff.id and entries[0].recorded_at is not None


def test_only_staff_record_fees(make):
    enrolment = make.enrolment()
    with pytest.raises(DomainError, match="只有工作人员"):
        _pay(enrolment, make.user("instructor"))


# --- corrections: reversals only -----------------------------------------------------------------


def test_a_correction_is_a_reversal_with_its_own_number_and_reason(client, make):
    staff = make.user("staff", display_name="李会计")
    enrolment = make.enrolment()
    wrong = _pay(enrolment, staff, "1300", method="cash")
    login(client, staff)
    refused = client.post(f"/fees/entries/{wrong.id}/reverse", data={"reason": ""},
                          follow_redirects=True).get_data(as_text=True)
    assert "请填写冲正原因" in refused
    page = client.post(f"/fees/entries/{wrong.id}/reverse", data={"reason": "误录，实为微信支付"},
                       follow_redirects=True).get_data(as_text=True)
    assert f"凭证 {wrong.receipt_number} 已由 {TODAY.year}-000002 冲正" in page
    assert f"已被 {TODAY.year}-000002 冲正" in page and "误录，实为微信支付" in page
    db.session.expire_all()
    reversal = db.session.scalar(select(FeeEntry).where(FeeEntry.reverses_id == wrong.id))
    assert (reversal.kind, reversal.amount, reversal.credit) == ("payment", 1300, -1300)
    assert reversal.recorded_by_id == staff.id and reversal.reason == "误录，实为微信支付"
    assert _account(enrolment).outstanding_fen == 130000
    assert db.session.get(FeeEntry, wrong.id).credit == 1300  # the original stays as it was
    _pay(enrolment, staff, "1300", method="wechat")
    assert _account(enrolment).is_settled
    assert _numbers() == [1, 2, 3]


def test_an_entry_is_reversed_once_and_a_reversal_never(make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    entry = _pay(enrolment, staff)
    reversal = operations.reverse_fee_entry(entry.id, "重复登记", staff)
    with pytest.raises(DomainError, match="已经冲正过了"):
        operations.reverse_fee_entry(entry.id, "再冲一次", staff)
    with pytest.raises(DomainError, match="冲正凭证不能再冲正"):
        operations.reverse_fee_entry(reversal.id, "撤销冲正", staff)


def test_a_payment_with_a_later_refund_waits_for_the_refund_to_be_reversed(make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    payment = _pay(enrolment, staff)
    refund = _pay(enrolment, staff, "1000", kind="refund", reason="退学")
    with pytest.raises(DomainError, match="请先冲正退费"):
        operations.reverse_fee_entry(payment.id, "收款登记错误", staff)
    operations.reverse_fee_entry(refund.id, "退款未实际发生", staff)
    operations.reverse_fee_entry(payment.id, "收款登记错误", staff)
    assert _account(enrolment).paid_fen == 0


def test_the_ledger_cannot_be_edited_or_deleted(make):
    entry = _pay(make.enrolment(), make.user("staff"))
    entry.amount = 1
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.get(FeeEntry, entry.id))
    with pytest.raises(AppendOnlyError):
        db.session.commit()
    db.session.rollback()


# --- receipt numbers -----------------------------------------------------------------------------


def test_numbers_run_per_year_from_one(make):
    staff = make.user("staff")
    enrolments = [make.enrolment() for _ in range(3)]
    last_year = date(TODAY.year - 1, 12, 31)
    _pay(enrolments[0], staff, "100", on=last_year, today=last_year)
    _pay(enrolments[1], staff, "100", on=last_year, today=last_year)
    first_this_year = _pay(enrolments[2], staff, "100")
    assert _numbers(TODAY.year - 1) == [1, 2]
    assert first_this_year.receipt_number == f"{TODAY.year}-000001"


def _record_at_once(app, jobs) -> list:
    """Run each job (a function of the app context) in its own thread, all released together."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        with app.app_context():
            barrier.wait()
            try:
                results[index] = job()
            except Exception as error:  # noqa: BLE001 — the test looks at what came back
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_two_people_recording_at_once_get_consecutive_numbers(app, make):
    staff_ids = [make.user("staff").id for _ in range(2)]
    enrolment_ids = [make.enrolment().id for _ in range(8)]

    def job(index):
        def record():
            actor = db.session.get(User, staff_ids[index % 2])
            values = operations.EntryInput("payment", "650", TODAY, "self", "cash")
            return operations.record_fee_entry(enrolment_ids[index], values, actor).receipt_sequence
        return record

    results = _record_at_once(app, [job(i) for i in range(8)])
    assert sorted(results) == list(range(1, 9)), results
    assert _numbers() == list(range(1, 9))


def test_two_people_taking_the_same_payment_at_once_settle_it_once(app, make):
    """Both check the account before either has written: only one payment may stand. Five rounds,
    as the moment two threads meet differs from run to run."""
    staff_ids = [make.user("staff").id for _ in range(2)]
    enrolment_ids = [make.enrolment().id for _ in range(5)]

    def record(staff_id, enrolment_id):
        def run():
            values = operations.EntryInput("payment", "1300", TODAY, "self", "cash")
            return operations.record_fee_entry(enrolment_id, values,
                                               db.session.get(User, staff_id)).receipt_number
        return run

    for enrolment_id in enrolment_ids:
        results = _record_at_once(app, [record(staff_id, enrolment_id) for staff_id in staff_ids])
        recorded = [r for r in results if isinstance(r, str)]
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(recorded) == 1 and len(refused) == 1, results
        assert "本班只欠 0.00 元" in str(refused[0])
    assert _numbers() == [1, 2, 3, 4, 5]


# --- receipts ------------------------------------------------------------------------------------


def test_the_receipt_is_an_a5_chinese_pdf_with_the_amount_in_capital_figures(client, make):
    trainee = make.trainee(name="张桂兰")
    enrolment = make.enrolment(trainee)
    staff = make.user("staff", display_name="李会计")
    entry = _pay(enrolment, staff, "1300", method="alipay")
    login(client, staff)
    response = client.get(f"/fees/entries/{entry.id}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    box = PdfReader(io.BytesIO(response.data)).pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 148)
    text = _pdf_text(response.data)
    for words in ("收款收据", f"No. {entry.receipt_number}", "张桂兰", "人民币壹仟叁佰元整",
                  "¥1,300.00", "支付宝", "经办人：李会计", "尚欠 0.00 元", trainee.masked_id_number):
        assert words in text, words
    assert trainee.id_number not in text


def test_refund_waiver_and_reversal_vouchers_say_what_they_are(client, make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    payment = _pay(enrolment, staff, "1000.50")
    waiver = _pay(enrolment, staff, "299.50", kind="waiver", reason="困难学员")
    refund = _pay(enrolment, staff, "100", kind="refund", reason="多收")
    reversal = operations.reverse_fee_entry(refund.id, "退款登记错误", staff)
    login(client, staff)

    def text(entry):
        return _pdf_text(client.get(f"/fees/entries/{entry.id}/receipt.pdf").data)

    assert "壹仟元伍角" in text(payment)
    assert "减免凭证" in text(waiver) and "贰佰玖拾玖元伍角" in text(waiver)
    assert "困难学员" in text(waiver)
    refunded = text(refund)
    assert "退费凭证" in refunded and "已冲正" in refunded
    assert f"由第 {reversal.receipt_number} 号冲正凭证冲正" in refunded
    cancelling = text(reversal)
    assert "冲正凭证" in cancelling and f"冲正第 {refund.receipt_number} 号退费凭证" in cancelling
    assert "（冲减）人民币壹佰元整" in cancelling and "退款登记错误" in cancelling


# --- lists ---------------------------------------------------------------------------------------


class _Statements:
    def __enter__(self):
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def _count(self, *args):  # noqa: ARG002
        self.count += 1

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)


def test_outstanding_balances_list_who_owes_with_totals_in_fixed_queries(client, make):
    staff = make.user("staff")
    cls = make.training_class(code="JZ2026A")
    paid = make.enrolment(make.trainee(name="已缴清"), cls)
    part = make.enrolment(make.trainee(name="欠三百"), cls, fee_payer="subsidy")
    none = make.enrolment(make.trainee(name="未缴费"), cls)
    _pay(paid, staff)
    _pay(part, staff, "1000", payer="subsidy", method="bank_transfer")
    login(client, staff)
    page = client.get("/fees/").get_data(as_text=True)
    assert "欠三百" in page and "未缴费" in page and "已缴清" not in page
    assert "共 2 人次欠费，合计 1,600.00 元" in page
    only_subsidy = client.get("/fees/?payer=subsidy").get_data(as_text=True)
    assert "欠三百" in only_subsidy and "未缴费" not in only_subsidy
    found = client.get("/fees/?q=JZ2026").get_data(as_text=True)
    assert "欠三百" in found
    csv = client.get("/fees/outstanding.csv")
    assert csv.status_code == 200 and "未缴费" in csv.data.decode("utf-8-sig")
    with _Statements() as few:
        client.get("/fees/")
    for _ in range(12):
        _pay(make.enrolment(make.trainee(), cls), staff, "100")
    with _Statements() as many:
        page = client.get("/fees/").get_data(as_text=True)
    assert many.count == few.count
    assert "共 14 人次欠费" in page
    assert none.id  # listed above


def test_the_trainee_record_links_each_course_to_its_fees(client, make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    _pay(enrolment, staff, "1000")
    login(client, staff)
    page = client.get(f"/trainees/{enrolment.trainee_id}").get_data(as_text=True)
    assert f"/fees/enrolments/{enrolment.id}" in page and "尚欠 300.00 元" in page


def test_the_journal_lists_every_number_of_the_year(client, make):
    staff = make.user("staff")
    enrolment = make.enrolment()
    entry = _pay(enrolment, staff, "500")
    operations.reverse_fee_entry(entry.id, "金额错", staff)
    login(client, staff)
    page = client.get(f"/fees/journal?year={TODAY.year}").get_data(as_text=True)
    assert f"{TODAY.year}-000001" in page and f"{TODAY.year}-000002" in page
    assert "编号连续" in page
    assert client.get("/fees/journal?year=abc").status_code == 200


# --- the year's figures ------------------------------------------------------------------------------


def test_year_fee_figures(make):
    staff = make.user("staff")
    year = TODAY.year - 1
    on = date(year, 6, 1)
    cls = make.training_class(starts_on=date(year, 3, 1))
    exam = make.exam(cls)

    def course(payer, certified_on=None, revoked=None):
        enrolment = make.enrolment(make.trainee(), cls, fee_payer=payer)
        if certified_on:
            certificate = make.certificate(make.result(exam, enrolment, 80, 80),
                                           issued_on=certified_on)
            if revoked:
                certificate.revoked_at, certificate.revocation_reason = revoked, "撤销"
                db.session.commit()
        return enrolment

    def pay(enrolment, amount, kind="payment", payer="self", when=on, **kw):
        values = operations.EntryInput(kind, amount, when, payer, "bank_transfer", **kw)
        return operations.record_fee_entry(enrolment.id, values, staff, today=when)

    self_paid = course("self")
    pay(self_paid, "1300")
    pay(self_paid, "300", kind="refund", reason="退学")
    employer = course("employer")
    mistaken = pay(employer, "1300", payer="employer")
    operations.reverse_fee_entry(mistaken.id, "登记错", staff, today=on)
    pay(employer, "1000", payer="employer")
    subsidised = course("subsidy", certified_on=date(year, 5, 1))
    pay(subsidised, "1300", payer="subsidy")  # the subsidy arrived: claimed
    waiting = course("subsidy", certified_on=date(year, 11, 1))  # earned, not yet received
    pay(waiting, "100", kind="waiver", payer=None, reason="减免")
    course("subsidy", certified_on=date(year, 12, 1), revoked=utcnow())  # revoked after the year
    course("subsidy", certified_on=date(year, 4, 1), revoked=utcnow().replace(year=year,
                                                                              month=7))
    course("subsidy")  # not certified: nothing due yet
    pay(self_paid, "50", when=date(year + 1, 1, 5)) if year + 1 <= TODAY.year else None

    figures = queries.year_fee_figures(year)
    assert figures.collected == 1300 - 300 + 1000 + 1300
    assert figures.collected_by_payer == {"self": 1000, "subsidy": 1300, "employer": 1000}
    assert (figures.refunded, figures.waived) == (300, 100)
    assert figures.subsidies_claimed == 1300
    assert (figures.subsidies_earned_count, figures.subsidies_earned) == (4, 5200)
    # On 31 December: `waiting` owes 1200 and the certificate revoked only later owes 1300; the
    # one revoked in July no longer earns anything.
    assert (figures.subsidies_due_count, figures.subsidies_due) == (2, 2500)
    assert (figures.receipts, figures.first_receipt) == (7, f"{year}-000001")
    assert figures.last_receipt == f"{year}-000007" and figures.receipts_unbroken
    assert "补贴" in figures.definitions["subsidies_due"]
    assert queries.year_fee_figures(year - 5).receipts == 0


def test_the_year_figures_on_the_command_line(runner, make):
    staff = make.user("staff")
    last_year = date(TODAY.year - 1, 5, 1)
    _pay(make.enrolment(), staff, "1300", on=last_year, today=last_year)
    result = runner.invoke(args=["report", "fees", "--year", str(TODAY.year - 1)])
    assert result.exit_code == 0, result.output
    assert "实收培训费：1,300.00" in result.output and "编号连续" in result.output
    english = runner.invoke(args=["report", "fees", "--year", str(TODAY.year - 1), "--lang", "en"])
    assert "Fees collected: 1,300.00" in english.output
    assert runner.invoke(args=["report", "fees", "--year", "1900"]).exit_code != 0
