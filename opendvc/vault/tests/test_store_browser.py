"""The store page in headless Chromium: axe finds no serious violation with documents, a result
and log rows, nor with the upload form's errors; on a phone without JavaScript a file is added
and nothing scrolls sideways."""

import pytest
from django.utils import timezone

from opendvc.vault import actions
from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

from .helpers import PAST, a_pdf, finished_with_result, referring_dossier, stored

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
STORE = "/tai-khoan/kho-du-lieu/"


def test_the_store_page_is_accessible(live_server, page, citizen, agency, leader, specialist):
    document = stored(citizen, number="001099012345", expiry_date=PAST)
    finished_with_result(citizen, agency, leader)
    dossier = referring_dossier(document, agency)
    actions.log_official_view(
        document=document, dossier=dossier, official=specialist, now=timezone.now()
    )
    sign_in_as(page, live_server.url, citizen)
    page.goto(live_server.url + STORE)
    found = {"full": serious_violations(page)}

    page.get_by_role("button", name="Lưu vào kho").click()
    page.wait_for_load_state()
    found["errors"] = serious_violations(page)

    assert page.get_by_text("Đã hết hạn").is_visible()
    assert page.get_by_role("alert").first.is_visible()
    assert found == {"full": [], "errors": []}


def test_a_document_is_added_on_a_phone_without_javascript(
    live_server, no_js_phone, citizen, tmp_path
):
    scan = tmp_path / "cccd.pdf"
    scan.write_bytes(a_pdf())
    page = no_js_phone
    sign_in_as(page, live_server.url, citizen)
    page.goto(live_server.url + STORE)

    page.get_by_label("Loại giấy tờ").select_option(label="Hộ chiếu phổ thông")
    page.get_by_label("Tệp giấy tờ").set_input_files(str(scan))
    page.get_by_label("Số giấy tờ").fill("C1234567")
    page.get_by_role("button", name="Lưu vào kho").click()
    page.wait_for_load_state()

    assert page.get_by_text("Đã lưu “cccd.pdf” vào kho.").is_visible()
    assert page.get_by_role("heading", level=3, name="Hộ chiếu phổ thông").is_visible()
    assert fits_the_screen(page)


def test_the_desks_digitisation_page_is_accessible(live_server, page, citizen, desk_officer):
    sign_in_as(page, live_server.url, desk_officer)
    page.goto(live_server.url + "/can-bo/kho-du-lieu/so-hoa/")
    page.get_by_label("Số điện thoại hoặc email của người dân").fill("0912345678")
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_load_state()
    found = {"found": serious_violations(page)}

    page.get_by_role("button", name="Lưu vào kho của người dân").click()
    page.wait_for_load_state()
    found["errors"] = serious_violations(page)

    assert page.get_by_role("heading", name="Bản số hóa cho Nguyễn Văn An").is_visible()
    assert found == {"found": [], "errors": []}
