"""The tracking page in headless Chromium, without JavaScript: a citizen finds their dossier;
axe finds no serious violation in any state of the page; nothing scrolls sideways on a phone."""

import pytest
from django.core.cache import cache

from tests.browser.helpers import fits_the_screen, serious_violations

from .test_tracking import NOT_FOUND, submitted

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


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


def test_every_state_of_the_page_is_accessible(live_server, page, citizen, agency):
    dossier, secret = submitted(citizen, agency)
    cache.clear()
    page.goto(live_server.url + "/tra-cuu-ho-so/")
    found = {}
    for code, typed in [("", ""), (dossier.code, "ABCDEFGH23"), (dossier.code, secret)]:
        page.get_by_label("Mã hồ sơ").fill(code)
        page.get_by_label("Mã bí mật tra cứu").fill(typed)
        page.get_by_role("button", name="Tra cứu").click()
        page.wait_for_load_state()
        found[typed or "empty"] = serious_violations(page)

    assert found == {"empty": [], "ABCDEFGH23": [], secret: []}
