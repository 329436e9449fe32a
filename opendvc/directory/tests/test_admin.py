import pytest

from opendvc.audit.models import AuditEntry
from opendvc.directory.models import Agency
from opendvc.directory.tests.factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db


def test_an_agency_edited_in_the_admin_is_audited(client, superuser):
    agency = AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh")
    client.force_login(superuser)
    form = {
        "code": agency.code, "name": agency.name, "short_name": "", "slug": agency.slug,
        "kind": agency.kind, "level": agency.level, "address": "Số 2 Lý Thái Tổ",
        "phone": "", "email": "", "is_active": "on",
    }  # fmt: skip

    response = client.post(f"/quan-tri-he-thong/directory/agency/{agency.pk}/change/", form)

    assert response.status_code == 302
    assert Agency.objects.get(pk=agency.pk).address == "Số 2 Lý Thái Tổ"
    entry = AuditEntry.objects.get(action="directory.agency_updated")
    assert (entry.target_id, entry.payload["changed"]) == (str(agency.pk), ["address"])


def test_admin_units_cannot_be_edited_by_hand(client, superuser):
    unit = ProvinceFactory()
    client.force_login(superuser)

    response = client.post(f"/quan-tri-he-thong/directory/adminunit/{unit.pk}/change/", {})

    assert response.status_code == 403
