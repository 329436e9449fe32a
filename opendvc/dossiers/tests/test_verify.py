"""The public verification page reached from the QR code: what it shows without an account,
the download, and the check of an uploaded PDF against the signed result."""

import hashlib
import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from opendvc.dossiers import signing
from opendvc.dossiers.actions.results import issue_signed_result
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory, pdf
from tests.browser.helpers import fits_the_screen, serious_violations

from .test_signed_result import finished

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(days=3, hours=2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def signed(citizen, agency, leader, pki):
    pki.issue_for(agency)
    return issue_signed_result(dossier=finished(agency, citizen), by=leader, now=NOW)


def verify_url(result) -> str:
    return reverse("dossiers:verify", kwargs={"token": result.token})


def check(client, result, content: bytes, name: str = "ket-qua.pdf"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(verify_url(result), {"file": upload})


def test_the_page_shows_the_valid_result_without_an_account(client, signed):
    response = client.get(verify_url(signed))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Kết quả hợp lệ" in page
    dossier = signed.dossier
    for expected in [
        dossier.code,
        dossier.procedure.name,
        dossier.agency.name,
        signed.signer_name,
        "26/11/2026 11:00",
        signed.sha256,
        reverse("dossiers:verify_download", kwargs={"token": signed.token}),
    ]:
        assert expected in page, expected


def test_an_unknown_token_is_404(client, signed):
    # One character changed (a different one whatever the token ends with).
    other = signed.token[:-1] + ("y" if signed.token.endswith("x") else "x")
    for url in [
        reverse("dossiers:verify", kwargs={"token": other}),
        reverse("dossiers:verify_download", kwargs={"token": "khong-co"}),
    ]:
        assert client.get(url).status_code == 404


def test_the_download_is_the_signed_file(client, signed):
    response = client.get(reverse("dossiers:verify_download", kwargs={"token": signed.token}))

    content = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert hashlib.sha256(content).hexdigest() == signed.sha256
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{signed.dossier.code}-ket-qua.pdf" in response["Content-Disposition"]


def test_the_exact_signed_file_matches(client, signed):
    response = check(client, signed, signed.file.read())

    assert response.status_code == 200
    assert "Trùng khớp" in response.content.decode()
    assert "chữ ký số hợp lệ và được tin cậy" in response.content.decode()


def _problem(response) -> str:
    page = response.content.decode()
    assert "Trùng khớp" not in page
    assert "Không hợp lệ" in page
    return page


def test_a_file_that_is_not_a_pdf_is_said_so(client, signed):
    response = check(client, signed, b"MZ\x90\x00 not a document", name="ket-qua.pdf")

    assert "không phải là tệp PDF" in _problem(response)


def test_an_unsigned_pdf_is_said_so(client, signed):
    response = check(client, signed, pdf())

    assert "không có chữ ký số" in _problem(response)


def test_a_modified_copy_is_said_so(client, signed):
    content = signed.file.read()
    at = content.index(b"stream", content.index(b"/Contents")) + 40
    tampered = content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]

    response = check(client, signed, tampered)

    assert "đã bị sửa đổi sau khi ký số" in _problem(response)


def test_a_revision_added_after_signing_is_a_modification(client, signed):
    # Given a proper incremental update after the signature that changes the document
    writer = IncrementalPdfFileWriter(io.BytesIO(signed.file.read()))
    writer.root["/Lang"] = generic.TextStringObject("en-GB")
    writer.update_root()
    updated = io.BytesIO()
    writer.write(updated)

    response = check(client, signed, updated.getvalue())

    assert "đã bị sửa đổi sau khi ký số" in _problem(response)


def test_a_result_signed_by_an_untrusted_certificate_is_said_so(
    client, signed, citizen, agency, leader, tmp_path
):
    # Given another dossier signed with a certificate from a CA that is not trusted
    other = signing.PkiFolder(tmp_path / "other-ca", now=NOW - timedelta(days=30))
    other.issue_for(agency, replace=True)
    key, crt = signing.agency_paths(agency.code)
    for path in (key, crt):
        path.write_bytes((other.root / "agencies" / path.name).read_bytes())
    forged = issue_signed_result(dossier=finished(agency, citizen), by=leader, now=NOW)

    response = check(client, signed, forged.file.read())

    assert "không do tổ chức chứng thực được tin cậy cấp" in _problem(response)


def test_another_validly_signed_result_is_a_different_document(
    client, signed, citizen, agency, leader
):
    another = issue_signed_result(dossier=finished(agency, citizen), by=leader, now=NOW)

    response = check(client, signed, another.file.read())

    assert "là một văn bản khác" in _problem(response)


def test_a_file_over_10_mb_is_refused(client, signed):
    response = check(client, signed, b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))

    assert response.status_code == 400
    assert "tối đa 10 MB" in response.content.decode()


def test_no_file_is_asked_for_again(client, signed):
    response = client.post(verify_url(signed), {})

    assert response.status_code == 400
    assert "Hãy chọn tệp PDF cần kiểm tra" in response.content.decode()


def test_the_page_of_a_dossier_without_result_does_not_exist(client):
    DossierFactory(status=9)

    assert client.get(reverse("dossiers:verify", kwargs={"token": "x" * 32})).status_code == 404


def test_a_result_whose_file_was_lost_is_404_not_an_error(client, signed):
    signed.file.storage.delete(signed.file.name)

    response = client.get(reverse("dossiers:verify_download", kwargs={"token": signed.token}))

    assert response.status_code == 404


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_on_a_phone_checks_an_upload(live_server, phone_page, signed, tmp_path):
    """axe finds no serious violation before and after a check, nothing scrolls sideways, and
    the upload goes through the plain HTML form."""
    upload = tmp_path / "ket-qua.pdf"
    upload.write_bytes(signed.file.read())
    page = phone_page

    page.goto(live_server.url + verify_url(signed))
    assert serious_violations(page) == []
    assert fits_the_screen(page)

    page.get_by_label("Tệp PDF cần kiểm tra").set_input_files(str(upload))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    assert "Trùng khớp" in page.get_by_role("alert").inner_text()
    assert serious_violations(page) == []
    assert fits_the_screen(page)


def test_checks_from_one_address_are_limited(client, signed, settings):
    settings.VERIFY_CHECK_LIMIT = {"limit": 2, "window": 600}
    with open(signed.file.path, "rb") as handle:
        original = handle.read()

    answers = [check(client, signed, original) for _ in range(3)]

    assert [a.status_code for a in answers] == [200, 200, 429]
    assert "quá nhiều tệp" in answers[2].content.decode()
    assert "Trùng khớp" not in answers[2].content.decode()
