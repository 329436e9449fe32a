"""Reconciliation (`opendvc reconcile_payments`): the gateway is asked about pending and doubtful
payments; what it decided is settled, the rest expires past its time, and the report lists
what did not match. The gateway is replaced at the adapter's edge (`vnpay.query_transaction`)."""

from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import CommandError, call_command

from opendvc.audit.models import AuditEntry
from opendvc.core import transport
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import DossierFactory
from opendvc.payments import actions
from opendvc.payments.gateways import vnpay
from opendvc.payments.models import GatewayMessage, Payment, Reconciliation
from opendvc.payments.reconcile import reconcile
from opendvc.payments.tests.factories import payable_dossier
from opendvc.payments.tests.test_receipts import NOW, make_payment

pytestmark = pytest.mark.django_db
LATER = NOW + timedelta(minutes=20)  # past the 15 minutes every test payment has
DAY = NOW.date()


def result(payment, *, paid=True, status=None, amount=None) -> vnpay.GatewayResult:
    return vnpay.GatewayResult(
        txn_ref=payment.txn_ref,
        amount_vnd=payment.amount if amount is None else amount,
        response_code="00",
        transaction_status=status or ("00" if paid else "02"),
        transaction_no="14220001",
        bank_code="NCB",
        card_type="ATM",
        pay_date="20261123091000",
    )


@pytest.fixture
def gateway(monkeypatch):
    """What the gateway answers about each txn_ref (a result, None, or an error to raise), and
    the txn_refs it was asked about."""
    answers: dict[str, object] = {}
    asked: list[str] = []

    def query_transaction(cfg, *, txn_ref, transaction_date, ip, now):
        asked.append(txn_ref)
        answer = answers.get(txn_ref)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(vnpay, "query_transaction", query_transaction)
    return type("Gateway", (), {"answers": answers, "asked": asked})


def obligation(agency, citizen):
    return DossierFactory(status=Status.FINANCIAL_OBLIGATION, agency=agency, applicant=citizen)


def started(agency, citizen, **extra):
    dossier = obligation(agency, citizen)
    return make_payment(dossier, state=Payment.State.STARTED, started_at=NOW, **extra)


def ipn(payment, *, paid: bool) -> None:
    GatewayMessage.objects.create(
        payment=payment,
        kind=GatewayMessage.Kind.IPN,
        at=NOW + timedelta(minutes=1),
        params={
            "vnp_TxnRef": payment.txn_ref,
            "vnp_ResponseCode": "00" if paid else "51",
            "vnp_TransactionStatus": "00" if paid else "02",
        },
        is_signature_valid=True,
        answer="00",
    )


def test_a_started_payment_the_gateway_says_paid_is_settled_once(gateway, agency, citizen):
    # Given a started payment whose IPN never came, and the gateway says it was paid
    payment = started(agency, citizen)
    gateway.answers[payment.txn_ref] = result(payment, paid=True)

    # When reconciliation runs
    run = reconcile(day=DAY, now=LATER)

    # Then the payment is paid, numbered, the dossier goes on to processing, all recorded
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert payment.receipt_number is not None
    assert payment.transaction_no == "14220001"
    payment.dossier.refresh_from_db()
    assert payment.dossier.status == Status.PROCESSING
    assert payment.dossier.is_paid_online
    settled = AuditEntry.objects.filter(action="payments.settled", target_id=str(payment.pk))
    assert [entry.payload["source"] for entry in settled] == ["reconcile"]
    assert (run.checked, run.settled) == (1, 1)
    assert run.finished_at is not None
    assert run.mismatches[0]["txn_ref"] == payment.txn_ref
    assert run.mismatches[0]["agency"] == agency.pk
    assert "IPN" in run.mismatches[0]["what"]
    query = GatewayMessage.objects.get(payment=payment, kind=GatewayMessage.Kind.QUERY)
    assert query.params["vnp_TransactionStatus"] == "00"
    assert AuditEntry.objects.filter(action="payments.reconciled", target_id=str(run.pk)).exists()

    # And a second run asks nothing more and settles nothing again
    gateway.asked.clear()
    again = reconcile(day=DAY, now=LATER + timedelta(hours=1))
    assert gateway.asked == []
    assert (again.checked, again.settled, again.mismatches) == (0, 0, [])
    assert settled.count() == 1


def test_a_payment_the_gateway_says_failed_is_settled_failed(gateway, agency, citizen):
    payment = started(agency, citizen)
    gateway.answers[payment.txn_ref] = result(payment, paid=False)

    run = reconcile(day=DAY, now=LATER)

    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED
    assert payment.receipt_number is None
    assert run.settled == 1


def test_undecided_payments_expire_only_past_their_time(gateway, agency, citizen):
    # Given a started payment the gateway still has pending, and one created and never started
    pending = started(agency, citizen)
    never = make_payment(obligation(agency, citizen), state=Payment.State.CREATED)
    gateway.answers[pending.txn_ref] = result(pending, paid=False, status="01")
    gateway.answers[never.txn_ref] = None

    # When reconciliation runs within their time: nothing changes
    early = reconcile(day=DAY, now=NOW + timedelta(minutes=5))
    pending.refresh_from_db()
    assert pending.state == Payment.State.STARTED
    assert (early.settled, early.mismatches) == (0, [])
    assert gateway.asked == [pending.txn_ref]  # the created one is not due yet

    # When it runs past their time: both expire
    reconcile(day=DAY, now=LATER)
    for payment in (pending, never):
        payment.refresh_from_db()
        assert payment.state == Payment.State.EXPIRED


def test_the_gateway_paid_a_payment_we_expired_it_is_settled_late(gateway, agency, citizen):
    # Given an expired payment whose (late) IPN said it was paid, but was not recorded
    payment = make_payment(obligation(agency, citizen), state=Payment.State.EXPIRED, ended_at=NOW)
    ipn(payment, paid=True)
    gateway.answers[payment.txn_ref] = result(payment, paid=True)

    run = reconcile(day=DAY, now=LATER)

    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert run.settled == 1
    assert "muộn" in run.mismatches[0]["what"]
    assert run.mismatches[0]["ours"] == "EXPIRED → SUCCESS"


def test_the_gateway_paid_a_payment_we_hold_failed_it_is_listed_for_a_person(
    gateway, agency, citizen
):
    payment = make_payment(obligation(agency, citizen), state=Payment.State.FAILED, ended_at=NOW)
    ipn(payment, paid=True)
    gateway.answers[payment.txn_ref] = result(payment, paid=True)

    run = reconcile(day=DAY, now=LATER)

    payment.refresh_from_db()
    assert payment.state == Payment.State.FAILED
    assert run.settled == 0
    assert run.mismatches[0]["txn_ref"] == payment.txn_ref
    assert "đã thanh toán" in run.mismatches[0]["what"]


def test_amounts_that_differ_are_listed_not_settled(gateway, agency, citizen):
    payment = started(agency, citizen)
    gateway.answers[payment.txn_ref] = result(payment, paid=True, amount=5_000)

    run = reconcile(day=DAY, now=NOW + timedelta(minutes=5))

    payment.refresh_from_db()
    assert payment.state == Payment.State.STARTED
    assert run.settled == 0
    assert run.mismatches[0]["what"] == "Số tiền khác nhau: cổng 5.000 đ, hệ thống 50.000 đ"
    assert run.mismatches[0]["gateway"]["amount_vnd"] == 5_000


def test_a_paid_payment_that_agrees_with_the_gateway_is_not_asked(gateway, agency, citizen):
    payment = make_payment(DossierFactory(status=Status.PROCESSING, agency=agency))
    ipn(payment, paid=True)

    run = reconcile(day=DAY, now=LATER)

    assert gateway.asked == []
    assert run.mismatches == []


def test_a_paid_payment_the_gateway_says_failed_is_listed(gateway, agency, citizen):
    payment = make_payment(DossierFactory(status=Status.PROCESSING, agency=agency))
    ipn(payment, paid=False)  # a later word said otherwise
    gateway.answers[payment.txn_ref] = result(payment, paid=False)

    run = reconcile(day=DAY, now=LATER)

    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert gateway.asked == [payment.txn_ref]
    assert "không thành công" in run.mismatches[0]["what"]


def test_an_unreachable_gateway_is_listed_and_changes_nothing(gateway, agency, citizen):
    payment = started(agency, citizen)
    gateway.answers[payment.txn_ref] = vnpay.GatewayError("querydr answered 99")

    run = reconcile(day=DAY, now=NOW + timedelta(minutes=5))

    payment.refresh_from_db()
    assert payment.state == Payment.State.STARTED
    assert (run.checked, run.settled) == (0, 0)
    assert "Không hỏi được cổng" in run.mismatches[0]["what"]


def test_the_command_prints_a_progress_bar_and_a_summary(gateway, agency, citizen, time_machine):
    time_machine.move_to(LATER, tick=False)
    paid = started(agency, citizen)
    gateway.answers[paid.txn_ref] = result(paid, paid=True)
    out = StringIO()

    call_command("reconcile_payments", "--day", DAY.isoformat(), stdout=out)

    text = out.getvalue()
    assert f"[{'#' * 30}] 1/1" in text
    assert f"Ngày {DAY:%d/%m/%Y}: đã hỏi cổng 1, đã chốt 1, hết hạn 0, chênh lệch 1." in text
    assert paid.txn_ref in text
    assert Reconciliation.objects.get().day == DAY


def test_the_command_refuses_a_bad_day():
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("reconcile_payments", "--day", "23/11/2026")


def test_expire_payments_command_expires_what_is_due(agency, citizen, time_machine):
    time_machine.move_to(LATER, tick=False)
    due = started(agency, citizen)
    fresh = started(agency, citizen, expires_at=LATER + timedelta(minutes=5))
    out = StringIO()

    call_command("expire_payments", stdout=out)

    due.refresh_from_db()
    fresh.refresh_from_db()
    assert (due.state, fresh.state) == (Payment.State.EXPIRED, Payment.State.STARTED)
    assert "Đã chuyển 1 giao dịch" in out.getvalue()


def test_a_payment_whose_ipn_never_came_is_settled_from_the_sandbox_gateways_answer(
    client, settings, agency, citizen, time_machine
):
    # Given a payment paid at the sandbox gateway, whose IPN was never sent
    settings.PAYMENTS_SANDBOX = True
    settings.VNPAY_PAY_URL = "http://testserver/payments/sandbox/pay"
    settings.VNPAY_API_URL = "http://testserver/payments/sandbox/api"
    time_machine.move_to(NOW, tick=False)
    dossier = payable_dossier(citizen, agency, amount=50_000)
    payment = actions.create_payment(dossier=dossier, by=citizen, idempotency_key="k1", now=NOW)
    pay_url = actions.start_payment(payment=payment, ip="203.0.113.7", now=NOW)
    form = dict(parse_qsl(urlsplit(pay_url).query)) | {
        "outcome": "00",
        "bank": "NCB",
        "ipn": "none",
    }
    assert client.post("/payments/sandbox/pay", form).status_code == 302
    payment.refresh_from_db()
    assert payment.state == Payment.State.STARTED

    # When reconciliation asks the gateway through the merchant API
    time_machine.move_to(NOW + timedelta(minutes=5), tick=False)
    with transport.use(transport.client_transport(client)):
        run = reconcile(day=DAY, now=NOW + timedelta(minutes=5))

    # Then the payment is paid once, and the dossier goes on to processing
    payment.refresh_from_db()
    dossier.refresh_from_db()
    assert (payment.state, payment.bank_code) == (Payment.State.SUCCESS, "NCB")
    assert dossier.status == Status.PROCESSING
    assert (run.checked, run.settled) == (1, 1)


def test_one_payment_failing_unexpectedly_does_not_stop_the_others(
    gateway, agency, citizen, monkeypatch
):
    # Given two payments the gateway says are paid, the first of which cannot be settled
    first, second = started(agency, citizen), started(agency, citizen)
    for payment in (first, second):
        gateway.answers[payment.txn_ref] = result(payment, paid=True)
    settle = actions.settle

    def settle_but_not_the_first(*, payment, **kwargs):
        if payment.pk == first.pk:
            raise RuntimeError("disk full")
        return settle(payment=payment, **kwargs)

    monkeypatch.setattr(actions, "settle", settle_but_not_the_first)

    # When reconciliation runs
    run = reconcile(day=DAY, now=NOW + timedelta(minutes=5))

    # Then the second is settled and the first is listed with what went wrong
    second.refresh_from_db()
    assert second.state == Payment.State.SUCCESS
    assert run.settled == 1
    assert run.finished_at is not None
    listed = {item["txn_ref"]: item["what"] for item in run.mismatches}
    assert "disk full" in listed[first.txn_ref]
