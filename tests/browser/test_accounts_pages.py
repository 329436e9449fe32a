"""Accounts in a real browser: sign up, sign out, sign in; accessible forms, errors included."""

import re

import pytest

from opendvc.accounts.models import User

from .helpers import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_citizen_signs_up_signs_out_and_signs_in_again(live_server, page):
    page.goto(live_server.url + "/tai-khoan/dang-ky/")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Lan")
    page.get_by_label("Số điện thoại di động").fill("0903 123 456")
    page.get_by_label(re.compile(r"^Mật khẩu")).fill("Lan-dang-ky-2025")
    page.get_by_label("Nhập lại mật khẩu").fill("Lan-dang-ky-2025")
    page.get_by_role("button", name="Đăng ký").click()
    page.wait_for_url("**/tai-khoan/")
    assert page.get_by_role("heading", level=1).inner_text() == "Tài khoản của tôi"
    assert User.objects.get(phone="0903123456").full_name == "Nguyễn Thị Lan"

    page.get_by_role("button", name="Đăng xuất").click()
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill("0903123456")
    page.get_by_label(re.compile(r"^Mật khẩu")).fill("Lan-dang-ky-2025")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/")
    assert page.get_by_text("0903123456").is_visible()


@pytest.mark.parametrize("path", ["/tai-khoan/dang-ky/", "/tai-khoan/dang-nhap/"])
def test_account_forms_are_accessible_with_and_without_errors(live_server, page, path):
    page.goto(live_server.url + path)
    assert serious_violations(page) == []
    page.locator("main button[type=submit]").click()  # empty form: every error shown
    page.wait_for_selector(".errorlist, .message-error")
    assert serious_violations(page) == []
