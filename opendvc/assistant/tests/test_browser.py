"""The public FAQ and the ask form in headless Chromium: axe finds no serious or critical
violation, on a desktop and on a 360 px phone, and nothing scrolls sideways."""

import pytest

from tests.browser.helpers import fits_the_screen, serious_violations, shoot, sign_in_as

from .factories import QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def faq(agency, procedure, specialist):
    for n in range(3):
        QuestionFactory(
            agency=agency,
            procedure=procedure,
            field=procedure.fields.get(),
            published=True,
            title=f"Đăng ký khai sinh ở nơi tạm trú, trường hợp {n}",
        )
    return procedure


def test_faq_and_ask_form_pass_axe(live_server, faq, citizen, page, phone_page):
    paths = [
        "/hoi-dap/",
        "/hoi-dap/?q=khai+sinh",
        "/hoi-dap/linh-vuc/ho-tich/",
        f"/hoi-dap/{faq.questions.first().pk}/",
        f"/hoi-dap/dat-cau-hoi/?thu-tuc={faq.code}",
        "/hoi-dap/dat-cau-hoi/",
    ]
    for viewport, tab in (("desktop", page), ("phone", phone_page)):
        sign_in_as(tab, live_server.url, citizen)
        for n, path in enumerate(paths):
            tab.goto(live_server.url + path)
            shoot(tab, f"assistant-{n}-{viewport}")
            assert tab.get_by_role("heading", level=1).count() == 1, path
            assert serious_violations(tab) == [], path
            assert fits_the_screen(tab), path


def test_asking_in_the_browser(live_server, faq, citizen, page):
    sign_in_as(page, live_server.url, citizen)
    page.goto(f"{live_server.url}/hoi-dap/dat-cau-hoi/?thu-tuc={faq.code}")
    page.get_by_label("Tiêu đề câu hỏi").fill("Khai sinh cho con ở nơi tạm trú")
    page.get_by_label("Nội dung câu hỏi").fill("Tôi tạm trú ở Bắc Ninh, có được không?")
    page.get_by_role("button", name="Gửi câu hỏi").click()
    page.wait_for_url("**/hoi-dap/cua-toi/*/")

    assert page.get_by_role("heading", level=1).inner_text() == "Khai sinh cho con ở nơi tạm trú"
    assert serious_violations(page) == []


def test_staff_pages_pass_axe(live_server, faq, citizen, agency, leader, page):
    waiting = QuestionFactory(asker=citizen, agency=agency, title="Câu hỏi chờ trả lời")
    sign_in_as(page, live_server.url, leader)
    for path in ("/can-bo/hoi-dap/", f"/can-bo/hoi-dap/{waiting.pk}/"):
        page.goto(live_server.url + path)
        shoot(page, "assistant-staff-" + path.strip("/").replace("/", "-"))
        assert serious_violations(page) == [], path
