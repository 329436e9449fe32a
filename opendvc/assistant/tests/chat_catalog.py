"""A small civil-status catalog for the assistant's tests, and a fresh search index for each."""

import pytest

from opendvc.catalog import search
from opendvc.catalog.tests.factories import (
    CaseFactory,
    ChannelFactory,
    DocumentFactory,
    FeeFactory,
    ProcedureFactory,
)


@pytest.fixture
def catalog(db, settings, monkeypatch):
    """Khai sinh (no fee in its record), đăng ký lại khai sinh, khai sinh có yếu tố nước
    ngoài, kết hôn (a charge of 30.000 đồng, 5 working days), and two passport procedures."""
    settings.OPENDVC_SEARCH_RECHECK_SECONDS = 0
    monkeypatch.setattr(search, "_holder", search._Holder())
    birth = ProcedureFactory(code="1.001193", name="Thủ tục đăng ký khai sinh")
    case = CaseFactory(procedure=birth, name="Đăng ký khai sinh", processing_amount=1)
    DocumentFactory(case=case, name="Tờ khai đăng ký khai sinh", original_qty=1, copy_qty=0)
    DocumentFactory(case=case, name="Giấy chứng sinh", original_qty=1, copy_qty=2, position=1)
    ChannelFactory(procedure=birth, channel="DIRECT", processing_amount=1)
    again = ProcedureFactory(code="1.004884", name="Thủ tục đăng ký lại khai sinh")
    ChannelFactory(procedure=again, channel="DIRECT", processing_amount=5)
    foreign = ProcedureFactory(
        code="2.000528", name="Thủ tục đăng ký khai sinh có yếu tố nước ngoài"
    )
    FeeFactory(procedure=foreign, amount=100000, description="Lệ phí đăng ký")
    marriage = ProcedureFactory(code="1.000894", name="Thủ tục đăng ký kết hôn")
    case = CaseFactory(procedure=marriage, name="Đăng ký kết hôn", processing_amount=5)
    DocumentFactory(case=case, name="Tờ khai đăng ký kết hôn", original_qty=1)
    ChannelFactory(procedure=marriage, channel="DIRECT", processing_amount=5)
    FeeFactory(procedure=marriage, amount=30000, description="Lệ phí đăng ký kết hôn")
    # Two procedures a bare "hộ chiếu" fits about as well: the assistant must ask which.
    passport = ProcedureFactory(code="1.001456", name="Cấp hộ chiếu phổ thông ở trong nước")
    lost = ProcedureFactory(code="1.001445", name="Trình báo mất hộ chiếu phổ thông")
    return {
        "passport": passport,
        "lost": lost,
        "birth": birth,
        "again": again,
        "foreign": foreign,
        "marriage": marriage,
    }
