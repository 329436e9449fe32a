"""The fixed cast of actors every test can use, the test database settings, and headless
Chromium for the tests marked `browser`."""

import os

import pytest
from django.conf import settings


@pytest.fixture(autouse=True)
def _fast_hashing_and_tmp_files(settings, tmp_path):
    # Argon2 is the production hasher (see test_passwords_are_hashed_with_argon2); tests use
    # a fast one so the suite stays quick.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate-limit counters live in the cache, which outlives each test's rolled-back rows.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_calendar_overrides():
    # The calendar caches administrator-entered days per process; a test's rows are rolled
    # back, the cache is not, so every test starts and ends with an empty cache.
    from opendvc.core import calendar

    calendar.forget_overrides()
    yield
    calendar.forget_overrides()


@pytest.fixture
def agency(db):
    from opendvc.directory.tests.factories import AgencyFactory

    return AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", code="T24-STP")


@pytest.fixture
def other_agency(db):
    from opendvc.directory.tests.factories import AgencyFactory

    return AgencyFactory(name="Sở Xây dựng tỉnh Bắc Ninh", code="T24-SXD")


@pytest.fixture
def citizen(db):
    from opendvc.accounts.tests.factories import CitizenFactory

    return CitizenFactory(full_name="Nguyễn Văn An", email="an@example.vn", phone="0912345678")


@pytest.fixture
def other_citizen(db):
    from opendvc.accounts.tests.factories import CitizenFactory

    return CitizenFactory(full_name="Trần Thị Bình", email="binh@example.vn", phone="0987654321")


def _official(agency, role, name):
    from opendvc.accounts.tests.factories import OfficialFactory

    return OfficialFactory(full_name=name, roles=[(agency, role)])


@pytest.fixture
def desk_officer(agency):
    return _official(agency, "DESK_OFFICER", "Lê Văn Cường")


@pytest.fixture
def specialist(agency):
    return _official(agency, "SPECIALIST", "Phạm Thị Dung")


@pytest.fixture
def leader(agency):
    return _official(agency, "LEADER", "Hoàng Văn Em")


@pytest.fixture
def other_agency_officer(other_agency):
    return _official(other_agency, "SPECIALIST", "Vũ Thị Giang")


@pytest.fixture
def superuser(db):
    from opendvc.accounts.models import User

    return User.objects.create_superuser(email="admin@example.vn", password="Quan-tri-2025!")


@pytest.fixture(autouse=True)
def pki(settings, tmp_path):
    """The signing keys of this test: PKI_DIR is an empty folder of its own (never the
    developer's var/pki); `pki.issue_for(agency)` makes the test CA (EC P-256, quick) on first
    use and gives the agency a key and certificate, valid 2020–2100 whatever the frozen time."""
    from datetime import UTC, datetime

    from opendvc.dossiers.signing import PkiFolder

    settings.PKI_DIR = tmp_path / "pki"
    return PkiFolder(settings.PKI_DIR, now=datetime(2020, 1, 2, tzinfo=UTC), ca_years=80, years=80)


# --- headless Chromium, for the tests marked `browser` --------------------------------------

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
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # Browser tests run last: Playwright's sync API keeps an event loop running in this thread
    # from the first browser test to the end of the session, and code that starts its own
    # (asyncio.run, as pyHanko does) must not find one there.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run; each test gets its own context (cookies, viewport)."""
    from playwright.sync_api import sync_playwright

    # Django's async-safety check would otherwise refuse the database calls that fixtures and
    # tests make from this thread once Playwright's event loop runs in it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def _tab(browser, **options):
    context = browser.new_context(locale="vi-VN", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def page(browser):
    """A desktop-sized tab."""
    tab = _tab(browser, viewport=DESKTOP)
    yield tab
    tab.context.close()


@pytest.fixture
def phone_page(browser):
    """A 360 px wide phone tab."""
    tab = _tab(browser, viewport=PHONE, is_mobile=True)
    yield tab
    tab.context.close()


@pytest.fixture
def no_js_phone(browser):
    """A 360 px wide phone tab with JavaScript off (axe cannot run in it)."""
    tab = _tab(browser, viewport=PHONE, is_mobile=True, java_script_enabled=False)
    yield tab
    tab.context.close()


def pytest_report_header(config):
    return f"database: {settings.DATABASES['default']['ENGINE']}"
