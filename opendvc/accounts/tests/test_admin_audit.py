"""Changes made in Django admin are audited like any other action."""

import pytest

from opendvc.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_editing_a_user_in_admin_is_audited(client, superuser, citizen):
    client.force_login(superuser)
    url = f"/quan-tri-he-thong/accounts/user/{citizen.pk}/change/"
    form = {
        "email": citizen.email,
        "phone": citizen.phone,
        "full_name": "Nguyễn Văn An (đã sửa)",
        "kind": "CITIZEN",
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "08:00:00",
        "roles-TOTAL_FORMS": "0",
        "roles-INITIAL_FORMS": "0",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="accounts.user_updated")
    assert entry.actor_id == superuser.pk and entry.target_id == str(citizen.pk)
    assert "full_name" in entry.payload["changed"]
