"""Filing online in a real browser: sign in, start, e-form, documents, check, submit, receipt;
the form, documents and check pages accessible (axe: no serious or critical violation)."""

import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from opendvc.accounts.tests.factories import CitizenFactory
from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
from opendvc.directory.tests.factories import AgencyFactory, CommuneFactory
from opendvc.dossiers.models import Dossier, Status
from opendvc.dossiers.tests.factories import pdf

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

SCREENSHOTS = os.environ.get("OPENDVC_SCREENSHOT_DIR", "")
PASSWORD = "Mat-khau-an-toan-1"
BIRTH = {
    "ngay_sinh_nguoi_yeu_cau": "1990-05-01",
    "giay_to_tuy_than_so": "001090012345",
    "ho_ten_nguoi_duoc_khai_sinh": "Nguyễn Minh Khang",
    "ngay_sinh_nguoi_duoc_khai_sinh": "2026-11-01",
    "ngay_sinh_ghi_bang_chu": "Ngày một tháng mười một năm hai nghìn không trăm hai mươi sáu",
    "noi_sinh": "Bệnh viện Sản Nhi tỉnh Bắc Ninh",
    "que_quan": "Bắc Ninh",
    "ho_ten_me": "Trần Thị Bình",
}
CHOICES = {
    "giay_to_tuy_than_loai": "Số định danh cá nhân",
    "quan_he_voi_nguoi_duoc_khai_sinh": "Cha",
    "gioi_tinh": "Nam",
    "dan_toc": "Kinh",
    "quoc_tich": "Việt Nam",
}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


@pytest.fixture
def birth_registration(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    commune = CommuneFactory(short_name="Kinh Bắc")
    generic = AgencyFactory(name="Ủy ban nhân dân cấp xã", kind="COMMUNE_PC")
    ward = AgencyFactory(name="UBND phường Kinh Bắc", kind="COMMUNE_PC", admin_unit=commune)
    ward.stands_for.add(generic)
    procedure = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    procedure.implementing_agencies.set([generic])
    case = CaseFactory(procedure=procedure, name="Đăng ký khai sinh trong nước")
    DocumentFactory(case=case, name="Giấy chứng sinh", position=0)
    DocumentFactory(case=case, name="Giấy tờ tùy thân của người đi đăng ký", position=1)
    return procedure


def sign_in(page, base: str, user) -> None:
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill(user.phone)
    page.get_by_label(re.compile(r"^Mật khẩu")).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/")


def fill_birth_form(page) -> None:
    for name, value in BIRTH.items():
        page.locator(f"#id_{name}").fill(value)
    for name, value in CHOICES.items():
        page.locator(f"#id_{name}").select_option(value)
    page.get_by_label("Không", exact=True).check()


@pytest.mark.parametrize("screen", ["page", "phone_page"])
def test_a_citizen_registers_a_birth_online_end_to_end(
    live_server, request, screen, birth_registration
):
    page = request.getfixturevalue(screen)
    citizen = CitizenFactory(full_name="Nguyễn Văn An", phone="0912345678")
    sign_in(page, live_server.url, citizen)
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

    for index, input_ in enumerate(page.locator("input[type=file]").all()):
        name = f"giay-{index}.pdf"
        input_.set_input_files([{"name": name, "mimeType": "application/pdf", "buffer": pdf()}])
        input_.locator("xpath=ancestor::form").locator("button[type=submit]").click()
        page.wait_for_selector(f"text=Đã đính kèm tệp “{name}”")
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
