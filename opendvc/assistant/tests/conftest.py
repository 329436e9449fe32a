"""A procedure the agency of the fixed cast implements, and a fresh FAQ index for every test."""

import pytest

from opendvc.catalog import text_search


@pytest.fixture(autouse=True)
def _fresh_faq_index():
    # The index is cached per process by the rows' count and latest change; rolled-back rows
    # of one test could otherwise match the signature of the next test's rows.
    text_search.forget()
    yield
    text_search.forget()


@pytest.fixture
def field(db):
    from opendvc.catalog.tests.factories import FieldFactory

    return FieldFactory(name="Hộ tịch", slug="ho-tich")


@pytest.fixture
def procedure(agency, field):
    """Thủ tục đăng ký khai sinh, implemented by Sở Tư pháp (the cast's agency)."""
    from opendvc.catalog.tests.factories import ProcedureFactory

    procedure = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    procedure.fields.set([field])
    procedure.implementing_agencies.set([agency])
    return procedure
