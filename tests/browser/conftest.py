"""The catalog the browser tests of filing and results run against. The browser and its pages
are fixtures of the root conftest."""

import pytest


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


@pytest.fixture
def gateway_here(live_server, settings):
    """The sandbox gateway on, and every URL the gateway builds pointing at this test server."""
    settings.SITE_URL = live_server.url
    settings.PAYMENTS_SANDBOX = True
    settings.VNPAY_PAY_URL = f"{live_server.url}/payments/sandbox/pay"
    settings.VNPAY_API_URL = f"{live_server.url}/payments/sandbox/api"
    return live_server.url
