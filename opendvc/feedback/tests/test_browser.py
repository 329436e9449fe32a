"""In headless Chromium: a citizen sends a PAKN from a phone without JavaScript, the agency
answers and publishes it through its pages, and the public answer page shows it; axe finds no
serious or critical violation on the send page and the public answers pages."""

import pytest

from opendvc.accounts.tests.factories import OfficialFactory
from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

SEND, ANSWERS = "/phan-anh-kien-nghi/gui/", "/phan-anh-kien-nghi/"
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_a_citizen_sends_staff_answer_and_the_answer_is_public(
    live_server, no_js_phone, browser, citizen, agency
):
    base = live_server.url
    page = no_js_phone
    sign_in_as(page, base, citizen)
    page.goto(base + "/phan-anh-kien-nghi/gui/")
    page.get_by_label("Về quy định hành chính, thủ tục hành chính").check()
    page.get_by_label("Tiêu đề").fill("Giờ tiếp dân quá ngắn")
    page.get_by_label("Nội dung").fill("Bộ phận một cửa chỉ mở buổi sáng.")
    page.get_by_label("Cơ quan tiếp nhận").select_option(label=agency.name)
    page.get_by_role("button", name="Gửi phản ánh").click()
    code = page.locator("dd strong").first.inner_text()
    assert code.startswith("PAKN-") and fits_the_screen(page)

    officer = OfficialFactory(roles=[(agency, "SPECIALIST"), (agency, "LEADER")])
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in_as(desk, base, officer)
    desk.goto(f"{base}/can-bo/phan-anh-kien-nghi/{code}/")
    desk.get_by_role("button", name="Tiếp nhận", exact=True).click()
    desk.get_by_label("Dự thảo câu trả lời").fill("Từ tháng sau mở cả buổi chiều.")
    desk.get_by_role("button", name="Lưu dự thảo").click()
    desk.get_by_role("button", name="Duyệt và gửi trả lời").click()
    desk.get_by_role("button", name="Công khai", exact=True).click()
    desk.context.close()

    page.goto(base + "/phan-anh-kien-nghi/")
    page.get_by_role("link", name="Giờ tiếp dân quá ngắn").click()
    assert page.get_by_text("Từ tháng sau mở cả buổi chiều.").is_visible()
    assert citizen.full_name not in page.locator("main").inner_text()


def test_the_send_and_answers_pages_pass_axe(live_server, page, phone_page, citizen, agency):
    from opendvc.feedback.tests.factories import answered

    officer = OfficialFactory(roles=[(agency, "SPECIALIST"), (agency, "LEADER")])
    item = answered(agency, citizen, officer, officer, title="Phí chứng thực")
    from django.utils import timezone

    from opendvc.feedback import actions

    actions.publish_answer(feedback=item, by=officer, public=True, now=timezone.now())
    found = {}
    for tab, name in ((page, "desktop"), (phone_page, "phone")):
        sign_in_as(tab, live_server.url, citizen)
        for path in (
            "/phan-anh-kien-nghi/gui/",
            "/phan-anh-kien-nghi/",
            f"/phan-anh-kien-nghi/{item.code}/",
        ):
            tab.goto(live_server.url + path)
            found[f"{name} {path}"] = serious_violations(tab)
        tab.goto(live_server.url + SEND)
        tab.get_by_role("button", name="Gửi phản ánh").click()  # nothing typed: the errors
        found[f"{name} errors"] = serious_violations(tab)
        assert fits_the_screen(tab)

    assert all(v == [] for v in found.values()), found
