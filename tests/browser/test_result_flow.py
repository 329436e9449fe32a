"""The whole life of an online dossier in a real browser: a citizen files "Thủ tục đăng ký
khai sinh" (1.001193), the desk accepts and forwards it, the specialist completes the
examination step, the leader approves and signs, the citizen downloads the signed PDF, and the
public verification page confirms that very file."""

import re

import pytest

from opendvc.accounts.tests.factories import CitizenFactory, OfficialFactory
from opendvc.directory.models import Agency
from opendvc.dossiers.models import Dossier, SignedResult, Status

from .helpers import attach_every_document, fill_birth_form, serious_violations, shoot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def sign_out(page) -> None:
    page.context.clear_cookies()


def file_online(page, base: str, procedure_code: str) -> str:
    page.goto(f"{base}/thu-tuc/{procedure_code}/nop-ho-so/")
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()
    page.wait_for_url("**/to-khai/")
    fill_birth_form(page)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.wait_for_url("**/giay-to/")
    attach_every_document(page)
    page.get_by_role("link", name="Tiếp tục: kiểm tra hồ sơ").click()
    page.wait_for_url("**/kiem-tra/")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_url("**/bien-nhan/")
    return Dossier.objects.get(applicant__phone="0912345678").code


def staff_action(page, base: str, code: str, button: str) -> None:
    page.goto(f"{base}/can-bo/ho-so/{code}/")
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def test_a_birth_is_filed_processed_signed_downloaded_and_verified(
    live_server, page, birth_registration, pki
):
    base = live_server.url
    ward = Agency.objects.get(name="UBND phường Kinh Bắc")
    pki.issue_for(ward)
    citizen = CitizenFactory(full_name="Nguyễn Văn An", phone="0912345678")
    desk, specialist, leader = (
        OfficialFactory(email=f"{role.lower()}@phuong.vn", roles=[(ward, role)])
        for role in ("DESK_OFFICER", "SPECIALIST", "LEADER")
    )

    # The citizen files online.
    sign_in(page, base, citizen.phone)
    code = file_online(page, base, birth_registration.code)
    assert Dossier.objects.get(code=code).status == Status.NEW
    sign_out(page)

    # The desk accepts and forwards it for processing.
    sign_in(page, base, desk.email)
    staff_action(page, base, code, "Tiếp nhận hồ sơ")
    assert page.get_by_text("Đã tiếp nhận hồ sơ.").is_visible()
    staff_action(page, base, code, "Chuyển xử lý")
    sign_out(page)

    # The specialist finds it in their queue and completes the examination.
    sign_in(page, base, specialist.email)
    page.goto(f"{base}/can-bo/hang-doi/")
    page.get_by_role("link", name=code).click()
    with page.expect_navigation():
        page.get_by_role("button", name="Hoàn thành bước").click()
    assert page.get_by_text("Phê duyệt, ký kết quả").first.is_visible()
    sign_out(page)

    # The leader approves and signs the result.
    sign_in(page, base, leader.email)
    page.goto(f"{base}/can-bo/hang-doi/")
    page.get_by_role("link", name=code).click()
    page.get_by_label("Kết quả giải quyết").fill(
        "Đã đăng ký khai sinh cho Nguyễn Minh Khang; cấp Giấy khai sinh bản điện tử."
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Hoàn thành xử lý", exact=True).click()
    assert page.get_by_text("Đã hoàn thành xử lý hồ sơ.").is_visible()
    dossier = Dossier.objects.get(code=code)
    assert dossier.status == Status.FINISHED and dossier.has_electronic_result
    sign_out(page)

    # The citizen downloads the signed result from their dossier page.
    sign_in(page, base, citizen.phone)
    page.goto(f"{base}/ho-so/{code}/")
    assert serious_violations(page) == []
    link = page.get_by_role("link", name=re.compile("Kết quả giải quyết"))
    signed_pdf = page.request.get(base + link.get_attribute("href")).body()
    assert signed_pdf.startswith(b"%PDF") and b"/ByteRange" in signed_pdf
    signed = SignedResult.objects.get(dossier=dossier)

    # The verification page, reached from the QR code, confirms that very file.
    sign_out(page)
    page.goto(f"{base}/xac-thuc/{signed.token}/")
    assert page.get_by_text("Kết quả hợp lệ").is_visible()
    assert page.get_by_text(code).first.is_visible()
    page.locator("input[type=file]").set_input_files(
        [{"name": "ket-qua.pdf", "mimeType": "application/pdf", "buffer": signed_pdf}]
    )
    page.get_by_role("button", name="Kiểm tra tệp").click()
    assert page.get_by_text("Trùng khớp:").is_visible()
    assert serious_violations(page) == []
    shoot(page, "result-verified")
