"""Headless Chromium for the browser tests, against pytest-django's live server."""

import os

import pytest

# Playwright's sync API runs an event loop in this thread; Django's async-safety check would
# otherwise refuse the database calls the live server fixtures make from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def birth_registration(settings, tmp_path):
    """Thủ tục đăng ký khai sinh (1.001193), received by one ward, with its two documents."""
    from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
    from opendvc.directory.tests.factories import AgencyFactory, CommuneFactory

    settings.MEDIA_ROOT = tmp_path
    commune = CommuneFactory(short_name="Kinh Bắc")
    generic = AgencyFactory(name="Ủy ban nhân dân cấp xã", kind="COMMUNE_PC")
    ward = AgencyFactory(name="UBND phường Kinh Bắc", kind="COMMUNE_PC", admin_unit=commune)
    ward.stands_for.add(generic)
    procedure = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    procedure.implementing_agencies.set([generic])
    case = CaseFactory(procedure=procedure, name="Đăng ký khai sinh trong nước")
    DocumentFactory(case=case, name="Giấy chứng sinh", position=0)
    DocumentFactory(case=case, name="Giấy tờ tùy thân của người đi đăng ký", position=1)
    return procedure
