"""Imported catalog data can be inspected in Django admin, by superusers only."""

import pytest

from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, FeeFactory

pytestmark = pytest.mark.django_db

ADMIN = "/quan-tri-he-thong/catalog/"


def test_superusers_browse_and_search_procedures(client, superuser):
    case = CaseFactory(procedure__code="1.001193", procedure__name="Thủ tục đăng ký khai sinh")
    DocumentFactory(case=case)
    FeeFactory(procedure=case.procedure)
    client.force_login(superuser)

    listing = client.get(f"{ADMIN}procedure/", {"q": "khai sinh"})
    detail = client.get(f"{ADMIN}procedure/{case.procedure.pk}/change/")
    case_page = client.get(f"{ADMIN}procedurecase/{case.pk}/change/")

    assert listing.status_code == 200
    assert "1.001193" in listing.content.decode()
    assert detail.status_code == 200
    assert case_page.status_code == 200
    assert "Tờ khai số" in case_page.content.decode()


@pytest.mark.parametrize("model", ["procedure", "field", "fee", "requireddocument"])
def test_catalog_admin_is_closed_to_officials(client, desk_officer, model):
    desk_officer.is_staff = True
    desk_officer.save()
    client.force_login(desk_officer)

    response = client.get(f"{ADMIN}{model}/")

    assert response.status_code == 302
