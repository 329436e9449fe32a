"""The tracking page in headless Chromium, without JavaScript: a citizen finds their dossier;
axe finds no serious violation in any state of the page; nothing scrolls sideways on a phone."""

import os

import pytest
from django.core.cache import cache

from .test_tracking import NOT_FOUND, submitted

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop in this thread

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
PHONE = {"width": 360, "height": 740}


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
def no_js_phone(chromium):
    cache.clear()
    context = chromium.new_context(
        viewport=PHONE, locale="vi-VN", is_mobile=True, java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
    cache.clear()


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']}: {[node['target'] for node in v['nodes']][:3]}"
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def fits_the_screen(page) -> bool:
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    return scroll <= client


def test_track_on_a_phone_without_javascript(live_server, no_js_phone, citizen, agency):
    dossier, secret = submitted(citizen, agency)
    page = no_js_phone
    page.goto(live_server.url + "/tra-cuu-ho-so/")
    states = {}

    page.get_by_role("button", name="Tra cứu").click()  # nothing typed
    states["errors"] = page.get_by_role("alert").first.inner_text()
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Mã bí mật tra cứu").fill("ABCDEFGH23")
    page.get_by_role("button", name="Tra cứu").click()
    states["not found"] = page.get_by_role("alert").inner_text()
    page.get_by_label("Mã bí mật tra cứu").fill(secret)
    page.get_by_role("button", name="Tra cứu").click()

    assert "Cần nhập mã bí mật tra cứu" in states["errors"]
    assert states["not found"] == NOT_FOUND
    assert page.get_by_role("heading", level=2, name=f"Hồ sơ {dossier.code}").is_visible()
    assert page.get_by_text("Mới đăng ký").first.is_visible()
    assert secret not in page.url and fits_the_screen(page)


def test_every_state_of_the_page_is_accessible(live_server, chromium, citizen, agency):
    dossier, secret = submitted(citizen, agency)
    cache.clear()
    context = chromium.new_context(locale="vi-VN")
    page = context.new_page()
    page.goto(live_server.url + "/tra-cuu-ho-so/")
    found = {}
    for code, typed in [("", ""), (dossier.code, "ABCDEFGH23"), (dossier.code, secret)]:
        page.get_by_label("Mã hồ sơ").fill(code)
        page.get_by_label("Mã bí mật tra cứu").fill(typed)
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_load_state()
        found[typed or "empty"] = serious_violations(page)
    context.close()
    cache.clear()

    assert found == {"empty": [], "ABCDEFGH23": [], secret: []}
