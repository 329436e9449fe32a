"""The directory pages in headless Chromium: axe finds no serious violation, nothing
scrolls sideways on a 360 px phone, and an agency can be found without JavaScript."""

import io
import os

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_admin_units", "--no-progress", **quiet)
    call_command("setup_demo_province", **quiet)


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


PATHS = [
    "/co-quan/",
    "/co-quan/?q=tu+phap&kind=NOPE",
    "/co-quan/so-tu-phap-tinh-bac-ninh/",
    "/dia-ban/",
    "/dia-ban/?q=kinh",
    "/dia-ban/24/",
    "/dia-ban/09187/",
]


def test_no_serious_accessibility_violation_on_desktop_and_phone(live_server, demo, chromium):
    # One test for all pages: the demo data is set up once. Axe (about a second a page)
    # runs on the desktop layout; the phone layout is checked for sideways scrolling.
    for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
        context = chromium.new_context(viewport=viewport, locale="vi-VN")
        page = context.new_page()
        for path in PATHS:
            page.goto(live_server.url + path)
            assert page.get_by_role("heading", level=1).count() == 1, path
            if viewport["width"] > 1000:
                assert serious_violations(page) == [], path
            widths = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert widths[0] <= widths[1], (path, viewport)
        context.close()


def test_find_an_agency_without_javascript(live_server, demo, chromium):
    context = chromium.new_context(java_script_enabled=False, locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/co-quan/")
    page.get_by_label("Tìm theo tên cơ quan").fill("tu phap")
    page.get_by_role("button", name="Tìm kiếm").click()
    page.get_by_role("link", name="Sở Tư pháp tỉnh Bắc Ninh").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sở Tư pháp tỉnh Bắc Ninh"
    assert page.get_by_text("Bộ phận Một cửa – Trung tâm Phục vụ hành chính công").is_visible()
    context.close()
