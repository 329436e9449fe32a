"""The key that seals the store, the seeded document types, and the export's daily limit."""

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command
from django.urls import reverse

from opendvc.vault import storage
from opendvc.vault.models import DocumentType
from opendvc.vault.views_citizen import EXPORTS_PER_DAY

from .helpers import a_pdf, stored

pytestmark = pytest.mark.django_db


def test_a_file_sealed_under_vault_key_opens_only_with_it(citizen, settings):
    settings.VAULT_KEY = "production-vault-key-from-the-environment"
    document = stored(citizen)

    assert storage.unseal(document.path) == a_pdf()
    settings.VAULT_KEY = ""  # the embedded default, derived from SECRET_KEY
    with pytest.raises(InvalidToken):
        storage.unseal(document.path)


def test_without_vault_key_the_key_follows_secret_key(citizen, settings):
    settings.VAULT_KEY = ""
    document = stored(citizen)
    settings.SECRET_KEY = "another-secret-key-entirely-0000000000000000000"

    with pytest.raises(InvalidToken):
        storage.unseal(document.path)


def test_setup_adds_missing_types_and_keeps_edited_ones(capsys):
    DocumentType.objects.filter(code="CCCD").update(name="Căn cước (đã sửa)")
    DocumentType.objects.filter(code="HO_CHIEU").delete()

    call_command("setup_vault")

    assert "Đã thêm 1 loại giấy tờ." in capsys.readouterr().out
    assert DocumentType.objects.get(code="CCCD").name == "Căn cước (đã sửa)"
    assert DocumentType.objects.get(code="HO_CHIEU").validity == "UNTIL_EXPIRY"


def test_exports_are_limited_per_day(client, citizen):
    client.force_login(citizen)
    for _ in range(EXPORTS_PER_DAY):
        assert client.post(reverse("vault:export")).status_code == 200

    page = client.post(reverse("vault:export"), follow=True)
    api = client.post("/api/v1/vault/export")

    assert "quá nhiều lần trong ngày" in page.content.decode()
    assert (api.status_code, api.json()["error"]["code"]) == (429, "rate_limited")
