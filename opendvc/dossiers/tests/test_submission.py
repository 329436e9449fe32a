"""Drafts and submission: components from the case, the human-readable code, the secret."""

import re
import threading
from datetime import datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import CaseFactory
from opendvc.dossiers import actions
from opendvc.dossiers.models import ComponentFile, Dossier, DossierCounter, Status
from opendvc.dossiers.tests.factories import MONDAY, VN, DossierFactory

from .scenes import answers, commune_of_a_province  # noqa: F401 - the commune fixture

CODE = re.compile(r"^T24-STP-(\d{6})-(\d{4,})$")


def _case_at(agency, documents=("Tờ khai", "Bản sao giấy khai sinh")):
    case = CaseFactory()
    case.procedure.implementing_agencies.add(agency)
    for position, name in enumerate(documents):
        case.documents.create(name=name, position=position, is_required=position == 0)
    return case


def test_a_citizen_starts_a_draft_with_one_component_per_document(citizen, agency):
    case = _case_at(agency)

    draft = actions.create_draft(by=citizen, case=case, agency=agency, now=MONDAY)

    assert (draft.status, draft.code, draft.channel) == (Status.DRAFT, None, Dossier.Channel.ONLINE)
    assert (draft.applicant, draft.applicant_name, draft.applicant_phone) == (
        citizen,
        "Nguyễn Văn An",
        "0912345678",
    )
    assert [(c.name, c.is_required) for c in draft.components.all()] == [
        ("Tờ khai", True),
        ("Bản sao giấy khai sinh", False),
    ]
    assert AuditEntry.objects.get(action="dossiers.create_draft").target_id == str(draft.pk)


def test_a_concrete_agency_receives_its_generic_agencys_procedures(citizen, agency):
    generic = DossierFactory().agency
    agency.generic = generic
    agency.save()
    case = _case_at(generic)

    draft = actions.create_draft(by=citizen, case=case, agency=agency, now=MONDAY)

    assert draft.agency == agency


def test_an_agency_that_does_not_receive_the_procedure_refuses_the_draft(
    citizen, agency, other_agency
):
    case = _case_at(other_agency)
    with pytest.raises(actions.InvalidRequest):
        actions.create_draft(by=citizen, case=case, agency=agency, now=MONDAY)
    assert not Dossier.objects.exists()


def test_only_the_agencys_desk_registers_for_others(agency, desk_officer, other_agency_officer):
    case = _case_at(agency)
    with pytest.raises(actions.NotAllowed):
        actions.create_draft(
            by=other_agency_officer, case=case, agency=agency, now=MONDAY, applicant={"name": "Ô"}
        )

    draft = actions.create_draft(
        by=desk_officer,
        case=case,
        agency=agency,
        now=MONDAY,
        applicant={"name": "Ông Hai", "phone": "0909000111", "type": "BUSINESS"},
        channel=Dossier.Channel.POSTAL,
    )

    assert (draft.applicant, draft.channel) == (None, Dossier.Channel.POSTAL)
    assert (draft.applicant_name, draft.applicant_phone) == ("Ông Hai", "0909000111")
    assert draft.applicant_type == Dossier.ApplicantType.BUSINESS
    submission = actions.submit_dossier(dossier=draft, by=desk_officer, now=MONDAY)
    assert submission.dossier.status == Status.NEW


def test_a_citizen_files_online_only_and_must_be_signed_in(citizen, agency):
    from django.contrib.auth.models import AnonymousUser

    case = _case_at(agency)
    with pytest.raises(actions.NotAllowed):
        actions.create_draft(
            by=citizen, case=case, agency=agency, now=MONDAY, channel=Dossier.Channel.COUNTER
        )
    with pytest.raises(actions.NotAllowed):
        actions.create_draft(by=AnonymousUser(), case=case, agency=agency, now=MONDAY)
    assert not Dossier.objects.exists()


def test_a_counter_dossier_needs_the_applicants_name(agency, desk_officer):
    draft = actions.create_draft(by=desk_officer, case=_case_at(agency), agency=agency, now=MONDAY)
    with pytest.raises(actions.InvalidRequest, match="họ tên"):
        actions.submit_dossier(dossier=draft, by=desk_officer, now=MONDAY)


def test_an_online_submission_needs_every_required_file(citizen, agency):
    draft = actions.create_draft(by=citizen, case=_case_at(agency), agency=agency, now=MONDAY)

    with pytest.raises(actions.InvalidRequest, match="Tờ khai"):
        actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY)
    draft.refresh_from_db()
    assert (draft.status, draft.code) == (Status.DRAFT, None)

    component = draft.components.get(is_required=True)
    ComponentFile.objects.create(
        component=component,
        file=SimpleUploadedFile("../../tờ khai.PDF", b"%PDF-1.7 ..."),
        original_name="tờ khai.PDF",
        size=12,
        content_type="application/pdf",
        sha256="ab" * 32,
        uploaded_at=MONDAY,
    )
    actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY)

    assert draft.status == Status.NEW
    assert component.files.get().file.name == f"dossiers/draft-{draft.pk}/{'ab' * 8}.pdf"


def test_a_reused_document_needs_no_new_file(citizen, agency):
    draft = actions.create_draft(by=citizen, case=_case_at(agency), agency=agency, now=MONDAY)
    draft.components.filter(is_required=True).update(is_reused=True)

    actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY)

    assert draft.status == Status.NEW


def test_submission_gives_a_code_and_a_secret_shown_once(citizen, agency):
    draft = DossierFactory(agency=agency, applicant=citizen)

    submission = actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY)

    dossier = Dossier.objects.get(pk=draft.pk)
    assert dossier.code == "T24-STP-261123-0001"
    assert dossier.submitted_at == MONDAY
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{10}", submission.secret)
    assert submission.secret not in dossier.secret_hash
    assert dossier.check_secret(submission.secret)
    assert dossier.check_secret(f" {submission.secret.lower()} ")
    assert not dossier.check_secret("AAAAAAAAAA")
    entry = AuditEntry.objects.get(action="dossiers.submit")
    assert submission.secret not in str(entry.payload)


def test_codes_count_per_agency_per_local_day(citizen, agency, other_agency):
    def submit(at, where=agency):
        draft = DossierFactory(agency=where, applicant=citizen)
        return actions.submit_dossier(dossier=draft, by=citizen, now=at).dossier.code

    late_evening = datetime(2026, 11, 23, 23, 59, tzinfo=VN)
    assert [submit(MONDAY), submit(late_evening)] == ["T24-STP-261123-0001", "T24-STP-261123-0002"]
    assert submit(MONDAY, other_agency) == "T24-SXD-261123-0001"
    # 00:30 in Hà Nội on the 24th is still the 23rd in UTC: the local day counts.
    assert submit(late_evening + timedelta(minutes=31)) == "T24-STP-261124-0001"


def test_many_submissions_get_distinct_consecutive_codes(citizen, agency):
    drafts = DossierFactory.create_batch(60, agency=agency, applicant=citizen)

    codes = [actions.submit_dossier(dossier=d, by=citizen, now=MONDAY).dossier.code for d in drafts]

    assert len(set(codes)) == 60
    assert all(CODE.match(code) for code in codes)
    assert [int(CODE.match(code)[2]) for code in codes] == list(range(1, 61))


# Threads need a database they can share while writing: PostgreSQL, or SQLite in a file
# (the project's SQLite test database is a file for this reason).
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_never_share_a_code(citizen, agency):
    drafts = DossierFactory.create_batch(12, agency=agency, applicant=citizen)
    codes, errors = [], []
    start = threading.Barrier(len(drafts))

    def submit(draft):
        try:
            start.wait()
            codes.append(actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY).dossier.code)
        except Exception as error:  # noqa: BLE001 - reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(d,)) for d in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(codes) == [f"T24-STP-261123-{n:04d}" for n in range(1, 13)]


def test_a_business_account_files_as_a_business(agency):
    from opendvc.accounts.tests.factories import CitizenFactory

    company = CitizenFactory(kind="BUSINESS", full_name="Công ty TNHH Minh Phát")

    draft = actions.create_draft(by=company, case=_case_at(agency), agency=agency, now=MONDAY)

    assert (draft.applicant_type, draft.applicant_name) == ("BUSINESS", "Công ty TNHH Minh Phát")


# The review page's submit (POST /ho-so/<pk>/kiem-tra/) checks the saved answers again.


def _ready_draft(citizen, agency, form_data: dict) -> Dossier:
    """A draft with its required document attached and these saved answers."""
    draft = actions.create_draft(by=citizen, case=_case_at(agency), agency=agency, now=MONDAY)
    component = draft.components.get(is_required=True)
    ComponentFile.objects.create(
        component=component,
        file=SimpleUploadedFile("t.pdf", b"%PDF-1.4 ok"),
        original_name="tờ khai.pdf",
        size=11,
        content_type="application/pdf",
        sha256="cd" * 32,
        uploaded_at=MONDAY,
    )
    Dossier.objects.filter(pk=draft.pk).update(form_data=form_data)
    return draft


def test_the_review_page_submits_valid_saved_answers(client, citizen, agency, commune):
    draft = _ready_draft(citizen, agency, answers(commune))
    client.force_login(citizen)

    response = client.post(reverse("dossiers:review", kwargs={"pk": draft.pk}))

    draft.refresh_from_db()
    assert draft.status == Status.NEW and CODE.match(draft.code)
    assert response.url == reverse("dossiers:receipt", kwargs={"code": draft.code})
    assert AuditEntry.objects.filter(action="dossiers.submit", target_id=str(draft.pk)).exists()
    secret = client.get(response.url).context["secret"]
    assert draft.check_secret(secret)


def test_the_review_page_refuses_saved_answers_that_no_longer_pass(
    client, citizen, agency, commune
):
    # Saved before a rule or the communes changed: here, the request itself is gone.
    draft = _ready_draft(citizen, agency, {**answers(commune), "noi_dung_yeu_cau": ""})
    client.force_login(citizen)

    response = client.post(reverse("dossiers:review", kwargs={"pk": draft.pk}), follow=True)

    assert response.redirect_chain[-1][0] == reverse("dossiers:form", kwargs={"pk": draft.pk})
    assert "Tờ khai còn thông tin chưa hợp lệ" in response.text
    draft.refresh_from_db()
    assert (draft.status, draft.code, draft.secret_hash) == (Status.DRAFT, None, "")
    assert not DossierCounter.objects.exists()
    assert not AuditEntry.objects.filter(action="dossiers.submit").exists()


def test_a_refused_submission_takes_no_number(citizen, agency):
    refused = actions.create_draft(by=citizen, case=_case_at(agency), agency=agency, now=MONDAY)
    with pytest.raises(actions.InvalidRequest):
        actions.submit_dossier(dossier=refused, by=citizen, now=MONDAY)

    accepted = DossierFactory(agency=agency, applicant=citizen)
    code = actions.submit_dossier(dossier=accepted, by=citizen, now=MONDAY).dossier.code

    assert code == "T24-STP-261123-0001"
    refused.refresh_from_db()
    assert (refused.code, refused.secret_hash) == (None, "")
