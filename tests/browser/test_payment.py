"""Paying a fee online in a real browser: a citizen whose dossier waits for its fee (status 6)
pays in the built-in sandbox gateway, comes back to the return page, the gateway's IPN arrives,
the dossier says it is paid and the receipt PDF downloads; the agency's leader finds the payment
on the staff pages. axe finds no serious or critical violation on any payment page."""

import re

import pytest
from django.utils import timezone

from opendvc.accounts.tests.factories import CitizenFactory, OfficialFactory
from opendvc.catalog.tests.factories import FeeFactory
from opendvc.directory.tests.factories import AgencyFactory
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import DossierFactory
from opendvc.dossiers.tests.test_slips import pdf_text
from opendvc.payments.models import Payment

from .helpers import deliver_the_ipn, fits_the_screen, serious_violations, shoot, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def dossier_owing_a_fee():
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", code="T24-STP")
    citizen = CitizenFactory(full_name="Nguyễn Văn An", phone="0912345678")
    dossier = DossierFactory(
        status=Status.FINANCIAL_OBLIGATION,
        agency=agency,
        applicant=citizen,
        case__procedure__name="Cấp phiếu lý lịch tư pháp",
    )
    FeeFactory(procedure=dossier.procedure, amount=200_000, description="Lệ phí cấp phiếu")
    return dossier


def no_violations(page, name: str) -> None:
    shoot(page, name)
    assert serious_violations(page) == [], name
    assert fits_the_screen(page), name


def test_a_citizen_pays_in_the_sandbox_and_downloads_the_receipt(
    gateway_here, page, dossier_owing_a_fee
):
    base, dossier = gateway_here, dossier_owing_a_fee
    sign_in_as(page, base, dossier.applicant)

    # The dossier page says what is owed and offers to pay.
    page.goto(f"{base}/ho-so/{dossier.code}/")
    assert page.get_by_text("200.000").first.is_visible()
    no_violations(page, "payment-1-dossier")
    page.get_by_role("link", name="Thanh toán", exact=True).click()
    page.wait_for_url(f"**/ho-so/{dossier.code}/thanh-toan/")
    no_violations(page, "payment-2-pay")

    # At the sandbox gateway: a bank, a successful outcome, the IPN held back for now.
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url("**/payments/sandbox/pay?**")
    no_violations(page, "payment-3-gateway")
    page.get_by_label("Vietcombank").check()
    page.locator("input[name=outcome][value='00']").check()
    page.get_by_label("Không gửi IPN").check()
    page.get_by_role("button", name="Xác nhận").click()

    # Back at the portal: the return page waits for the gateway's word.
    page.wait_for_url("**/payments/vnpay/return?**")
    assert page.get_by_text("Đang chờ xác nhận.").is_visible()
    no_violations(page, "payment-4-return")
    payment = Payment.objects.get(dossier=dossier)
    assert payment.state == Payment.State.STARTED

    # The IPN arrives: the payment is paid and the dossier goes on.
    assert deliver_the_ipn(payment) == "00"
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert payment.bank_code == "VCB"
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING

    page.reload()
    assert page.get_by_text("Thanh toán thành công.").is_visible()
    page.goto(f"{base}/ho-so/{dossier.code}/")
    assert page.get_by_text(re.compile("Đã thanh toán")).first.is_visible()
    no_violations(page, "payment-5-paid")

    # The receipt downloads as a PDF that names the payment.
    link = page.get_by_role("link", name=re.compile(r"Biên lai số [0-9]+.[0-9]{4}"))
    receipt = page.request.get(base + link.get_attribute("href"))
    assert receipt.status == 200
    assert receipt.headers["content-type"] == "application/pdf"
    text = pdf_text(receipt.body())
    assert "BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)" in text
    assert "Hai trăm nghìn đồng" in text
    assert dossier.code in text


def paid_payment(dossier) -> Payment:
    now = timezone.now()
    return Payment.objects.create(
        dossier=dossier,
        agency=dossier.agency,
        payer=dossier.applicant,
        purpose=Payment.Purpose.OBLIGATION,
        state=Payment.State.SUCCESS,
        amount=200_000,
        description=f"Thanh toan ho so {dossier.code}",
        lines=[{"fee": None, "kind": "FEE", "label": "Lệ phí cấp phiếu", "amount": 200_000}],
        txn_ref="261123BROWSER0001",
        created_at=now,
        started_at=now,
        paid_at=now,
        expires_at=now,
        transaction_no="14220001",
        bank_code="NCB",
        receipt_year=now.year,
        receipt_number=1,
    )


def test_the_leader_finds_the_payment_on_the_staff_pages(gateway_here, page, dossier_owing_a_fee):
    base, dossier = gateway_here, dossier_owing_a_fee
    leader = OfficialFactory(full_name="Hoàng Văn Em", roles=[(dossier.agency, "LEADER")])
    payment = paid_payment(dossier)
    sign_in_as(page, base, leader)

    page.goto(f"{base}/can-bo/thanh-toan/")
    assert page.get_by_role("link", name=payment.txn_ref).is_visible()
    no_violations(page, "payment-staff-list")

    page.get_by_role("link", name=payment.txn_ref).click()
    page.wait_for_url(f"**/can-bo/thanh-toan/{payment.pk}/")
    assert page.get_by_label("Lý do hoàn tiền").is_visible()
    no_violations(page, "payment-staff-detail")

    page.goto(f"{base}/can-bo/thanh-toan/doi-soat/")
    no_violations(page, "payment-staff-reconciliations")


def test_the_staff_payments_pages_fit_a_phone(gateway_here, phone_page, dossier_owing_a_fee):
    base, dossier = gateway_here, dossier_owing_a_fee
    leader = OfficialFactory(roles=[(dossier.agency, "LEADER")])
    payment = paid_payment(dossier)
    sign_in_as(phone_page, base, leader)

    for path in ("/can-bo/thanh-toan/", f"/can-bo/thanh-toan/{payment.pk}/"):
        phone_page.goto(base + path)
        assert fits_the_screen(phone_page), path
    shoot(phone_page, "payment-staff-detail-phone")
