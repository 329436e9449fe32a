"""What the browser tests share: the accessibility check, the screen fit, screenshots, signing
in, and the birth registration e-form (1.001193). The browser itself and its pages are fixtures
of the root conftest (`browser`, `page`, `phone_page`, `no_js_phone`).

Import from any test module: `from tests.browser.helpers import serious_violations`. Nothing here
imports Playwright or axe at import time, so a run without browser tests never loads them."""

import os
import re

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
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_screen(page) -> bool:
    """Nothing on the page scrolls sideways."""
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return scroll <= client


def shoot(page, name: str) -> None:
    """A full-page screenshot `<name>.png` in OPENDVC_SCREENSHOT_DIR, when it is set."""
    folder = os.environ.get("OPENDVC_SCREENSHOT_DIR", "")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def sign_in(page, base: str, login: str) -> None:
    """Through the sign-in form, with the factories' password."""
    page.goto(base + "/tai-khoan/dang-nhap/")
    page.get_by_label("Số điện thoại hoặc email").fill(login)
    page.get_by_label(re.compile(r"^Mật khẩu")).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/tai-khoan/")


def sign_in_as(page, base: str, user) -> None:
    """Without the form: the session cookie of a test client signed in as `user`."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": base}])


def fill_birth_form(page) -> None:
    for name, value in BIRTH.items():
        page.locator(f"#id_{name}").fill(value)
    for name, value in CHOICES.items():
        page.locator(f"#id_{name}").select_option(value)
    page.get_by_label("Không", exact=True).check()


def attach_every_document(page) -> None:
    """On the documents page: a small PDF in every file field, each sent through its own form."""
    from opendvc.dossiers.tests.factories import pdf

    for index, input_ in enumerate(page.locator("input[type=file]").all()):
        name = f"giay-{index}.pdf"
        input_.set_input_files([{"name": name, "mimeType": "application/pdf", "buffer": pdf()}])
        input_.locator("xpath=ancestor::form").locator("button[type=submit]").click()
        page.wait_for_selector(f"text=Đã đính kèm tệp “{name}”")


def deliver_the_ipn(payment) -> str:
    """What the sandbox gateway sends the merchant for this payment's transaction, sent once now;
    returns the merchant's RspCode."""
    from django.utils import timezone

    from opendvc.payments.gateways import vnpay
    from opendvc.payments.sandbox import delivery, store

    cfg = vnpay.config()
    params = store.result_params(store.get(cfg.tmn_code, payment.txn_ref), cfg.hash_secret)
    return delivery.deliver(url=delivery.ipn_url(), params=params, attempt=1, now=timezone.now())
