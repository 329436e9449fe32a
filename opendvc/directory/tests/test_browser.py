"""The directory pages in headless Chromium: axe finds no serious violation, nothing
scrolls sideways on a 360 px phone, and an agency can be found without JavaScript."""

import io

import pytest
from django.core.management import call_command

from tests.browser.helpers import fits_the_screen, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def demo(transactional_db):
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_admin_units", "--no-progress", **quiet)
    call_command("setup_demo_province", **quiet)


PATHS = [
    "/co-quan/",
    "/co-quan/?q=tu+phap&kind=NOPE",
    "/co-quan/so-tu-phap-tinh-bac-ninh/",
    "/dia-ban/",
    "/dia-ban/?q=kinh",
    "/dia-ban/24/",
    "/dia-ban/09187/",
]


def test_no_serious_accessibility_violation_on_desktop_and_phone(
    live_server, demo, page, phone_page
):
    # One test for all pages: the demo data is set up once. Axe (about a second a page)
    # runs on the desktop layout; the phone layout is checked for sideways scrolling.
    for tab in (page, phone_page):
        for path in PATHS:
            tab.goto(live_server.url + path)
            assert tab.get_by_role("heading", level=1).count() == 1, path
            if tab is page:
                assert serious_violations(tab) == [], path
            assert fits_the_screen(tab), (path, tab.viewport_size)


def test_find_an_agency_without_javascript(live_server, demo, no_js_phone):
    page = no_js_phone
    page.goto(live_server.url + "/co-quan/")
    page.get_by_label("Tìm theo tên cơ quan").fill("tu phap")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Sở Tư pháp tỉnh Bắc Ninh").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sở Tư pháp tỉnh Bắc Ninh"
    assert page.get_by_text("Bộ phận Một cửa – Trung tâm Phục vụ hành chính công").is_visible()
