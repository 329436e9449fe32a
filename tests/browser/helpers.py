"""What the browser tests share: the accessibility check, screenshots, signing in, and the
answers of the birth registration e-form (1.001193)."""

import os
import re

from axe_playwright_python.sync_playwright import Axe

SCREENSHOTS = os.environ.get("OPENDVC_SCREENSHOT_DIR", "")
PASSWORD = "Mat-khau-an-toan-1"  # the account factories' password
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
    """axe's serious and critical violations on the page, one line each."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def shoot(page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def sign_in(page, base: str, login: str) -> None:
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill(login)
    page.get_by_label(re.compile(r"^Mật khẩu")).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/")


def fill_birth_form(page) -> None:
    for name, value in BIRTH.items():
        page.locator(f"#id_{name}").fill(value)
    for name, value in CHOICES.items():
        page.locator(f"#id_{name}").select_option(value)
    page.get_by_label("Không", exact=True).check()
