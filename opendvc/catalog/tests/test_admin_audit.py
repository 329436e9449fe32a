"""Catalog changes made in Django admin are audited like any other action."""

import pytest

from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import FieldFactory

pytestmark = pytest.mark.django_db


def test_deleting_a_field_in_admin_is_audited_before_it_goes(client, superuser):
    field = FieldFactory(name="Hộ tịch", slug="ho-tich")
    client.force_login(superuser)
    response = client.post(f"/quan-tri-he-thong/catalog/field/{field.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="catalog.field_deleted")
    assert entry.payload["name"] == "Hộ tịch" and entry.actor_id == superuser.pk
