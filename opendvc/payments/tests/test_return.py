"""The return page: it shows the outcome the gateway signed, says when confirmation is still
awaited, links back to the dossier, and never marks anything paid."""

import pytest
from django.urls import reverse

from opendvc.dossiers.models import Status
from opendvc.payments.models import GatewayMessage, Payment
from opendvc.payments.tests.factories import PaymentFactory, gateway_params, payable_dossier

pytestmark = pytest.mark.django_db
S = Payment.State


def back(client, params):
    return client.get(reverse("payments:vnpay_return"), params)


def test_return_without_ipn_shows_pending_and_pays_nothing(client, citizen, agency):
    # Given a started payment whose IPN has not come
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)
    client.force_login(citizen)

    # When the payer comes back from the gateway saying it was paid
    response = back(client, gateway_params(payment))

    # Then the page says confirmation is awaited, and nothing is marked paid
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đang chờ xác nhận" in page
    assert reverse("dossiers:detail", kwargs={"code": dossier.code}) in page
    payment.refresh_from_db()
    assert payment.state == S.STARTED and payment.receipt_number is None
    dossier.refresh_from_db()
    assert dossier.status == Status.FINANCIAL_OBLIGATION and not dossier.is_paid_online
    message = GatewayMessage.objects.get(kind="RETURN")
    assert (message.payment, message.is_signature_valid) == (payment, True)


def test_return_after_the_ipn_shows_success_and_the_receipt_number(client, citizen, agency):
    payment = PaymentFactory(
        dossier=payable_dossier(citizen, agency),
        state=S.SUCCESS,
        receipt_year=2026,
        receipt_number=12,
    )

    page = back(client, gateway_params(payment)).content.decode()

    assert "Thanh toán thành công" in page
    assert "Biên lai số 12/2026" in page
    assert reverse("payments:receipt", args=[payment.dossier.code, payment.pk]) in page


def test_a_failed_payment_is_shown_with_a_way_to_try_again(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    payment = PaymentFactory(dossier=dossier)

    page = back(client, gateway_params(payment, paid=False)).content.decode()

    assert "Thanh toán không thành công" in page
    assert reverse("payments:pay", kwargs={"code": dossier.code}) in page
    payment.refresh_from_db()
    assert payment.state == S.STARTED


def test_a_cancelled_payment_says_so(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))

    page = back(client, gateway_params(payment, response_code="24")).content.decode()

    assert "Bạn đã huỷ thanh toán" in page


def test_a_tampered_return_is_refused_and_shows_no_payment(client, citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    params = {**gateway_params(payment), "vnp_ResponseCode": "00", "vnp_Amount": "100"}

    response = back(client, params)

    assert response.status_code == 400
    page = response.content.decode()
    assert "không hợp lệ" in page
    assert "Mã giao dịch" not in page
    assert GatewayMessage.objects.get(kind="RETURN").is_signature_valid is False


def test_a_return_for_an_unknown_order(client):
    payment = PaymentFactory.build(txn_ref="261123NOSUCHORDER", amount=50_000)

    response = back(client, gateway_params(payment))

    assert "Không tìm thấy giao dịch" in response.content.decode()
