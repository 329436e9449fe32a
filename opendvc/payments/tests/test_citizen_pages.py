"""The applicant's pages: the payment box on the dossier page, the payment page and its button
to the gateway; nobody else's dossier is payable (404)."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from opendvc.core import transport
from opendvc.dossiers.models import Status
from opendvc.payments.models import GatewayMessage, Payment
from opendvc.payments.tests.factories import PaymentFactory, gateway_params, payable_dossier

pytestmark = pytest.mark.django_db
PROVINCE = "Theo Nghị quyết của HĐND tỉnh"


def detail(client, dossier):
    return client.get(reverse("dossiers:detail", kwargs={"code": dossier.code}))


def pay_page(client, dossier):
    return client.get(reverse("payments:pay", kwargs={"code": dossier.code}))


def start(client, dossier, key="page-key"):
    return client.post(reverse("payments:start", kwargs={"code": dossier.code}), {"key": key})


def test_the_dossier_page_asks_for_the_fee_in_status_6(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, amount=50_000)
    client.force_login(citizen)

    page = detail(client, dossier).content.decode()

    assert "Cần nộp phí, lệ phí: <strong>50.000 ₫</strong>" in page
    assert reverse("payments:pay", kwargs={"code": dossier.code}) in page


def test_the_dossier_page_has_no_payment_box_when_nothing_is_due(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, status=Status.PROCESSING)
    client.force_login(citizen)

    page = detail(client, dossier).content.decode()

    assert "Cần nộp phí" not in page
    assert reverse("payments:pay", kwargs={"code": dossier.code}) not in page


def test_the_dossier_page_shows_the_online_payment_and_its_receipt(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, status=Status.PROCESSING, is_paid_online=True)
    payment = PaymentFactory(
        dossier=dossier, state=Payment.State.SUCCESS, receipt_year=2026, receipt_number=4
    )
    client.force_login(citizen)

    page = detail(client, dossier).content.decode()

    assert "Đã thanh toán trực tuyến 50.000 ₫" in page
    assert f"/ho-so/{dossier.code}/thanh-toan/{payment.pk}/bien-lai.pdf" in page
    assert "Cần nộp phí" not in page


def test_the_payment_page_shows_lines_total_and_purpose(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, amount=50_000)
    client.force_login(citizen)

    response = pay_page(client, dossier)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Lệ phí cấp phiếu" in page and "50.000 ₫" in page
    assert "nghĩa vụ tài chính" in page
    assert "Thanh toán trực tuyến" in page


def test_the_button_takes_the_applicant_to_the_gateway(client, citizen, agency, settings):
    dossier = payable_dossier(citizen, agency)
    client.force_login(citizen)

    response = start(client, dossier)

    assert response.status_code == 302
    assert response.url.startswith(settings.VNPAY_PAY_URL)
    payment = Payment.objects.get()
    assert payment.state == Payment.State.STARTED
    assert dict(parse_qsl(urlsplit(response.url).query))["vnp_TxnRef"] == payment.txn_ref


def test_a_double_click_makes_one_payment(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    client.force_login(citizen)

    first = start(client, dossier, key="same")
    second = start(client, dossier, key="same")

    assert first.url == second.url
    assert Payment.objects.count() == 1


def test_nothing_to_pay_sends_back_with_a_message(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, status=Status.PROCESSING)
    client.force_login(citizen)

    response = start(client, dossier)

    assert response.status_code == 302
    assert response.url == reverse("payments:pay", kwargs={"code": dossier.code})
    page = client.get(response.url).content.decode()
    assert "không có khoản phí, lệ phí nào cần nộp" in page
    assert not Payment.objects.exists()


def test_a_fee_the_agency_has_not_set_cannot_be_paid(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, amount=0)
    dossier.procedure.fees.update(description=PROVINCE)
    client.force_login(citizen)

    page = pay_page(client, dossier).content.decode()

    assert "chưa công bố mức thu" in page
    assert reverse("payments:start", kwargs={"code": dossier.code}) not in page


def test_another_citizen_gets_404(client, citizen, other_citizen, agency):
    dossier = payable_dossier(citizen, agency)
    client.force_login(other_citizen)

    assert pay_page(client, dossier).status_code == 404
    assert start(client, dossier).status_code == 404
    assert "Cần nộp phí" not in detail(client, dossier).content.decode()
    assert not Payment.objects.exists()


def test_signing_in_is_required(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)

    response = pay_page(client, dossier)

    assert response.status_code == 302
    assert "dang-nhap" in response.url or "login" in response.url


def test_from_the_button_to_paid(client, citizen, agency):
    # Given a dossier waiting for its fee, and its applicant pressing the button
    dossier = payable_dossier(citizen, agency)
    client.force_login(citizen)
    start(client, dossier)
    payment = Payment.objects.get()

    # When the gateway's IPN says it was paid
    answer = client.get(reverse("payments:vnpay_ipn"), gateway_params(payment))

    # Then the dossier is processed again and its page says it was paid online
    assert answer.json()["RspCode"] == "00"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.is_paid_online
    page = detail(client, dossier).content.decode()
    assert "Đã thanh toán trực tuyến" in page
    assert reverse("payments:receipt", args=[dossier.code, payment.pk]) in page


def test_paying_in_the_sandbox_gateway_from_the_button_to_the_return_page(client, citizen, agency):
    # Given the applicant pressed the button and is at the sandbox gateway's pay page
    dossier = payable_dossier(citizen, agency)
    client.force_login(citizen)
    pay_url = urlsplit(start(client, dossier).url)
    signed = dict(parse_qsl(pay_url.query))
    assert client.get(pay_url.path, signed).status_code == 200

    # When they pay, and the gateway calls the IPN before sending them back
    choices = {"bank": "NCB", "outcome": "00", "ipn": "before"}
    with transport.use(transport.client_transport(Client())):
        done = client.post(pay_url.path, {**signed, **choices})
    back_url = urlsplit(done.url)
    back = client.get(back_url.path, dict(parse_qsl(back_url.query)))

    # Then the return page shows it paid, the dossier went on, and it was credited once
    assert back_url.path == reverse("payments:vnpay_return")
    assert "Thanh toán thành công" in back.content.decode()
    payment = Payment.objects.get()
    assert payment.state == Payment.State.SUCCESS and payment.bank_code == "NCB"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and dossier.is_paid_online
    assert list(GatewayMessage.objects.values_list("kind", "answer").order_by("pk")) == [
        ("IPN", "00"),
        ("RETURN", ""),
    ]
