"""The signed electronic result: issued by the action, verified with pyHanko against the
trusted root, served to the applicant and the agency only."""

import asyncio
import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.dossiers import signing
from opendvc.dossiers.actions import IllegalTransition, InvalidRequest, NotAllowed
from opendvc.dossiers.actions import results as result_actions
from opendvc.dossiers.actions.results import issue_signed_result
from opendvc.dossiers.models import Dossier, SignedResult, Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory, pdf

from .test_slips import pdf_text

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(days=3, hours=2)
SUMMARY = "Cấp Giấy khai sinh cho cháu Nguyễn Văn Bình.\nSố: 123/2026/KS."


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def finished(agency, citizen, **kwargs) -> Dossier:
    return DossierFactory(
        status=Status.FINISHED,
        agency=agency,
        applicant=citizen,
        result_summary=SUMMARY,
        case__procedure__name="Đăng ký khai sinh",
        **kwargs,
    )


def stored_files() -> list[Path]:
    root = Path(default_storage.location)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_the_result_is_signed_stored_and_recorded(citizen, agency, leader, pki, settings):
    # Given a decided dossier of an agency with a certificate
    settings.SITE_URL = "https://dichvucong.example.vn"
    pki.issue_for(agency)
    dossier = finished(agency, citizen)

    # When the leader's decision is signed (at a moment of its own, not the clock's)
    at = NOW - timedelta(minutes=7)
    result = issue_signed_result(dossier=dossier, by=leader, now=at)

    # Then the stored file is the signed PDF, described by its row, and the dossier has an
    # electronic result; the audit log says who signed what
    content = result.file.read()
    assert content.startswith(b"%PDF-")
    assert result.sha256 == hashlib.sha256(content).hexdigest()
    assert len(result.token) >= 32
    signer = signing.load_signer(agency)
    assert result.certificate_serial == signer.serial
    assert result.certificate_sha256 == signer.certificate_sha256
    assert "Sở Tư pháp tỉnh Bắc Ninh" in result.signer_name
    assert (result.signed_at, result.signed_by) == (at, leader)
    dossier.refresh_from_db()
    assert dossier.has_electronic_result
    entry = AuditEntry.objects.get(action="dossiers.sign_result")
    assert (entry.actor_id, entry.target_id) == (leader.pk, str(dossier.pk))
    assert entry.payload["sha256"] == result.sha256

    # and pyHanko finds it intact, signed by the agency's certificate under the trusted root,
    # at the action's time
    verification = signing.verify_pdf(content)
    assert verification.is_valid and verification.intact and verification.trusted
    assert verification.signed_at == at
    assert verification.certificate_sha256 == result.certificate_sha256

    # and the page says what the result is, who signed, and where to verify it
    text = pdf_text(content)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH",
        "SỞ TƯ PHÁP TỈNH BẮC NINH",
        "Đăng ký khai sinh",
        "Nguyễn Văn An",
        "Cấp Giấy khai sinh cho cháu Nguyễn Văn Bình.",
        "Số: 123/2026/KS.",
        "Hoàng Văn Em",
        "(Đã ký số)",
        f"https://dichvucong.example.vn/xac-thuc/{result.token}/",
    ]:
        assert expected in text, expected


def test_a_byte_changed_after_signing_breaks_the_signature(citizen, agency, leader, pki):
    # Given a signed result
    pki.issue_for(agency)
    content = issue_signed_result(dossier=finished(agency, citizen), by=leader, now=NOW)
    content = content.file.read()

    # When one byte of the signed page content is changed
    at = content.index(b"stream", content.index(b"/Contents")) + 40
    tampered = content[:at] + bytes([content[at] ^ 0x01]) + content[at + 1 :]

    # Then the signature no longer verifies
    verification = signing.verify_pdf(tampered)
    assert not verification.intact
    assert not verification.is_valid


def test_a_certificate_from_another_ca_is_not_trusted(citizen, agency, leader, pki, tmp_path):
    # Given the agency's key and certificate were issued by a CA that PKI_DIR does not trust
    other = signing.PkiFolder(tmp_path / "other-ca", now=NOW - timedelta(days=30))
    other.issue_for(agency)
    pki.ensure_ca()
    key, crt = signing.agency_paths(agency.code)
    key.parent.mkdir(parents=True)
    for path in (key, crt):
        path.write_bytes((other.root / "agencies" / path.name).read_bytes())

    # When a result is signed with it
    result = issue_signed_result(dossier=finished(agency, citizen), by=leader, now=NOW)

    # Then the signature is intact but not trusted
    verification = signing.verify_pdf(result.file.read())
    assert verification.intact
    assert not verification.trusted
    assert verification.outcome == signing.Outcome.UNTRUSTED


def test_an_agency_without_a_certificate_cannot_sign(citizen, agency, leader):
    dossier = finished(agency, citizen)

    with pytest.raises(InvalidRequest, match="chưa có chứng thư số"):
        issue_signed_result(dossier=dossier, by=leader, now=NOW)

    dossier.refresh_from_db()
    assert not dossier.has_electronic_result
    assert not SignedResult.objects.exists()
    assert stored_files() == []


def test_a_result_is_signed_once(citizen, agency, leader, pki):
    pki.issue_for(agency)
    dossier = finished(agency, citizen)
    issue_signed_result(dossier=dossier, by=leader, now=NOW)

    with pytest.raises(IllegalTransition, match="đã có kết quả"):
        issue_signed_result(dossier=dossier, by=leader, now=NOW)

    assert SignedResult.objects.count() == 1
    assert len(stored_files()) == 1


def test_only_a_decided_dossier_and_only_its_leader(citizen, agency, leader, specialist, pki):
    pki.issue_for(agency)
    processing = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)

    with pytest.raises(IllegalTransition):
        issue_signed_result(dossier=processing, by=leader, now=NOW)
    with pytest.raises(NotAllowed):
        issue_signed_result(dossier=finished(agency, citizen), by=specialist, now=NOW)
    assert not SignedResult.objects.exists()


def test_the_stored_bytes_go_when_the_action_fails_after_storing(
    citizen, agency, leader, pki, monkeypatch
):
    # Given the audit log fails after the file was stored
    pki.issue_for(agency)
    dossier = finished(agency, citizen)

    def broken(*args, **kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr(result_actions, "record", broken)

    # When the action runs inside a caller's transaction (as in finish_dossier)
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_signed_result(dossier=dossier, by=leader, now=NOW)

    # Then nothing is left behind: no row, no bytes, no flag
    assert not SignedResult.objects.exists()
    assert stored_files() == []
    dossier.refresh_from_db()
    assert not dossier.has_electronic_result


def _result_urls(dossier) -> list[str]:
    return [
        reverse("dossiers:result", kwargs={"code": dossier.code}),
        reverse("dossiers:staff_result", kwargs={"code": dossier.code}),
    ]


def test_the_applicant_and_the_agency_download_the_signed_file(
    client, citizen, agency, leader, desk_officer, pki
):
    pki.issue_for(agency)
    dossier = finished(agency, citizen)
    result = issue_signed_result(dossier=dossier, by=leader, now=NOW)
    expected = result.file.read()
    citizen_url, staff_url = _result_urls(dossier)

    client.force_login(citizen)
    mine = client.get(citizen_url)
    page = client.get(reverse("dossiers:detail", kwargs={"code": dossier.code}))
    client.force_login(desk_officer)
    theirs = client.get(staff_url)

    for response in (mine, theirs):
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == expected
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
        assert f'filename="{dossier.code}-ket-qua.pdf"' in response["Content-Disposition"]
    assert citizen_url in page.content.decode()
    assert reverse("dossiers:verify", kwargs={"token": result.token}) in page.content.decode()


def test_nobody_else_gets_the_result_and_none_is_404(
    client, citizen, other_citizen, agency, leader, other_agency_officer, pki
):
    pki.issue_for(agency)
    signed = finished(agency, citizen)
    issue_signed_result(dossier=signed, by=leader, now=NOW)
    unsigned = finished(agency, citizen)

    for user in (other_citizen, other_agency_officer):
        client.force_login(user)
        assert [client.get(u).status_code for u in _result_urls(signed)] == [404, 404]
    client.force_login(citizen)
    assert client.get(_result_urls(unsigned)[0]).status_code == 404
    client.force_login(leader)
    assert client.get(_result_urls(unsigned)[1]).status_code == 404


def test_signing_and_verifying_work_inside_a_running_event_loop(agency, pki):
    # pyHanko runs its own event loop; a thread that already runs one must not break it
    pki.issue_for(agency)
    signer = signing.load_signer(agency)

    async def inside():
        return signing.verify_pdf(signing.sign_pdf(pdf(), signer, NOW))

    assert asyncio.run(inside()).is_valid
