"""The gateway's IPN: checks in the protocol's order (97, 01, 04, 02, then 00), every message
kept, only it marks a payment paid, and two at once credit once."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import Status, StatusChange
from opendvc.payments.gateways import vnpay
from opendvc.payments.models import GatewayMessage, Payment
from opendvc.payments.tests.factories import PaymentFactory, gateway_params, payable_dossier

pytestmark = pytest.mark.django_db
S = Payment.State


def ipn(client, params, method="get"):
    return getattr(client, method)(reverse("payments:vnpay_ipn"), params)


def test_a_paid_ipn_confirms_the_payment_and_the_dossier_goes_on(client, citizen, agency):
    # Given a started payment for a dossier waiting for its fee (status 6)
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)

    # When the gateway notifies that it was paid
    response = ipn(client, gateway_params(payment))

    # Then it is confirmed, paid, numbered, and the dossier is processed again (4)
    assert response.status_code == 200
    assert response.json() == {"RspCode": "00", "Message": "Confirm Success"}
    payment.refresh_from_db()
    assert payment.state == S.SUCCESS and payment.receipt_number == 1
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.is_paid_online
    message = GatewayMessage.objects.get(kind="IPN")
    assert (message.payment, message.is_signature_valid, message.answer) == (payment, True, "00")
    assert message.params["vnp_TxnRef"] == payment.txn_ref
    assert AuditEntry.objects.filter(action="payments.settled").count() == 1


def test_the_ipn_may_come_by_post(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))

    response = ipn(client, gateway_params(payment), method="post")

    assert response.json()["RspCode"] == "00"


def test_a_tampered_hash_answers_97_and_changes_nothing(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    params = gateway_params(payment)
    params["vnp_SecureHash"] = params["vnp_SecureHash"][:-4] + "0000"

    response = ipn(client, params)

    assert response.json() == {"RspCode": "97", "Message": "Invalid signature"}
    payment.refresh_from_db()
    assert payment.state == S.STARTED
    message = GatewayMessage.objects.get(kind="IPN")
    assert (message.is_signature_valid, message.answer) == (False, "97")


def test_a_tampered_amount_breaks_the_signature(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    params = gateway_params(payment)
    params["vnp_Amount"] = "100"

    assert ipn(client, params).json()["RspCode"] == "97"
    payment.refresh_from_db()
    assert payment.state == S.STARTED


def test_a_signed_wrong_amount_answers_04(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency), amount=50_000)

    response = ipn(client, gateway_params(payment, amount=5_000))

    assert response.json() == {"RspCode": "04", "Message": "Invalid amount"}
    payment.refresh_from_db()
    assert payment.state == S.STARTED
    assert GatewayMessage.objects.get(kind="IPN").payment == payment


def test_an_unknown_order_answers_01(client, citizen, agency):
    payment = PaymentFactory.build(txn_ref="261123NOSUCHORDER", amount=50_000)

    response = ipn(client, gateway_params(payment))

    assert response.json() == {"RspCode": "01", "Message": "Order not found"}
    assert GatewayMessage.objects.get(kind="IPN").payment is None


def test_the_signature_is_checked_before_the_order(client):
    payment = PaymentFactory.build(txn_ref="261123NOSUCHORDER", amount=50_000)
    params = {**gateway_params(payment), "vnp_SecureHash": "00"}

    assert ipn(client, params).json()["RspCode"] == "97"


def test_a_replayed_ipn_answers_02_and_credits_once(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)
    params = gateway_params(payment)

    first = ipn(client, params)
    again = ipn(client, params)

    assert first.json()["RspCode"] == "00"
    assert again.json() == {"RspCode": "02", "Message": "Order already confirmed"}
    payment.refresh_from_db()
    assert payment.receipt_number == 1
    assert StatusChange.objects.filter(dossier=dossier, action="confirm_payment").count() == 1
    assert list(
        GatewayMessage.objects.filter(kind="IPN").order_by("pk").values_list("answer", flat=True)
    ) == ["00", "02"]


def test_a_failed_outcome_is_recorded_and_the_dossier_still_owes(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)

    response = ipn(client, gateway_params(payment, paid=False))

    assert response.json()["RspCode"] == "00"
    payment.refresh_from_db()
    assert payment.state == S.FAILED and payment.response_code == "51"
    assert payment.receipt_number is None
    dossier.refresh_from_db()
    assert dossier.status == Status.FINANCIAL_OBLIGATION and not dossier.is_paid_online


def test_the_ipn_before_the_return_page_shows_it_paid(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    params = gateway_params(payment)

    ipn(client, params)
    page = client.get(reverse("payments:vnpay_return"), params)

    assert "Thanh toán thành công" in page.content.decode()
    assert "Đang chờ xác nhận" not in page.content.decode()


def test_a_signed_message_missing_a_field_answers_99(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    params = gateway_params(payment)
    del params["vnp_ResponseCode"]
    params["vnp_SecureHash"] = vnpay.sign(params, vnpay.config().hash_secret)

    response = ipn(client, params)

    assert response.json() == {"RspCode": "99", "Message": "Unknown error"}
    payment.refresh_from_db()
    assert payment.state == S.STARTED
    assert GatewayMessage.objects.get(kind="IPN").is_signature_valid is True


def test_an_unexpected_error_answers_99(client, citizen, agency, monkeypatch):
    from opendvc.payments.actions import gateway

    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(gateway, "settle", broken)
    response = ipn(client, gateway_params(payment))

    assert response.json() == {"RspCode": "99", "Message": "Unknown error"}
    assert GatewayMessage.objects.get(kind="IPN").answer == "99"


@pytest.mark.django_db(transaction=True)
def test_two_ipns_at_once_credit_once(citizen, agency):
    # Given a started payment, and two copies of its paid IPN arriving together
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)
    params = gateway_params(payment)
    start = threading.Barrier(2)
    answers = []

    def deliver():
        try:
            start.wait()
            answers.append(ipn(Client(), params).json()["RspCode"])
        finally:
            connection.close()

    # When both are handled at the same time, each in its own connection
    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then one confirms, the other finds it confirmed: one credit, one receipt number
    assert sorted(answers) == ["00", "02"]
    payment.refresh_from_db()
    assert payment.state == S.SUCCESS and payment.receipt_number == 1
    assert StatusChange.objects.filter(dossier=dossier, action="confirm_payment").count() == 1
    assert AuditEntry.objects.filter(action="payments.settled").count() == 1
    assert GatewayMessage.objects.filter(kind="IPN").count() == 2


def test_a_paid_ipn_before_reception_records_the_payment_on_the_new_dossier(
    client, citizen, agency
):
    # Given a new dossier (status 1) whose agency collects its fee before reception
    dossier = payable_dossier(citizen, agency, status=Status.NEW)
    payment = PaymentFactory(dossier=dossier, purpose=Payment.Purpose.BEFORE_RECEPTION)

    # When the gateway notifies that it was paid
    response = ipn(client, gateway_params(payment))

    # Then the dossier stays new for the desk to receive, and records it was paid online
    assert response.json()["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.status == Status.NEW and dossier.is_paid_online
    assert AuditEntry.objects.filter(action="dossiers.paid_online").count() == 1
