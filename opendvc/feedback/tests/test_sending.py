"""Sending a PAKN through the page: account or confirmed address, the procedure pre-filled,
HTML stripped, attachments checked by content, sending rate limited, the receipt's secret."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import ProcedureFactory
from opendvc.dossiers.tests.factories import pdf
from opendvc.feedback.models import Feedback

from .factories import MONDAY, sent

pytestmark = pytest.mark.django_db
SEND = "/phan-anh-kien-nghi/gui/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def form(agency, **extra) -> dict:
    return {
        "kind": "REGULATION",
        "title": "Thời hạn quá dài",
        "content": "Đề nghị rút ngắn thời hạn.",
        "name": "Nguyễn Văn An",
        "agency": agency.pk,
        **extra,
    }


def test_a_citizen_sends_under_their_account_and_gets_a_code_and_secret(client, citizen, agency):
    client.force_login(citizen)

    response = client.post(SEND, form(agency))
    feedback = Feedback.objects.get()
    receipt = client.get(response.url).content.decode()
    again = client.get(response.url).content.decode()

    assert response.url == f"/phan-anh-kien-nghi/da-gui/{feedback.code}/"
    assert feedback.code == "PAKN-261123-0001"
    assert (feedback.sender, feedback.agency, feedback.state) == (citizen, agency, "RECEIVED")
    assert "Mã bí mật" in receipt and "Mã bí mật" not in again  # shown once
    assert AuditEntry.objects.filter(action="feedback.submit", target_id=str(feedback.pk)).exists()


def test_codes_number_the_day(citizen, agency):
    first, _ = sent(agency, citizen)
    second, _ = sent(agency, citizen)

    assert (first.code, second.code) == ("PAKN-261123-0001", "PAKN-261123-0002")


def test_the_procedure_prefills_the_form_and_implies_the_agency(client, citizen, agency):
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    procedure.implementing_agencies.add(agency)
    client.force_login(citizen)

    page = client.get(SEND + "?thu-tuc=1.001193").content.decode()
    client.post(SEND, {**form(agency), "agency": "", "procedure_code": "1.001193"})
    feedback = Feedback.objects.get()

    assert 'value="1.001193"' in page
    assert f'<option value="{agency.pk}" selected>' in page
    assert (feedback.procedure, feedback.agency) == (procedure, agency)


def test_html_is_stripped_and_plain_text_kept(client, citizen, agency):
    client.force_login(citizen)

    client.post(
        SEND,
        form(
            agency,
            title="<b>Chậm</b> trả kết quả",
            content="<script>alert(1)</script>Dòng một<br>\r\nDòng <i>hai</i>",
        ),
    )
    feedback = Feedback.objects.get()

    assert feedback.title == "Chậm trả kết quả"
    assert feedback.content == "Dòng một\n\nDòng hai"


def test_a_file_that_is_not_a_document_is_refused_and_the_text_kept(client, citizen, agency):
    client.force_login(citizen)
    fake = SimpleUploadedFile("anh.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = client.post(SEND, {**form(agency, content="Nội dung tôi đã gõ"), "files": [fake]})
    page = response.content.decode()

    assert response.status_code == 400
    assert "không phải PDF, JPEG hoặc PNG" in page
    assert "Nội dung tôi đã gõ" in page and 'value="Thời hạn quá dài"' in page
    assert not Feedback.objects.exists()


def test_attachments_are_checked_and_stored(client, citizen, agency):
    client.force_login(citizen)
    good = SimpleUploadedFile("bien-nhan.pdf", pdf(), content_type="application/pdf")

    client.post(SEND, {**form(agency), "files": [good]})
    stored = Feedback.objects.get().files.get()

    assert (stored.display_name, stored.content_type) == ("bien-nhan.pdf", "application/pdf")


def test_more_than_three_files_are_refused(client, citizen, agency):
    client.force_login(citizen)
    files = [
        SimpleUploadedFile(f"{n}.pdf", pdf(), content_type="application/pdf") for n in range(4)
    ]

    response = client.post(SEND, {**form(agency), "files": files})

    assert "tối đa 3 tệp" in response.content.decode()
    assert not Feedback.objects.exists()


def test_sending_is_rate_limited(client, citizen, agency):
    client.force_login(citizen)
    for n in range(5):
        client.post(SEND, form(agency, title=f"Phản ánh {n}"))

    response = client.post(SEND, form(agency, title="Thêm nữa"))

    assert response.status_code == 400
    assert "gửi quá nhiều phản ánh" in response.content.decode()
    assert Feedback.objects.count() == 5


def test_missing_agency_for_a_free_text_item_is_a_clear_error(client, citizen, agency):
    client.force_login(citizen)

    response = client.post(SEND, {**form(agency), "agency": ""})

    assert "Cần chọn cơ quan tiếp nhận" in response.content.decode()


def test_my_list_shows_only_my_items(client, citizen, other_citizen, agency):
    mine, _ = sent(agency, citizen, title="Của tôi")
    theirs, _ = sent(agency, other_citizen, title="Của người khác")
    client.force_login(citizen)

    page = client.get("/phan-anh-kien-nghi/cua-toi/").content.decode()

    assert mine.code in page and theirs.code not in page
