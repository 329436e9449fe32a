"""Django admin: superusers read dossiers; changes go through actions, not admin forms."""

from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import DossierFactory


def test_a_superuser_reads_dossiers_but_cannot_add_or_delete(client, superuser, agency):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency)
    client.force_login(superuser)

    listing = client.get(reverse("admin:dossiers_dossier_changelist"))
    page = client.get(reverse("admin:dossiers_dossier_change", args=[dossier.pk]))

    assert listing.status_code == page.status_code == 200
    assert dossier.code in listing.content.decode()
    assert client.get(reverse("admin:dossiers_dossier_add")).status_code == 403
    assert (
        client.get(reverse("admin:dossiers_dossier_delete", args=[dossier.pk])).status_code == 403
    )


def test_admin_corrects_the_contact_snapshot_only_and_is_audited(client, superuser, agency):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency)
    client.force_login(superuser)
    url = reverse("admin:dossiers_dossier_change", args=[dossier.pk])

    response = client.post(
        url,
        {
            "applicant_name": "Đỗ Văn Khách",
            "applicant_phone": "0911222333",
            "applicant_email": "",
            "applicant_id_number": "",
            "status": Status.RETURNED,
            **{
                f"{p}-{k}": v
                for p in ("components", "supplements", "history")
                for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()
            },
        },
    )

    assert response.status_code == 302
    dossier.refresh_from_db()
    assert (dossier.applicant_phone, dossier.status) == ("0911222333", Status.PROCESSING)
    entry = AuditEntry.objects.get(action="dossiers.dossier_updated")
    assert entry.payload["changed"] == ["applicant_phone"]


def test_officials_do_not_get_into_admin(client, desk_officer, agency):
    DossierFactory(status=Status.NEW, agency=agency)
    client.force_login(desk_officer)
    response = client.get(reverse("admin:dossiers_dossier_changelist"))
    assert response.status_code == 302
