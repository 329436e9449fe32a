"""The citizen's store through its pages: uploads checked by content and sealed on disk, the
quota, 404 for anyone else, validity, and the desk's digitised copy."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from opendvc.audit.models import AuditEntry
from opendvc.vault import actions, storage
from opendvc.vault.models import DataAccess, DocumentType, StoredDocument
from opendvc.vault.views_staff import FINDS_PER_HOUR

from .helpers import FUTURE, PAST, a_pdf, finished_with_result, referring_dossier, stored

pytestmark = pytest.mark.django_db
STORE = "/tai-khoan/kho-du-lieu/"


def post_upload(client, content: bytes, name: str = "cccd.pdf", code: str = "CCCD", **extra):
    kind = DocumentType.objects.get(code=code)
    data = {"document_type": kind.pk, "file": SimpleUploadedFile(name, content), **extra}
    return client.post(reverse("vault:upload"), data)


def document_parents(document):
    # Every folder above the sealed file: none of them may be MEDIA_ROOT.
    return list((storage.root() / document.path).parents)


def test_an_upload_is_kept_sealed_and_read_back_plain(client, citizen, settings):
    client.force_login(citizen)
    plain = a_pdf()

    response = post_upload(client, plain, number="001099012345", expiry_date="2040-05-01")

    assert response.status_code == 302
    document = StoredDocument.objects.get(owner=citizen)
    on_disk = (storage.root() / document.path).read_bytes()
    assert on_disk != plain and b"%PDF" not in on_disk and b"001099012345" not in on_disk
    assert settings.MEDIA_ROOT not in document_parents(document)
    download = client.get(reverse("vault:download", args=[document.pk]))
    assert download.status_code == 200 and download.content == plain
    assert download["Content-Type"] == "application/pdf"
    assert AuditEntry.objects.filter(action="vault.document_stored").count() == 1


def test_a_file_that_is_not_a_document_is_refused_by_its_content(client, citizen):
    client.force_login(citizen)

    response = post_upload(client, b"MZ\x90\x00 not a pdf at all", name="cccd.pdf")

    assert response.status_code == 400
    assert "không phải PDF, JPEG hoặc PNG" in response.content.decode()
    assert not StoredDocument.objects.exists()
    assert not storage.root().exists() or not any(storage.root().rglob("*.bin"))


def test_a_full_store_refuses_with_a_clear_message_and_keeps_nothing(client, citizen, settings):
    settings.VAULT_QUOTA_BYTES = len(a_pdf()) + 10
    client.force_login(citizen)
    assert post_upload(client, a_pdf()).status_code == 302

    response = post_upload(client, a_pdf("other"), name="bang.pdf")

    assert response.status_code == 400
    assert "Kho dữ liệu không đủ chỗ cho tệp “bang.pdf”" in response.content.decode()
    assert StoredDocument.objects.count() == 1
    assert len(list(storage.root().rglob("*.bin"))) == 1


def test_another_citizen_gets_404(client, citizen, other_citizen):
    document = stored(citizen)
    client.force_login(other_citizen)

    assert client.get(reverse("vault:download", args=[document.pk])).status_code == 404
    assert client.post(reverse("vault:delete", args=[document.pk])).status_code == 404
    assert StoredDocument.objects.filter(pk=document.pk).exists()
    assert "cccd.pdf" not in client.get(STORE).content.decode()


def test_the_owner_deletes_a_document_and_its_sealed_file(
    client, citizen, django_capture_on_commit_callbacks
):
    document = stored(citizen)
    client.force_login(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("vault:delete", args=[document.pk]))

    assert response.status_code == 302
    assert not StoredDocument.objects.exists()
    assert not (storage.root() / document.path).exists()


def test_expired_documents_are_marked(client, citizen):
    stored(citizen, code="CCCD", number="OLD", expiry_date=PAST)
    stored(citizen, code="HO_CHIEU", text="passport", number="NEW", expiry_date=FUTURE)
    stored(citizen, code="KHAI_SINH", text="birth", number="BIRTH")
    client.force_login(citizen)

    page = client.get(STORE).content.decode()

    assert page.count("Đã hết hạn") == 1
    marked = page.index("Đã hết hạn")
    assert page.rindex("OLD", 0, marked) > page.rfind("NEW", 0, marked)
    assert "Không ghi thời hạn" in page  # the birth certificate


def test_months_from_issue_decide_validity(citizen):
    document = stored(
        citizen, code="TINH_TRANG_HON_NHAN", issued_date=PAST.replace(month=8, day=31)
    )

    assert str(document.valid_until()) == "2021-02-28"
    assert document.is_expired(FUTURE)


def test_the_desk_digitises_a_paper_into_a_citizens_store(client, citizen, desk_officer, agency):
    client.force_login(desk_officer)
    url = reverse("vault:digitise") + "?login=0912345678"
    found = client.get(url)
    data = {
        "document_type": DocumentType.objects.get(code="BANG_THPT").pk,
        "file": SimpleUploadedFile("bang.pdf", a_pdf("bang")),
        "number": "B-123",
        "issuer": "Sở Giáo dục và Đào tạo tỉnh Bắc Ninh",
        "issued_date": "2015-06-30",
        "agency": agency.pk,
    }

    response = client.post(url, data)

    assert "Nguyễn Văn An" in found.content.decode()
    assert response.status_code == 302
    document = StoredDocument.objects.get(owner=citizen)
    assert document.source == "DIGITISED" and document.agency == agency
    row = DataAccess.objects.get(owner=citizen)
    assert (row.kind, row.official, row.agency) == ("DIGITISED", desk_officer, agency)
    assert AuditEntry.objects.get(action="vault.document_stored").actor_id == desk_officer.pk


def test_only_the_desk_digitises(client, citizen, specialist):
    client.force_login(specialist)

    assert client.get(reverse("vault:digitise") + "?login=0912345678").status_code == 404


def test_the_desk_finds_no_one_by_name(client, citizen, desk_officer):
    client.force_login(desk_officer)

    page = client.get(reverse("vault:digitise") + "?login=Nguyễn Văn An").content.decode()

    assert "Không có tài khoản nào" in page and "Bản số hóa cho" not in page


def test_the_desks_searches_are_limited(client, citizen, desk_officer, settings):
    client.force_login(desk_officer)
    url = reverse("vault:digitise") + "?login=0912345678"
    for _ in range(FINDS_PER_HOUR):
        client.get(url)

    page = client.get(url).content.decode()

    assert "Đã tìm quá nhiều lần" in page and "Bản số hóa cho" not in page


def test_the_store_page_reads_a_fixed_number_of_rows(
    client, citizen, agency, leader, specialist, django_assert_max_num_queries
):
    for n in range(4):
        document = stored(citizen, text=f"doc {n}", number=f"N{n}")
        dossier = referring_dossier(document, agency)
        actions.log_official_view(
            document=document, dossier=dossier, official=specialist, now=timezone.now()
        )
        finished_with_result(citizen, agency, leader)
    client.force_login(citizen)

    with django_assert_max_num_queries(12):
        response = client.get(STORE)

    assert response.content.decode().count("Tải kết quả") == 4
