"""The payment actions: create (idempotent, one open payment per dossier), start, settle (the
only way to paid), expire and refund, each with its audit entry."""

import json
import re
import threading
from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.db import connection

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.audit.models import AuditEntry
from opendvc.core import transport
from opendvc.dossiers.models import Dossier, Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY
from opendvc.notifications.models import Message
from opendvc.payments import actions
from opendvc.payments.gateways import vnpay
from opendvc.payments.models import GatewayMessage, Payment, PrepaymentRule
from opendvc.payments.tests.factories import PaymentFactory, payable_dossier, result_for

pytestmark = pytest.mark.django_db
S = Payment.State


def _create(dossier, by, key="k-1", now=MONDAY, **kwargs):
    return actions.create_payment(dossier=dossier, by=by, idempotency_key=key, now=now, **kwargs)


# Creating ------------------------------------------------------------------------------------


def test_applicant_creates_a_payment_of_the_dossier_fees(citizen, agency, settings):
    settings.PAYMENT_EXPIRY_MINUTES = 15
    dossier = payable_dossier(citizen, agency, amount=50_000)

    payment = _create(dossier, citizen)

    assert payment.state == S.CREATED
    assert (payment.amount, payment.currency, payment.purpose) == (50_000, "VND", "OBLIGATION")
    assert payment.lines == [
        {
            "fee": dossier.procedure.fees.get().pk,
            "kind": "CHARGE",
            "label": "Lệ phí cấp phiếu",
            "amount": 50_000,
        }
    ]
    assert re.fullmatch(r"261123[A-Z2-7]{16}", payment.txn_ref)
    assert dossier.code not in payment.txn_ref
    assert payment.expires_at == MONDAY + timedelta(minutes=15)
    entry = AuditEntry.objects.get(action="payments.created")
    assert entry.actor_id == citizen.pk and entry.payload["amount"] == 50_000


def test_txn_refs_differ(citizen, agency):
    first = _create(payable_dossier(citizen, agency), citizen, key="a")
    second = _create(payable_dossier(citizen, agency), citizen, key="b")
    assert first.txn_ref != second.txn_ref


def test_someone_else_cannot_create_a_payment(citizen, other_citizen, agency):
    dossier = payable_dossier(citizen, agency)
    with pytest.raises(actions.NotAllowed):
        _create(dossier, other_citizen)
    assert not Payment.objects.exists()


def test_same_key_and_body_return_the_same_payment(citizen, agency):
    dossier = payable_dossier(citizen, agency)

    first = _create(dossier, citizen, key="same")
    again = _create(dossier, citizen, key="same", now=MONDAY + timedelta(minutes=1))

    assert again.pk == first.pk
    assert Payment.objects.count() == 1


def test_same_key_with_another_body_is_a_conflict(citizen, agency):
    dossier = payable_dossier(citizen, agency)
    other = payable_dossier(citizen, agency)
    _create(dossier, citizen, key="same")

    with pytest.raises(actions.IdempotencyConflict):
        _create(dossier, citizen, key="same", purpose=Payment.Purpose.OBLIGATION)
    with pytest.raises(actions.IdempotencyConflict):
        _create(other, citizen, key="same")
    assert Payment.objects.count() == 1


def test_the_same_key_of_another_user_is_theirs(citizen, other_citizen, agency):
    mine = _create(payable_dossier(citizen, agency), citizen, key="same")
    theirs = _create(payable_dossier(other_citizen, agency), other_citizen, key="same")
    assert mine.pk != theirs.pk


def test_an_open_payment_is_returned_instead_of_a_second(citizen, agency):
    dossier = payable_dossier(citizen, agency)
    first = _create(dossier, citizen, key="one")

    second = _create(dossier, citizen, key="two", now=MONDAY + timedelta(minutes=5))

    assert second.pk == first.pk
    assert Payment.objects.count() == 1


def test_an_open_payment_past_its_time_expires_and_a_new_one_is_made(citizen, agency):
    dossier = payable_dossier(citizen, agency)
    first = _create(dossier, citizen, key="one")

    second = _create(dossier, citizen, key="two", now=MONDAY + timedelta(minutes=16))

    assert second.pk != first.pk
    first.refresh_from_db()
    assert first.state == S.EXPIRED


@pytest.mark.parametrize(
    "status", [Status.NEW, Status.RECEIVED, Status.PROCESSING, Status.FINISHED]
)
def test_a_dossier_outside_status_6_has_nothing_to_pay(citizen, agency, status):
    dossier = payable_dossier(citizen, agency, status=status)
    with pytest.raises(actions.NotPayable):
        _create(dossier, citizen)
    assert not Payment.objects.exists()


def test_a_dossier_without_fees_has_nothing_to_pay(citizen, agency):
    dossier = payable_dossier(citizen, agency, amount=None)
    with pytest.raises(actions.NotPayable, match="không có khoản"):
        _create(dossier, citizen)


def test_fees_collected_before_reception_are_paid_in_status_1(citizen, agency, leader):
    dossier = payable_dossier(citizen, agency, status=Status.NEW)
    PrepaymentRule.objects.create(
        agency=agency, procedure=dossier.procedure, set_at=MONDAY, set_by=leader
    )

    payment = _create(dossier, citizen)

    assert payment.purpose == Payment.Purpose.BEFORE_RECEPTION


# Starting ------------------------------------------------------------------------------------


def test_starting_gives_the_signed_pay_url(citizen, agency, settings):
    settings.SITE_URL = "https://dichvucong.example.vn"
    payment = _create(payable_dossier(citizen, agency), citizen)

    url = actions.start_payment(payment=payment, ip="10.0.0.7", now=MONDAY + timedelta(seconds=5))

    params = dict(parse_qsl(urlsplit(url).query))
    assert url.startswith(settings.VNPAY_PAY_URL)
    assert vnpay.verify(params, settings.VNPAY_HASH_SECRET)
    assert params["vnp_TxnRef"] == payment.txn_ref
    assert params["vnp_Amount"] == "5000000"
    assert params["vnp_ReturnUrl"] == "https://dichvucong.example.vn/payments/vnpay/return"
    payment.refresh_from_db()
    assert payment.state == S.STARTED and payment.started_at == MONDAY + timedelta(seconds=5)
    assert AuditEntry.objects.filter(action="payments.started").count() == 1


def test_starting_an_expired_payment_expires_it(citizen, agency):
    payment = _create(payable_dossier(citizen, agency), citizen)

    with pytest.raises(actions.NotPayable, match="hết hạn"):
        actions.start_payment(payment=payment, ip="", now=MONDAY + timedelta(minutes=15))

    payment.refresh_from_db()
    assert payment.state == S.EXPIRED


def test_a_paid_payment_cannot_be_started_again(citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), state=S.SUCCESS)
    with pytest.raises(actions.IllegalMove):
        actions.start_payment(payment=payment, ip="", now=MONDAY)


# Expiry --------------------------------------------------------------------------------------


def test_expire_payments_expires_only_open_payments_past_their_time(citizen, agency):
    dossier = payable_dossier(citizen, agency)
    late = PaymentFactory(dossier=dossier, state=S.CREATED)
    started = PaymentFactory(dossier=dossier, state=S.STARTED)
    fresh = PaymentFactory(dossier=dossier, expires_at=MONDAY + timedelta(hours=1))
    paid = PaymentFactory(dossier=dossier, state=S.SUCCESS)

    count = actions.expire_payments(now=MONDAY + timedelta(minutes=15))

    assert count == 2
    states = {p.pk: p.state for p in Payment.objects.all()}
    assert states == {
        late.pk: S.EXPIRED,
        started.pk: S.EXPIRED,
        fresh.pk: S.STARTED,
        paid.pk: S.SUCCESS,
    }
    assert AuditEntry.objects.filter(action="payments.expired").count() == 2


# Settling ------------------------------------------------------------------------------------


def test_success_numbers_the_receipt_and_the_dossier_goes_on(citizen, agency):
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)
    now = MONDAY + timedelta(minutes=3)

    settled = actions.settle(payment=payment, result=result_for(payment), source="IPN", now=now)

    assert settled.state == S.SUCCESS and settled.paid_at == now
    assert (settled.receipt_year, settled.receipt_number) == (2026, 1)
    assert (settled.transaction_no, settled.bank_code, settled.response_code) == (
        "14226112",
        "NCB",
        "00",
    )
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.is_paid_online
    change = StatusChange.objects.get(dossier=dossier, action="confirm_payment")
    assert change.actor is None
    entry = AuditEntry.objects.get(action="payments.settled")
    assert entry.payload["state"] == "SUCCESS" and entry.payload["receipt"] == 1
    assert AuditEntry.objects.filter(action="dossiers.confirm_payment").exists()


def test_receipt_numbers_run_per_agency_and_year(citizen, agency, other_agency):
    numbers = []
    for where, at in [
        (agency, MONDAY),
        (agency, MONDAY),
        (other_agency, MONDAY),
        (agency, MONDAY.replace(year=2027, month=1, day=4)),
    ]:
        payment = PaymentFactory(dossier=payable_dossier(citizen, where))
        done = actions.settle(payment=payment, result=result_for(payment), source="IPN", now=at)
        numbers.append((done.agency_id, done.receipt_year, done.receipt_number))

    assert numbers == [
        (agency.pk, 2026, 1),
        (agency.pk, 2026, 2),
        (other_agency.pk, 2026, 1),
        (agency.pk, 2027, 1),
    ]


def test_paid_before_reception_is_recorded_on_the_dossier(citizen, agency):
    dossier = payable_dossier(citizen, agency, status=Status.NEW)
    payment = PaymentFactory(dossier=dossier, purpose=Payment.Purpose.BEFORE_RECEPTION)

    actions.settle(payment=payment, result=result_for(payment), source="IPN", now=MONDAY)

    dossier.refresh_from_db()
    assert dossier.status == Status.NEW and dossier.is_paid_online
    entry = AuditEntry.objects.get(action="dossiers.paid_online")
    assert entry.actor_id is None and entry.target_id == str(dossier.pk)


def test_the_payer_is_told_once_that_the_payment_was_received(citizen, agency):
    dossier = payable_dossier(citizen, agency, status=Status.NEW)
    payment = PaymentFactory(dossier=dossier, purpose=Payment.Purpose.BEFORE_RECEPTION)

    paid = actions.settle(payment=payment, result=result_for(payment), source="IPN", now=MONDAY)
    with pytest.raises(actions.AlreadySettled):
        actions.settle(payment=payment, result=result_for(payment), source="QUERY", now=MONDAY)

    message = Message.objects.get(event="payment.received")
    assert message.key == f"payment-received:{payment.pk}"
    assert message.reference == dossier.code and message.agency == agency
    assert message.context["amount"] == f"{payment.amount:,} đ".replace(",", ".")
    assert message.context["receipt_number"] == f"{paid.receipt_number}/{paid.receipt_year}"
    assert message.is_urgent  # an answer to what the payer just did: no quiet hours


@pytest.mark.parametrize(("code", "state"), [("51", S.FAILED), ("24", S.CANCELLED)])
def test_an_unpaid_outcome_ends_the_payment_and_leaves_the_dossier(citizen, agency, code, state):
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)

    done = actions.settle(
        payment=payment, result=result_for(payment, response_code=code), source="IPN", now=MONDAY
    )

    assert done.state == state and done.ended_at == MONDAY and done.receipt_number is None
    dossier.refresh_from_db()
    assert dossier.status == Status.FINANCIAL_OBLIGATION and not dossier.is_paid_online
    assert not Message.objects.filter(event="payment.received").exists()


def test_settling_twice_is_refused_and_credits_once(citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    actions.settle(payment=payment, result=result_for(payment), source="IPN", now=MONDAY)

    with pytest.raises(actions.AlreadySettled):
        actions.settle(payment=payment, result=result_for(payment), source="QUERY", now=MONDAY)

    assert AuditEntry.objects.filter(action="payments.settled").count() == 1
    assert StatusChange.objects.filter(action="confirm_payment").count() == 1


def test_a_wrong_amount_is_refused(citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    with pytest.raises(actions.AmountMismatch):
        actions.settle(
            payment=payment, result=result_for(payment, amount=1_000), source="IPN", now=MONDAY
        )
    payment.refresh_from_db()
    assert payment.state == S.STARTED


def test_a_late_success_credits_an_expired_payment(citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), state=S.EXPIRED)

    done = actions.settle(payment=payment, result=result_for(payment), source="IPN", now=MONDAY)

    assert done.state == S.SUCCESS and done.receipt_number == 1


def test_a_late_failure_leaves_an_expired_payment_expired(citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), state=S.EXPIRED)

    done = actions.settle(
        payment=payment, result=result_for(payment, paid=False), source="IPN", now=MONDAY
    )

    assert done.state == S.EXPIRED and done.response_code == "51"


# Refunds -------------------------------------------------------------------------------------


def refund_gateway(code: str = "00"):
    """The merchant API's refund answer, signed as VNPay signs it."""
    calls = []

    def send(method, url, *, params=None, json_body=None, timeout=15.0):
        calls.append(json_body)
        answer = {
            "vnp_ResponseId": "r-1",
            "vnp_Command": "refund",
            "vnp_ResponseCode": code,
            "vnp_Message": "ok",
            "vnp_TmnCode": json_body["vnp_TmnCode"],
            "vnp_TxnRef": json_body["vnp_TxnRef"],
            "vnp_Amount": json_body["vnp_Amount"],
            "vnp_TransactionNo": "99887766",
            "vnp_TransactionType": "02",
            "vnp_TransactionStatus": "05",
        }
        answer["vnp_SecureHash"] = vnpay.api_checksum(
            answer, vnpay.REFUND_RESPONSE_FIELDS, vnpay.config().hash_secret
        )
        return transport.Reply(200, json.dumps(answer))

    send.calls = calls
    return send


def test_a_leader_refunds_a_paid_payment_with_a_reason(citizen, agency, leader):
    payment = PaymentFactory(
        dossier=payable_dossier(citizen, agency), state=S.SUCCESS, transaction_no="14226112"
    )
    gateway = refund_gateway()

    with transport.use(gateway):
        done = actions.refund_payment(payment=payment, by=leader, reason="Thu nhầm", now=MONDAY)

    assert done.state == S.REFUNDED
    assert (done.refunded_at, done.refunded_by, done.refund_reason) == (MONDAY, leader, "Thu nhầm")
    assert gateway.calls[0]["vnp_Amount"] == "5000000"
    assert gateway.calls[0]["vnp_TxnRef"] == payment.txn_ref
    assert GatewayMessage.objects.get(kind="REFUND").answer == "00"
    entry = AuditEntry.objects.get(action="payments.refunded")
    assert entry.actor_id == leader.pk and entry.payload["reason"] == "Thu nhầm"


def test_a_refund_needs_a_reason_and_a_leader_or_admin_of_the_agency(
    citizen, agency, other_agency, specialist, leader
):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), state=S.SUCCESS)
    outsider = OfficialFactory(roles=[(other_agency, "LEADER")])

    with pytest.raises(actions.InvalidRequest):
        actions.refund_payment(payment=payment, by=leader, reason="  ", now=MONDAY)
    for someone in (specialist, outsider, citizen):
        with pytest.raises(actions.NotAllowed):
            actions.refund_payment(payment=payment, by=someone, reason="Thu nhầm", now=MONDAY)
    payment.refresh_from_db()
    assert payment.state == S.SUCCESS


def test_only_a_paid_payment_can_be_refunded(citizen, agency, leader):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), state=S.FAILED)
    with transport.use(refund_gateway()), pytest.raises(actions.IllegalMove):
        actions.refund_payment(payment=payment, by=leader, reason="Thu nhầm", now=MONDAY)


def test_a_refund_the_gateway_refuses_changes_nothing_but_is_kept(citizen, agency, leader):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), state=S.SUCCESS)

    with transport.use(refund_gateway("94")), pytest.raises(actions.RefundRefused, match="94"):
        actions.refund_payment(payment=payment, by=leader, reason="Thu nhầm", now=MONDAY)

    payment.refresh_from_db()
    assert payment.state == S.SUCCESS and payment.refunded_at is None
    assert GatewayMessage.objects.get(kind="REFUND", payment=payment).answer == "94"
    assert not AuditEntry.objects.filter(action="payments.refunded").exists()


@pytest.mark.django_db(transaction=True)
def test_two_creations_at_once_make_one_payment(citizen, agency):
    # Given a dossier waiting for its fee, and the same request sent twice at once
    dossier = payable_dossier(citizen, agency)
    start = threading.Barrier(2)
    made = []

    def create():
        try:
            start.wait()
            made.append(_create(Dossier.objects.get(pk=dossier.pk), citizen, key="same").pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then both get the one payment
    assert len(made) == 2 and made[0] == made[1]
    assert Payment.objects.count() == 1
    assert AuditEntry.objects.filter(action="payments.created").count() == 1


def test_the_worker_heartbeat_expires_unpaid_payments_past_their_time(citizen, agency):
    from opendvc.core.tasks import heartbeat

    dossier = payable_dossier(citizen, agency)
    late = PaymentFactory(dossier=dossier, expires_at=MONDAY - timedelta(minutes=1))

    with time_machine.travel(MONDAY, tick=False):
        heartbeat.call()

    late.refresh_from_db()
    assert late.state == Payment.State.EXPIRED


# Paid twice ----------------------------------------------------------------------------------

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_late_success_after_another_payment_was_paid_is_refunded_at_once(
    citizen, agency, settings
):
    settings.TASKS = IMMEDIATE
    dossier = payable_dossier(citizen, agency)
    expired = PaymentFactory(dossier=dossier, state=S.EXPIRED, transaction_no="111")
    second = PaymentFactory(dossier=dossier, state=S.STARTED)
    actions.settle(payment=second, result=result_for(second), source="IPN", now=MONDAY)
    gateway = refund_gateway()

    with transport.use(gateway):
        actions.settle(payment=expired, result=result_for(expired), source="IPN", now=MONDAY)

    expired.refresh_from_db()
    second.refresh_from_db()
    assert (second.state, expired.state) == (S.SUCCESS, S.REFUNDED)
    assert "trùng" in expired.refund_reason and expired.refunded_by is None
    assert [call["vnp_TxnRef"] for call in gateway.calls] == [expired.txn_ref]
    confirmations = StatusChange.objects.filter(dossier=dossier, action="confirm_payment")
    assert confirmations.count() == 1  # the dossier was told once


@pytest.mark.django_db(transaction=True)
def test_a_duplicate_the_gateway_would_not_refund_is_retried_and_listed_by_reconciliation(
    citizen, agency, settings
):
    from opendvc.payments.reconcile import reconcile

    settings.TASKS = IMMEDIATE
    dossier = payable_dossier(citizen, agency)
    first, later = PaymentFactory.create_batch(2, dossier=dossier, state=S.STARTED)
    actions.settle(payment=first, result=result_for(first), source="IPN", now=MONDAY)
    with transport.use(refund_gateway("94")):  # the automatic refund is refused
        actions.settle(payment=later, result=result_for(later), source="IPN", now=MONDAY)
    later.refresh_from_db()
    assert later.state == S.SUCCESS

    with transport.use(refund_gateway()):
        run = reconcile(day=MONDAY.date(), now=MONDAY)

    later.refresh_from_db()
    assert later.state == S.REFUNDED
    assert [m["txn_ref"] for m in run.mismatches] == [later.txn_ref]


def test_refunding_a_duplicate_twice_refunds_once(citizen, agency):
    dossier = payable_dossier(citizen, agency)
    PaymentFactory(dossier=dossier, state=S.SUCCESS, paid_at=MONDAY)
    later = PaymentFactory(dossier=dossier, state=S.SUCCESS, paid_at=MONDAY)
    gateway = refund_gateway()

    with transport.use(gateway):
        actions.refund_duplicate(payment=later, now=MONDAY)
        actions.refund_duplicate(payment=later, now=MONDAY)

    assert len(gateway.calls) == 1
