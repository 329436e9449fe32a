"""The catalog pages in a real browser: a search journey, accessibility and a phone screen."""

import pytest

from opendvc.catalog.tests.test_pages import sample_catalog  # noqa: F401 - shared fixture

from .helpers import fits_the_screen, serious_violations, shoot

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def search_sees_every_change(settings):
    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 0


def test_search_from_home_and_open_a_procedure(live_server, sample_catalog, page):  # noqa: F811
    page.goto(live_server.url + "/")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.wait_for_url("**/thu-tuc/?q=*")
    page.get_by_role("link", name="Thủ tục đăng ký khai sinh").first.click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Thủ tục đăng ký khai sinh"
    assert page.get_by_text("12 ngày làm việc").is_visible()


@pytest.mark.parametrize(
    ("name", "path"),
    [("home", "/"), ("list", "/thu-tuc/?q=khai+sinh"), ("detail", "/thu-tuc/1.001193/")],
)
def test_pages_have_no_serious_accessibility_violation(
    live_server,
    sample_catalog,  # noqa: F811
    page,
    phone_page,
    name,
    path,
):
    for viewport, tab in (("desktop", page), ("phone", phone_page)):
        tab.goto(live_server.url + path)
        shoot(tab, f"{name}-{viewport}")
        assert serious_violations(tab) == [], viewport


def test_list_page_fits_a_360px_phone(live_server, sample_catalog, phone_page):  # noqa: F811
    phone_page.goto(live_server.url + "/thu-tuc/?q=khai+sinh")
    phone_page.get_by_text("Lọc kết quả").click()  # the filters, open, are the widest part
    assert fits_the_screen(phone_page)
