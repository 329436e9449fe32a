"""The applicant's dossier API: a draft, its e-form and files, an idempotent submission, the
supplement, withdrawal and the signed result — each through HTTP with a personal token."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from opendvc.accounts.tests.factories import bearer
from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import (
    ComponentFile,
    Dossier,
    Status,
    StatusChange,
    SubmissionKey,
)
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory, pdf

from .scenes import (  # noqa: F401 - the commune fixture
    answers,
    commune_of_a_province,
    criminal_record_case,
    stored_result,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def case(agency):
    return criminal_record_case(agency, id_copy_required=False)


def upload(client, auth, dossier_id, component_id, name, data):
    url = f"{API}/dossiers/{dossier_id}/components/{component_id}/files"
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, headers=auth)


def start(client, auth, case) -> dict:
    response = client.post(
        f"{API}/dossiers",
        {"procedure_code": case.procedure.code, "agency_code": "T24-STP"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 201, response.content
    return response.json()


def ready_draft(client, auth, case, commune) -> dict:
    draft = start(client, auth, case)
    saved = client.patch(
        f"{API}/dossiers/{draft['id']}/form",
        answers(commune),
        content_type="application/json",
        headers=auth,
    )
    assert saved.status_code == 200, saved.content
    component = draft["components"][0]["id"]
    assert upload(client, auth, draft["id"], component, "to-khai.pdf", pdf()).status_code == 201
    return draft


def submit(client, auth, dossier_id, key="khoa-1"):
    headers = {**auth, "Idempotency-Key": key} if key is not None else auth
    url = f"{API}/dossiers/{dossier_id}/submit"
    return client.post(url, content_type="application/json", headers=headers)


def test_a_citizen_files_a_dossier_through_the_api(client, citizen, case, commune):
    auth = bearer(citizen)

    draft = start(client, auth, case)
    assert (draft["status"], draft["code"], draft["agency_code"]) == (0, None, "T24-STP")
    assert [c["name"] for c in draft["components"]] == ["Tờ khai yêu cầu", "Bản chụp căn cước"]
    assert "submit" in draft["actions"]
    saved = client.patch(
        f"{API}/dossiers/{draft['id']}/form",
        answers(commune),
        content_type="application/json",
        headers=auth,
    )
    assert saved.status_code == 200 and saved.json()["form_data"]["ho_ten"] == "Nguyễn Văn An"
    first = draft["components"][0]["id"]
    attached = upload(client, auth, draft["id"], first, "to-khai.pdf", pdf())
    assert attached.status_code == 201 and attached.json()["files"][0]["size"] == len(pdf())

    response = submit(client, auth, draft["id"])

    assert response.status_code == 200, response.content
    body = response.json()
    dossier = Dossier.objects.get(pk=draft["id"])
    assert (dossier.status, body["code"], body["status"]) == (Status.NEW, dossier.code, 1)
    assert body["secret"] and dossier.check_secret(body["secret"])
    assert body["timeline"][-1]["status_label"] == "Mới đăng ký"
    assert body["components"][0]["files"][0]["name"] == "to-khai.pdf"
    assert "file" not in body["components"][0]["files"][0]  # no storage path
    assert dossier.form_data["so_dinh_danh_ca_nhan"] == "001090012345"
    assert AuditEntry.objects.filter(action="dossiers.submit", target_id=str(dossier.pk)).exists()


def test_the_same_idempotency_key_submits_once_and_answers_the_same_dossier(
    client, citizen, case, commune
):
    auth = bearer(citizen)
    draft = ready_draft(client, auth, case, commune)

    first = submit(client, auth, draft["id"], key="nop-lan-1")
    again = submit(client, auth, draft["id"], key="nop-lan-1")

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["code"] == first.json()["code"]
    assert first.json()["secret"] and again.json()["secret"] is None  # shown once
    assert {k: v for k, v in again.json().items() if k != "secret"} == {
        k: v for k, v in first.json().items() if k != "secret"
    }
    assert StatusChange.objects.filter(dossier_id=draft["id"], action="submit").count() == 1
    assert SubmissionKey.objects.get(key="nop-lan-1").dossier_id == draft["id"]


def test_a_key_used_for_another_dossier_is_refused_and_that_draft_stays(
    client, citizen, case, commune
):
    auth = bearer(citizen)
    first = ready_draft(client, auth, case, commune)
    second = ready_draft(client, auth, case, commune)
    assert submit(client, auth, first["id"], key="mot-khoa").status_code == 200

    response = submit(client, auth, second["id"], key="mot-khoa")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Dossier.objects.get(pk=second["id"]).status == Status.DRAFT


def test_the_same_key_of_another_account_is_that_accounts_own(
    client, citizen, other_citizen, case, commune
):
    mine = ready_draft(client, bearer(citizen), case, commune)
    theirs = ready_draft(client, bearer(other_citizen), case, commune)
    assert submit(client, bearer(citizen), mine["id"], key="chung").status_code == 200

    response = submit(client, bearer(other_citizen), theirs["id"], key="chung")

    assert response.status_code == 200 and response.json()["secret"]


@pytest.mark.parametrize("key", [None, "", "k" * 256])
def test_a_submission_needs_an_idempotency_key_of_1_to_255_characters(
    client, citizen, case, commune, key
):
    auth = bearer(citizen)
    draft = ready_draft(client, auth, case, commune)

    response = submit(client, auth, draft["id"], key=key)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert Dossier.objects.get(pk=draft["id"]).status == Status.DRAFT


def test_a_submission_with_a_missing_required_document_is_refused(client, citizen, case, commune):
    auth = bearer(citizen)
    draft = start(client, auth, case)
    client.patch(
        f"{API}/dossiers/{draft['id']}/form",
        answers(commune),
        content_type="application/json",
        headers=auth,
    )

    response = submit(client, auth, draft["id"])

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert "Tờ khai yêu cầu" in response.json()["error"]["message"]
    assert not SubmissionKey.objects.exists()
    assert Dossier.objects.get(pk=draft["id"]).status == Status.DRAFT


def test_a_wrong_e_form_answers_422_with_each_field_and_saves_nothing(
    client, citizen, case, commune
):
    auth = bearer(citizen)
    draft = start(client, auth, case)
    url = f"{API}/dossiers/{draft['id']}/form"
    client.patch(url, answers(commune), content_type="application/json", headers=auth)

    response = client.patch(
        url,
        {"so_dinh_danh_ca_nhan": "12ab", "noi_dung_yeu_cau": None},
        content_type="application/json",
        headers=auth,
    )

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_form"
    assert {"so_dinh_danh_ca_nhan", "noi_dung_yeu_cau"} <= {d["field"] for d in error["details"]}
    saved = Dossier.objects.get(pk=draft["id"]).form_data
    assert saved["so_dinh_danh_ca_nhan"] == "001090012345"
    assert saved["noi_dung_yeu_cau"] == "Cấp một phiếu lý lịch tư pháp số 1."


def test_a_partial_form_update_keeps_the_other_answers(client, citizen, case, commune):
    auth = bearer(citizen)
    draft = start(client, auth, case)
    url = f"{API}/dossiers/{draft['id']}/form"
    client.patch(url, answers(commune), content_type="application/json", headers=auth)

    response = client.patch(
        url, {"dia_chi_chi_tiet": "Số 7 Ngô Gia Tự"}, content_type="application/json", headers=auth
    )

    assert response.status_code == 200
    saved = Dossier.objects.get(pk=draft["id"]).form_data
    assert (saved["dia_chi_chi_tiet"], saved["ho_ten"]) == ("Số 7 Ngô Gia Tự", "Nguyễn Văn An")
    assert AuditEntry.objects.filter(action="dossiers.draft_saved").count() == 2


def test_a_submitted_dossiers_form_cannot_be_changed(client, citizen):
    dossier = DossierFactory(applicant=citizen, status=Status.NEW)

    response = client.patch(
        f"{API}/dossiers/{dossier.pk}/form",
        {},
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert response.status_code == 404  # forms belong to drafts only


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("giay.pdf", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "không phải PDF, JPEG hoặc PNG"),
        ("rong.pdf", b"", "rỗng"),
        ("hoa-don.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00This program", "không phải PDF"),
        ("../../../etc/passwd.pdf", b"root:x:0:0:root:/root:/bin/bash\n", "không phải PDF"),
    ],
    ids=["wrong-magic-bytes", "empty", "renamed-executable", "path-traversal-name"],
)
def test_an_abusive_upload_is_refused_with_a_clear_message_and_the_draft_intact(
    client, citizen, case, commune, name, data, says
):
    auth = bearer(citizen)
    draft = ready_draft(client, auth, case, commune)
    component = draft["components"][1]["id"]

    response = upload(client, auth, draft["id"], component, name, data)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert says in response.json()["error"]["message"]
    assert ComponentFile.objects.filter(component__dossier_id=draft["id"]).count() == 1
    assert Dossier.objects.get(pk=draft["id"]).form_data["ho_ten"] == "Nguyễn Văn An"


def test_a_path_in_a_files_name_is_never_used_to_store_it(client, citizen, case, commune, settings):
    auth = bearer(citizen)
    draft = ready_draft(client, auth, case, commune)

    response = upload(
        client,
        auth,
        draft["id"],
        draft["components"][1]["id"],
        "../../../tmp/x.pdf",
        pdf(content=b"x"),
    )

    assert response.status_code == 201
    stored = ComponentFile.objects.get(component_id=draft["components"][1]["id"])
    assert "/" not in stored.original_name and ".." not in stored.original_name
    assert ".." not in stored.file.name
    assert stored.file.path.startswith(str(settings.MEDIA_ROOT))


def test_a_file_is_removed_from_a_draft(client, citizen, case, commune):
    auth = bearer(citizen)
    draft = ready_draft(client, auth, case, commune)
    component = draft["components"][0]["id"]
    stored = ComponentFile.objects.get(component_id=component)

    url = f"{API}/dossiers/{draft['id']}/components/{component}/files/{stored.pk}"
    response = client.delete(url, headers=auth)

    assert response.status_code == 204
    assert not ComponentFile.objects.filter(pk=stored.pk).exists()
    assert AuditEntry.objects.filter(action="dossiers.file_removed").count() == 1


def test_a_supplement_is_answered_with_a_new_file(client, citizen, agency):
    dossier = DossierFactory(applicant=citizen, agency=agency, status=Status.SUPPLEMENT)
    component = DossierComponentFactory(dossier=dossier, name="Bản chụp căn cước")
    auth = bearer(citizen)
    shown = client.get(f"{API}/dossiers/{dossier.pk}", headers=auth).json()
    assert shown["supplement_request"]["reasons"] == [
        {
            "component_id": None,
            "component_name": "Toàn bộ hồ sơ",
            "code": "MISSING",
            "label": "Thiếu giấy tờ",
            "note": "",
        }
    ]
    assert upload(client, auth, dossier.pk, component.pk, "cc.pdf", pdf()).status_code == 201

    response = client.post(
        f"{API}/dossiers/{dossier.pk}/supplement",
        {"note": "Đã bổ sung"},
        content_type="application/json",
        headers=auth,
    )

    assert response.status_code == 200
    assert response.json()["status"] == Status.PROCESSING
    assert response.json()["supplement_request"] is None
    assert StatusChange.objects.get(dossier=dossier, action="resubmit").note == "Đã bổ sung"


def test_a_new_dossier_is_withdrawn_once(client, citizen):
    dossier = DossierFactory(applicant=citizen, status=Status.NEW)
    auth = bearer(citizen)
    url = f"{API}/dossiers/{dossier.pk}/withdraw"

    first = client.post(url, content_type="application/json", headers=auth)
    again = client.post(url, content_type="application/json", headers=auth)

    assert first.status_code == 200 and first.json()["status"] == Status.WITHDRAWN
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "illegal_transition"
    assert StatusChange.objects.filter(dossier=dossier, action="withdraw").count() == 1


def test_the_signed_result_is_streamed_once_there_is_one(client, citizen, leader):
    dossier = DossierFactory(applicant=citizen, status=Status.FINISHED)
    auth = bearer(citizen)
    url = f"{API}/dossiers/{dossier.pk}/result"
    assert client.get(url, headers=auth).status_code == 404
    stored_result(dossier, leader)

    response = client.get(url, headers=auth)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf()


def test_my_dossiers_are_listed_newest_first_and_filtered_by_status(client, citizen, other_citizen):
    older = DossierFactory(applicant=citizen, status=Status.NEW, created_at=MONDAY - timedelta(1))
    newer = DossierFactory(applicant=citizen, status=Status.DRAFT)
    DossierFactory(applicant=other_citizen, status=Status.NEW)
    auth = bearer(citizen)

    everything = client.get(f"{API}/dossiers", headers=auth).json()
    new_only = client.get(f"{API}/dossiers", {"status": 1}, headers=auth).json()
    second_page = client.get(f"{API}/dossiers", {"page": 2, "page_size": 1}, headers=auth).json()

    assert [d["id"] for d in everything["items"]] == [newer.pk, older.pk]
    assert [d["code"] for d in new_only["items"]] == [older.code]
    assert (second_page["count"], [d["id"] for d in second_page["items"]]) == (2, [older.pk])


def test_a_draft_for_an_unknown_procedure_names_the_field(client, citizen):
    response = client.post(
        f"{API}/dossiers",
        {"procedure_code": "0.000000"},
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "procedure_code"
    assert not Dossier.objects.exists()


def test_a_draft_at_an_agency_that_does_not_receive_the_procedure_is_refused(
    client, citizen, case, other_agency
):
    response = client.post(
        f"{API}/dossiers",
        {"procedure_code": case.procedure.code, "agency_code": other_agency.code},
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert not Dossier.objects.exists()


# Threads need a database they can share while writing: PostgreSQL, or SQLite in a file.
@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_with_one_key_submit_once(citizen, agency, commune):
    draft = DossierFactory(
        agency=agency, applicant=citizen, status=Status.DRAFT, form_data=answers(commune)
    )
    headers = {**bearer(citizen), "Idempotency-Key": "cung-mot-khoa"}
    url = f"{API}/dossiers/{draft.pk}/submit"
    answers_seen, errors = [], []
    start = threading.Barrier(4)

    def submit_once():
        try:
            start.wait()
            response = Client().post(url, content_type="application/json", headers=headers)
            answers_seen.append((response.status_code, response.json()))
        except Exception as error:  # noqa: BLE001 - reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert [status for status, _body in answers_seen] == [200] * 4
    assert len({body["code"] for _status, body in answers_seen}) == 1
    assert sum(1 for _status, body in answers_seen if body["secret"]) == 1
    assert StatusChange.objects.filter(dossier=draft, action="submit").count() == 1
    assert SubmissionKey.objects.filter(key="cung-mot-khoa").count() == 1


def test_an_officials_account_files_no_online_draft(client, desk_officer, case):
    response = client.post(
        f"{API}/dossiers",
        {"procedure_code": case.procedure.code, "agency_code": "T24-STP"},
        content_type="application/json",
        headers=bearer(desk_officer),
    )

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert not Dossier.objects.exists()
