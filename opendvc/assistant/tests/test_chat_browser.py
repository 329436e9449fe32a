"""The assistant in headless Chromium: axe finds no serious or critical violation on its page
(desktop and 360 px phone) nor with the widget open; the widget works with the keyboard alone;
the page works with JavaScript off."""

import pytest

from tests.browser.helpers import fits_the_screen, serious_violations

from .chat_catalog import catalog  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.usefixtures("transactional_db", "catalog"),
]
# Any portal page carries the widget (base.html); the public FAQ is one.
PORTAL_PAGE = "/hoi-dap/"


def test_chat_page_passes_axe(live_server, page, phone_page):
    for tab in (page, phone_page):
        tab.goto(live_server.url + "/tro-ly-ao/")
        assert serious_violations(tab) == []
        tab.get_by_label("Câu hỏi của bạn").fill("đăng ký kết hôn cần giấy tờ gì")
        tab.get_by_role("button", name="Gửi câu hỏi").click()
        tab.wait_for_url("**/tro-ly-ao/#cuoi")
        assert "Tờ khai đăng ký kết hôn (1 bản chính)" in tab.content()
        assert serious_violations(tab) == []
        assert fits_the_screen(tab)


def test_widget_works_with_the_keyboard(live_server, page):
    page.goto(live_server.url + PORTAL_PAGE)
    for _ in range(80):  # Tab through the page's links until the widget's toggle
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "SUMMARY":
            break
    else:
        pytest.fail("the widget cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "assistant-widget-question"
    page.keyboard.type("lệ phí đăng ký kết hôn")
    page.keyboard.press("Enter")
    answer = page.locator("[data-assistant-log] .chat-a")
    answer.wait_for()
    assert "30.000 đồng" in answer.inner_text()
    assert page.url.endswith(PORTAL_PAGE)  # answered in place, through the API
    assert serious_violations(page) == []


def test_chat_page_works_without_javascript(live_server, no_js_phone):
    no_js_phone.goto(live_server.url + PORTAL_PAGE)
    no_js_phone.get_by_text("Hỏi trợ lý ảo").click()
    no_js_phone.locator("#assistant-widget-question").fill("lệ phí đăng ký khai sinh")
    no_js_phone.get_by_role("button", name="Gửi", exact=True).click()
    no_js_phone.wait_for_url("**/tro-ly-ao/#cuoi")
    assert "Hồ sơ thủ tục không ghi mức phí, lệ phí." in no_js_phone.content()


def test_open_widget_on_a_phone_passes_axe_and_fits(live_server, phone_page):
    phone_page.goto(live_server.url + PORTAL_PAGE)
    phone_page.get_by_text("Hỏi trợ lý ảo").click()
    phone_page.locator("#assistant-widget-question").fill("đăng ký kết hôn ở đâu")
    phone_page.locator("#assistant-widget-question").press("Enter")
    phone_page.locator("[data-assistant-log] .chat-a").wait_for()
    assert serious_violations(phone_page) == []
    assert fits_the_screen(phone_page)
