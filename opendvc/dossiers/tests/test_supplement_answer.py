"""The applicant answers a supplement request through the pages: sees what is asked, adds files
to the components named (and only those), then sends the supplement, which restarts the clock."""

import hashlib
from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.dossiers import actions
from opendvc.dossiers.models import ComponentFile, Status, SupplementReason
from opendvc.dossiers.tests.factories import (
    MONDAY,
    VN,
    DossierComponentFactory,
    DossierFactory,
    pdf,
)

pytestmark = pytest.mark.django_db
REQUESTED = MONDAY + timedelta(hours=1)  # Monday 23/11/2026 10:00
ANSWERED = MONDAY + timedelta(days=2, hours=1)  # Wednesday 25/11/2026 10:00


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(ANSWERED, tick=False):
        yield


def given_file(component, name: str, data: bytes) -> ComponentFile:
    """A file the applicant gave before the supplement request."""
    return ComponentFile.objects.create(
        component=component,
        file=ContentFile(data, name=name),
        original_name=name,
        size=len(data),
        content_type="application/pdf",
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_at=MONDAY - timedelta(days=1),
    )


@pytest.fixture
def asked(citizen, agency, specialist):
    """A dossier of the citizen, being processed, asked to replace its birth certificate."""
    dossier = DossierFactory(applicant=citizen, agency=agency, status=Status.PROCESSING)
    form = DossierComponentFactory(dossier=dossier, name="Tờ khai", position=0)
    certificate = DossierComponentFactory(dossier=dossier, name="Giấy chứng sinh", position=1)
    given_file(form, "to-khai.pdf", pdf())
    given_file(certificate, "chung-sinh-cu.pdf", pdf(content=b"BT ET"))
    reasons = [{"component": certificate.pk, "code": "ILLEGIBLE", "note": "Bản quét bị mờ."}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=REQUESTED)
    dossier.refresh_from_db()
    return dossier, form, certificate


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def url(name: str, dossier, **kwargs) -> str:
    return reverse(f"dossiers:{name}", kwargs={"code": dossier.code, **kwargs})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_detail_page_shows_what_is_asked_with_a_link(client, citizen, asked):
    dossier, _, _ = asked
    client.force_login(citizen)
    body = client.get(url("detail", dossier)).content.decode()
    assert "Giấy chứng sinh" in body
    assert SupplementReason.ILLEGIBLE.label in body
    assert "Bản quét bị mờ." in body
    assert url("supplement", dossier) in body


def test_the_page_offers_uploads_only_for_the_components_asked(client, citizen, asked):
    dossier, form, certificate = asked
    client.force_login(citizen)
    response = client.get(url("supplement", dossier))
    assert response.status_code == 200
    body = response.content.decode()
    assert SupplementReason.ILLEGIBLE.label in body and "Bản quét bị mờ." in body
    assert url("supplement_attach", dossier, component_pk=certificate.pk) in body
    assert url("supplement_attach", dossier, component_pk=form.pk) not in body
    assert "chung-sinh-cu.pdf" in body  # what was given is shown, read only
    old = certificate.files.get()
    assert url("supplement_remove", dossier, file_pk=old.pk) not in body


@pytest.mark.parametrize("came_from", [Status.RECEIVED, Status.PROCESSING])
def test_the_applicant_replaces_a_document_and_sends_the_supplement(
    client, citizen, specialist, agency, came_from
):
    # Given a dossier asked, from status 2 or 4, to replace its birth certificate
    dossier = DossierFactory(applicant=citizen, agency=agency, status=came_from)
    certificate = DossierComponentFactory(dossier=dossier, name="Giấy chứng sinh")
    given_file(certificate, "chung-sinh-cu.pdf", pdf(content=b"BT ET"))
    reasons = [{"component": certificate.pk, "code": "INVALID", "note": ""}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=REQUESTED)
    client.force_login(citizen)

    # When the applicant uploads a new one and sends the supplement
    added = client.post(
        url("supplement_attach", dossier, component_pk=certificate.pk),
        {"files": upload("chung-sinh-moi.pdf", pdf())},
        follow=True,
    )
    assert "Đã đính kèm tệp “chung-sinh-moi.pdf”." in messages_of(added)
    sent = client.post(url("supplement_send", dossier), {"note": "Đã thay bản quét rõ hơn."})

    # Then the dossier goes back where it came from, the clock restarted from today
    assert sent.url == url("detail", dossier)
    dossier.refresh_from_db()
    assert dossier.status == came_from
    # The request (Monday 10:00) froze the working days up to the due day, Monday 30/11 (the
    # factory's due moment), 24/11 being a day off: 25, 26, 27 and 30/11 — 4 days. Resent
    # Wednesday 25/11 10:00, they run again: 26, 27, 30/11 and 1/12.
    assert dossier.due_at == datetime(2026, 12, 1, 17, 0, tzinfo=VN)
    assert dossier.paused_at is None and dossier.resubmission_count == 1
    names = set(certificate.files.values_list("original_name", flat=True))
    assert names == {"chung-sinh-cu.pdf", "chung-sinh-moi.pdf"}
    request = dossier.supplements.get()
    assert request.answered_at == ANSWERED and request.answered_by == citizen
    entry = AuditEntry.objects.get(action="dossiers.resubmit")
    assert entry.actor_id == citizen.pk and entry.target_id == str(dossier.pk)
    assert dossier.history.last().note == "Đã thay bản quét rõ hơn."
    page = client.get(sent.url)
    assert any("Đã gửi bổ sung hồ sơ" in m for m in messages_of(page))


def test_a_forged_upload_to_a_component_not_asked_is_refused(client, citizen, asked):
    dossier, form, _ = asked
    client.force_login(citizen)
    response = client.post(
        url("supplement_attach", dossier, component_pk=form.pk),
        {"files": upload("to-khai-moi.pdf", pdf(content=b"BT (moi) Tj ET"))},
        follow=True,
    )
    assert "không nằm trong yêu cầu bổ sung" in " ".join(messages_of(response))
    assert list(form.files.values_list("original_name", flat=True)) == ["to-khai.pdf"]
    assert not AuditEntry.objects.filter(action="dossiers.file_attached").exists()


def test_a_file_of_the_wrong_type_is_refused_and_earlier_files_kept(client, citizen, asked):
    # Given a replacement already added
    dossier, _, certificate = asked
    client.force_login(citizen)
    attach = url("supplement_attach", dossier, component_pk=certificate.pk)
    client.post(attach, {"files": upload("chung-sinh-moi.pdf", pdf())})

    # When a file that is not a document is sent
    response = client.post(
        attach, {"files": upload("anh.pdf", b"GIF89a not really a pdf")}, follow=True
    )

    # Then it is refused with a message naming it, and what was saved is still there
    said = " ".join(messages_of(response))
    assert "Tệp “anh.pdf” không phải PDF, JPEG hoặc PNG" in said
    names = set(certificate.files.values_list("original_name", flat=True))
    assert names == {"chung-sinh-cu.pdf", "chung-sinh-moi.pdf"}
    assert response.status_code == 200


def test_only_files_added_since_the_request_can_be_removed(client, citizen, asked):
    dossier, _, certificate = asked
    client.force_login(citizen)
    client.post(
        url("supplement_attach", dossier, component_pk=certificate.pk),
        {"files": upload("chung-sinh-moi.pdf", pdf())},
    )
    old = certificate.files.get(original_name="chung-sinh-cu.pdf")
    new = certificate.files.get(original_name="chung-sinh-moi.pdf")
    assert url("supplement_remove", dossier, file_pk=new.pk) in (
        client.get(url("supplement", dossier)).content.decode()
    )

    refused = client.post(url("supplement_remove", dossier, file_pk=old.pk), follow=True)
    assert "Không thể xóa tệp đã nộp trước khi có yêu cầu bổ sung" in " ".join(messages_of(refused))
    removed = client.post(url("supplement_remove", dossier, file_pk=new.pk), follow=True)
    assert "Đã xóa tệp “chung-sinh-moi.pdf”." in messages_of(removed)
    assert list(certificate.files.values_list("original_name", flat=True)) == ["chung-sinh-cu.pdf"]


def test_a_request_naming_no_component_opens_every_component(client, citizen, specialist, agency):
    dossier = DossierFactory(applicant=citizen, agency=agency, status=Status.RECEIVED)
    one = DossierComponentFactory(dossier=dossier, name="Tờ khai")
    two = DossierComponentFactory(dossier=dossier, name="Giấy chứng sinh")
    reasons = [{"component": None, "code": "OTHER", "note": "Nộp lại toàn bộ bản rõ nét."}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=REQUESTED)
    client.force_login(citizen)
    body = client.get(url("supplement", dossier)).content.decode()
    assert "Toàn bộ hồ sơ" in body and SupplementReason.OTHER.label in body
    for component in (one, two):
        assert url("supplement_attach", dossier, component_pk=component.pk) in body


@pytest.mark.parametrize("who", ["other_citizen", "desk_officer", "specialist"])
def test_anyone_but_the_applicant_gets_404(client, request, asked, who):
    dossier, _, certificate = asked
    client.force_login(request.getfixturevalue(who))
    old = certificate.files.get()
    assert client.get(url("supplement", dossier)).status_code == 404
    attach = url("supplement_attach", dossier, component_pk=certificate.pk)
    assert client.post(attach, {"files": upload("x.pdf", pdf())}).status_code == 404
    assert client.post(url("supplement_remove", dossier, file_pk=old.pk)).status_code == 404
    assert client.post(url("supplement_send", dossier)).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    assert certificate.files.count() == 1


def test_anonymous_is_sent_to_sign_in(client, asked):
    dossier, _, _ = asked
    response = client.get(url("supplement", dossier))
    assert response.status_code == 302 and "next=" in response.url


def test_without_an_open_request_the_page_sends_back_to_the_detail(client, citizen, agency):
    dossier = DossierFactory(applicant=citizen, agency=agency, status=Status.PROCESSING)
    client.force_login(citizen)
    response = client.get(url("supplement", dossier), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", dossier)
    assert "Hồ sơ không có yêu cầu bổ sung nào đang chờ." in messages_of(response)
    body = response.content.decode()
    assert url("supplement", dossier) not in body  # no box, no link


def test_sending_twice_says_so_and_changes_nothing(client, citizen, asked):
    dossier, _, _ = asked
    client.force_login(citizen)
    client.post(url("supplement_send", dossier))
    again = client.post(url("supplement_send", dossier), follow=True)
    assert "không thể thực hiện thao tác này" in " ".join(messages_of(again))
    dossier.refresh_from_db()
    assert dossier.resubmission_count == 1
    assert AuditEntry.objects.filter(action="dossiers.resubmit").count() == 1


def test_the_pages_are_post_only_where_they_change_things(client, citizen, asked):
    dossier, _, certificate = asked
    client.force_login(citizen)
    attach = url("supplement_attach", dossier, component_pk=certificate.pk)
    assert client.get(attach).status_code == 405
    assert client.get(url("supplement_send", dossier)).status_code == 405


@pytest.mark.parametrize("reason", list(SupplementReason))
def test_the_detail_box_names_each_coded_reason_as_the_model_does(
    client, citizen, specialist, agency, reason
):
    dossier = DossierFactory(applicant=citizen, agency=agency, status=Status.RECEIVED)
    component = DossierComponentFactory(dossier=dossier, name="Giấy chứng sinh")
    reasons = [{"component": component.pk, "code": reason.value, "note": "Xem lại."}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=REQUESTED)
    client.force_login(citizen)
    body = client.get(url("detail", dossier)).content.decode()
    assert f"{reason.label} – Xem lại." in body
