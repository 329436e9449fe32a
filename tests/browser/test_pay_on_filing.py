"""Filing with a fee, in a real browser: a citizen files "Thủ tục đăng ký khai sinh" (1.001193)
asking for two copies, at a ward that collects fees before reception; the dossier page asks for
the copies' fee, the citizen pays it in the sandbox gateway, the IPN arrives, and the receipt
downloads with the amount."""

import re

import pytest
from django.utils import timezone

from opendvc.accounts.tests.factories import CitizenFactory, OfficialFactory
from opendvc.catalog.tests.factories import FeeFactory
from opendvc.directory.models import Agency
from opendvc.dossiers.models import Dossier
from opendvc.dossiers.tests.test_slips import pdf_text
from opendvc.payments.models import Payment, PrepaymentRule

from .helpers import (
    attach_every_document,
    deliver_the_ipn,
    fill_birth_form,
    serious_violations,
    sign_in_as,
)

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def copies_paid_before_reception(birth_registration):
    """The catalog's copy fee (as for 1.000578: 8.000 đồng a copy), collected before reception."""
    ward = Agency.objects.get(name="UBND phường Kinh Bắc")
    FeeFactory(
        procedure=birth_registration, amount=8_000, description="Cấp bản sao trích lục hộ tịch"
    )
    admin = OfficialFactory(roles=[(ward, "AGENCY_ADMIN")])
    PrepaymentRule.objects.create(
        agency=ward, procedure=birth_registration, set_at=timezone.now(), set_by=admin
    )
    return birth_registration


def test_a_citizen_files_asks_for_copies_and_pays_for_them_online(
    gateway_here, page, copies_paid_before_reception
):
    base, procedure = gateway_here, copies_paid_before_reception
    citizen = CitizenFactory(full_name="Nguyễn Văn An", phone="0912345678")
    sign_in_as(page, base, citizen)

    # Filing, with two copies of the birth extract asked for.
    page.goto(f"{base}/thu-tuc/{procedure.code}/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
    page.wait_for_url("**/to-khai/")
    fill_birth_form(page)
    page.locator("input[name=de_nghi_cap_ban_sao][value='Có']").check()
    page.locator("#id_so_luong_ban_sao").fill("2")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/giay-to/")
    attach_every_document(page)
    page.get_by_role("link", name="Tiếp tục: kiểm tra hồ sơ").click()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/bien-nhan/")
    dossier = Dossier.objects.get(applicant=citizen)

    # The dossier asks for the copies' fee before the desk receives it.
    page.goto(f"{base}/ho-so/{dossier.code}/")
    assert page.get_by_text("16.000").first.is_visible()
    assert serious_violations(page) == []
    page.get_by_role("link", name="Thanh toán", exact=True).click()
    page.get_by_role("button", name="Thanh toán trực tuyến").click()
    page.wait_for_url("**/payments/sandbox/pay?**")
    page.get_by_label("Vietcombank").check()
    page.locator("input[name=outcome][value='00']").check()
    page.get_by_label("Không gửi IPN").check()
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/payments/vnpay/return?**")

    # Paid only once the gateway's IPN says so.
    payment = Payment.objects.get(dossier=dossier)
    assert (payment.state, payment.amount) == (Payment.State.STARTED, 16_000)
    assert deliver_the_ipn(payment) == "00"
    dossier.refresh_from_db()
    assert dossier.is_paid_online and dossier.status == Dossier.Status.NEW

    page.goto(f"{base}/ho-so/{dossier.code}/")
    link = page.get_by_role("link", name=re.compile(r"Biên lai số [0-9]+.[0-9]{4}"))
    text = pdf_text(page.request.get(base + link.get_attribute("href")).body())
    assert "Mười sáu nghìn đồng" in text and "× 2 bản" in text
