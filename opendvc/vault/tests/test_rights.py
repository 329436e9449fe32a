"""The official's view through a dossier, the data-use log, export and deletion."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import SignedResult, Status
from opendvc.dossiers.tests.factories import DossierFactory
from opendvc.vault import actions, storage
from opendvc.vault.models import DataAccess, StoredDocument, SubjectRequest

from .helpers import a_pdf, finished_with_result, referring_dossier, stored

pytestmark = pytest.mark.django_db
STORE = "/tai-khoan/kho-du-lieu/"


def official_url(dossier, document) -> str:
    return reverse("vault:dossier_document", args=[dossier.code, document.pk])


def test_an_official_without_a_referring_dossier_of_their_agency_gets_404(
    client, citizen, agency, specialist, other_agency_officer
):
    document = stored(citizen)
    other = stored(citizen, code="HO_CHIEU", text="passport")
    dossier = referring_dossier(document, agency)
    client.force_login(specialist)
    not_referred = client.get(official_url(dossier, other))
    client.force_login(other_agency_officer)
    other_agency = client.get(official_url(dossier, document))

    assert not_referred.status_code == 404 and other_agency.status_code == 404
    assert not DataAccess.objects.exists()


def test_the_owner_and_an_inactive_official_get_404_on_the_officials_route(
    client, citizen, agency, specialist
):
    document = stored(citizen)
    dossier = referring_dossier(document, agency)
    client.force_login(citizen)
    owner = client.get(official_url(dossier, document))
    specialist.is_active = False
    specialist.save(update_fields=["is_active"])
    client.force_login(specialist)

    inactive = client.get(official_url(dossier, document))

    assert owner.status_code == 404 and inactive.status_code in (302, 404)
    assert not DataAccess.objects.exists()


def test_an_official_of_the_dossiers_agency_gets_the_file_and_a_log_row(
    client, citizen, agency, specialist
):
    document = stored(citizen)
    dossier = referring_dossier(document, agency)
    client.force_login(specialist)

    response = client.get(official_url(dossier, document))

    assert response.status_code == 200 and response.content == a_pdf()
    row = DataAccess.objects.get()
    assert (row.owner, row.official, row.agency, row.dossier) == (
        citizen,
        specialist,
        agency,
        dossier,
    )
    assert row.kind == "VIEWED" and "cccd.pdf" in row.document_label
    audit = AuditEntry.objects.get(action="vault.document_viewed")
    assert audit.actor_id == specialist.pk and audit.payload["dossier"] == dossier.code


def test_the_log_lists_every_access(client, citizen, agency, specialist, leader):
    document = stored(citizen)
    dossier = referring_dossier(document, agency)
    for official in (specialist, leader, specialist):
        client.force_login(official)
        client.get(official_url(dossier, document))
    client.force_login(citizen)

    page = client.get(STORE).content.decode()
    api = client.get("/api/v1/vault/log").json()

    assert page.count(dossier.code) == 3
    assert page.count("Phạm Thị Dung") == 2 and page.count("Hoàng Văn Em") == 1
    assert [row["official"] for row in api] == ["Phạm Thị Dung", "Hoàng Văn Em", "Phạm Thị Dung"]


def test_export_holds_everything_of_the_person_and_nothing_of_anyone_else(
    client, citizen, other_citizen, agency, leader, specialist
):
    mine = stored(citizen, number="001099012345")
    stored(other_citizen, text="not mine", number="079199000001")
    result = finished_with_result(citizen, agency, leader)
    finished_with_result(other_citizen, agency, leader)
    client.force_login(specialist)
    client.get(official_url(referring_dossier(mine, agency), mine))
    client.force_login(citizen)

    response = client.post(reverse("vault:export"))

    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    names = sorted(archive.namelist())
    assert names == sorted(
        ["manifest.json", f"giay-to/{mine.pk}-cccd.pdf", f"ket-qua/{result.dossier.code}.pdf"]
    )
    assert archive.read(f"giay-to/{mine.pk}-cccd.pdf") == a_pdf()
    assert [d["number"] for d in manifest["documents"]] == ["001099012345"]
    assert [r["dossier_code"] for r in manifest["results"]] == [result.dossier.code]
    assert [row["official"] for row in manifest["data_use_log"]] == ["Phạm Thị Dung"]
    assert manifest["profile"]["email"] == "an@example.vn"
    assert "079199000001" not in json.dumps(manifest) and "binh@" not in json.dumps(manifest)
    assert SubjectRequest.objects.get(owner=citizen).kind == "EXPORT"


def test_deletion_removes_own_uploads_and_keeps_results(
    client, citizen, other_citizen, agency, leader, django_capture_on_commit_callbacks
):
    documents = [stored(citizen), stored(citizen, code="HO_CHIEU", text="passport")]
    theirs = stored(other_citizen)
    result = finished_with_result(citizen, agency, leader)
    client.force_login(citizen)
    refused = client.post(reverse("vault:erase"), {})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("vault:erase"), {"confirm": "on"})

    assert refused.status_code == 400
    assert response.status_code == 302
    assert list(StoredDocument.objects.all()) == [theirs]
    assert not any((storage.root() / d.path).exists() for d in documents)
    assert SignedResult.objects.filter(pk=result.pk).exists()
    request = SubjectRequest.objects.get(owner=citizen)
    assert (request.kind, request.state) == ("DELETE", "DONE")
    assert (request.due_at - request.received_at).total_seconds() == 72 * 3600
    assert "Đã xóa 2 giấy tờ" in request.outcome
    page = client.get(STORE).content.decode()
    assert "không bị xóa" in page and result.dossier.code in page
    assert AuditEntry.objects.filter(action="vault.document_deleted").count() == 2


def test_results_are_downloaded_by_their_owner_only(client, citizen, other_citizen, agency, leader):
    result = finished_with_result(citizen, agency, leader)
    client.force_login(other_citizen)
    theirs = client.get(reverse("vault:result", args=[result.pk]))
    client.force_login(citizen)

    response = client.get(reverse("vault:result", args=[result.pk]))

    assert theirs.status_code == 404
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_dossier_refers_only_to_its_applicants_documents(citizen, other_citizen, agency):
    theirs = stored(other_citizen)
    dossier = DossierFactory(status=Status.PROCESSING, applicant=citizen, agency=agency)

    with pytest.raises(actions.VaultError):
        actions.use_in_dossier(document=theirs, dossier=dossier, now=timezone.now())
    assert not theirs.uses.exists()
