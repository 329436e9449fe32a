"""Filing online in a real browser: sign in, start, e-form, documents, check, submit, receipt;
the form, documents and check pages accessible (axe: no serious or critical violation)."""

import pytest

from opendvc.accounts.tests.factories import CitizenFactory
from opendvc.dossiers.models import Dossier, Status

from .helpers import attach_every_document, fill_birth_form, serious_violations, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_citizen_registers_a_birth_online_end_to_end(
    live_server, request, screen, birth_registration
):
    page = request.getfixturevalue(screen)
    citizen = CitizenFactory(full_name="Nguyễn Văn An", phone="0912345678")
    sign_in(page, live_server.url, citizen.phone)
    page.goto(f"{live_server.url}/thu-tuc/{birth_registration.code}/nop-ho-so/")
    assert page.get_by_label("UBND phường Kinh Bắc").is_checked()  # the only choice
    assert serious_violations(page) == []
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
    page.wait_for_url("**/to-khai/")

    page.get_by_role("button", name="Lưu và tiếp tục").click()  # empty: errors, accessible
    page.wait_for_selector(".error-summary")
    assert serious_violations(page) == []
    shoot(page, f"filing-form-errors-{screen}")
    fill_birth_form(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/giay-to/")

    attach_every_document(page)
    assert serious_violations(page) == []
    shoot(page, f"filing-documents-{screen}")

    page.get_by_role("link", name="Tiếp tục: kiểm tra hồ sơ").click()
    page.wait_for_url("**/kiem-tra/")
    assert page.get_by_text("Nguyễn Minh Khang").is_visible()
    assert page.get_by_text("01/11/2026").is_visible()
    assert page.get_by_text("— Chọn —").count() == 0  # unanswered choices are left out
    assert serious_violations(page) == []
    shoot(page, f"filing-check-{screen}")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/bien-nhan/")

    dossier = Dossier.objects.get(applicant=citizen)
    assert dossier.status == Status.NEW
    secret = page.locator(".secret").inner_text()
    assert dossier.check_secret(secret)
    assert page.get_by_text(dossier.code).first.is_visible()
    assert serious_violations(page) == []
    shoot(page, f"filing-receipt-{screen}")
