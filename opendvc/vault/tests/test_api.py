"""The store's API: the same actions and the same 404 as the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opendvc.vault.models import DataAccess, StoredDocument

from .helpers import a_pdf, stored

pytestmark = pytest.mark.django_db
API = "/api/v1/vault"


def test_upload_list_read_download_and_delete(client, citizen):
    client.force_login(citizen)
    data = {"document_type": "CCCD", "number": "001099012345", "expiry_date": "2020-01-01"}

    created = client.post(
        f"{API}/documents", {**data, "file": SimpleUploadedFile("cccd.pdf", a_pdf())}
    )

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["type_code"], body["number"], body["is_expired"]) == ("CCCD", "001099012345", True)
    assert [d["id"] for d in client.get(f"{API}/documents").json()] == [body["id"]]
    assert client.get(f"{API}/documents/{body['id']}").json()["sha256"] == body["sha256"]
    assert client.get(f"{API}/documents/{body['id']}/file").content == a_pdf()
    assert client.delete(f"{API}/documents/{body['id']}").status_code == 204
    assert not StoredDocument.objects.exists()


def test_a_refused_file_and_a_full_store_answer_422(client, citizen, settings):
    settings.VAULT_QUOTA_BYTES = 10
    client.force_login(citizen)

    text = client.post(
        f"{API}/documents",
        {"document_type": "CCCD", "file": SimpleUploadedFile("a.pdf", b"plain text")},
    )
    full = client.post(
        f"{API}/documents", {"document_type": "CCCD", "file": SimpleUploadedFile("a.pdf", a_pdf())}
    )

    assert (text.status_code, text.json()["error"]["code"]) == (422, "invalid_request")
    assert (full.status_code, full.json()["error"]["code"]) == (422, "quota_exceeded")
    assert not StoredDocument.objects.exists()


def test_another_persons_document_is_404(client, citizen, other_citizen):
    document = stored(citizen)
    client.force_login(other_citizen)

    assert client.get(f"{API}/documents/{document.pk}").status_code == 404
    assert client.get(f"{API}/documents/{document.pk}/file").status_code == 404
    assert client.delete(f"{API}/documents/{document.pk}").status_code == 404
    assert client.get(f"{API}/documents").json() == []


def test_the_desk_adds_a_digitised_copy(client, citizen, desk_officer, specialist, agency):
    data = {
        "person": "an@example.vn",
        "agency_code": agency.code,
        "document_type": "BANG_DAI_HOC",
        "number": "QH-2015-123",
        "issuer": "Đại học Quốc gia Hà Nội",
        "issued_date": "2015-07-01",
    }
    client.force_login(specialist)
    refused = client.post(
        "/api/v1/staff/vault/digitised",
        {**data, "file": SimpleUploadedFile("b.pdf", a_pdf())},
    )
    client.force_login(desk_officer)

    created = client.post(
        "/api/v1/staff/vault/digitised", {**data, "file": SimpleUploadedFile("b.pdf", a_pdf())}
    )

    assert refused.status_code == 404
    assert created.status_code == 201 and created.json()["source"] == "DIGITISED"
    assert StoredDocument.objects.get().owner == citizen
    assert DataAccess.objects.get().official == desk_officer


def test_the_export_is_a_zip(client, citizen):
    stored(citizen)
    client.force_login(citizen)

    response = client.post(f"{API}/export")

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")
