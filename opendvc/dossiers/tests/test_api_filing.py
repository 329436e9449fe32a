"""Filing a complete dossier in one request (POST /api/v1/dossiers/filings): the step-by-step
actions in one transaction, their checks and error bodies, nothing left behind by a failure,
and the submit endpoint's idempotency."""

import json
import threading

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from opendvc.accounts.tests.factories import bearer
from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import (
    ComponentFile,
    Dossier,
    DossierComponent,
    Status,
    StatusChange,
    SubmissionKey,
)
from opendvc.dossiers.tests.factories import MONDAY, pdf
from opendvc.notifications.models import Message

from .scenes import (  # noqa: F401 - the commune fixture
    answers,
    commune_of_a_province,
    criminal_record_case,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/dossiers/filings"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def case(agency):
    return criminal_record_case(agency, id_copy_required=False)


def documents(case) -> list[int]:
    return list(case.documents.order_by("position").values_list("pk", flat=True))


def filing(procedure_case, commune, **changes) -> dict:
    """A complete filing: the request form attached to the first document."""
    case = procedure_case
    fields = {
        "procedure": case.procedure.code,
        "case": case.pk,
        "agency": "T24-STP",
        "form": json.dumps(answers(commune)),
        f"component_{documents(case)[0]}": SimpleUploadedFile("to-khai.pdf", pdf()),
    }
    fields.update(changes)
    return {name: value for name, value in fields.items() if value is not None}


def post(client, auth, fields: dict, key="nop-mot-lan"):
    headers = {**auth, "Idempotency-Key": key} if key is not None else auth
    return client.post(URL, fields, headers=headers)


def nothing_saved() -> None:
    assert not Dossier.objects.exists()
    assert not DossierComponent.objects.exists()
    assert not ComponentFile.objects.exists()
    assert not StatusChange.objects.exists()
    assert not SubmissionKey.objects.exists()
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="dossiers.").exists()


def stored_files() -> list[str]:
    try:
        _folders, _files = default_storage.listdir("dossiers")
    except FileNotFoundError:
        return []
    return [
        name for folder in _folders for name in default_storage.listdir(f"dossiers/{folder}")[1]
    ]


def test_one_request_files_a_complete_dossier(client, citizen, case, commune):
    response = post(client, bearer(citizen), filing(case, commune))

    assert response.status_code == 201, response.content
    body = response.json()
    dossier = Dossier.objects.get(code=body["code"])
    assert (dossier.status, body["status"], body["status_label"]) == (
        Status.NEW,
        1,
        "Mới đăng ký",
    )
    assert body["id"] == dossier.pk and body["case_id"] == case.pk
    assert body["secret"] and dossier.check_secret(body["secret"])
    assert (dossier.applicant, dossier.channel) == (citizen, Dossier.Channel.ONLINE)
    assert dossier.form_data["so_dinh_danh_ca_nhan"] == "001090012345"
    first, second = body["components"]
    assert first["files"][0]["name"] == "to-khai.pdf" and second["files"] == []
    assert first["files"][0]["size"] == len(pdf()) and "file" not in first["files"][0]
    # The same actions as the step-by-step flow, each with its audit entry and the message.
    entries = AuditEntry.objects.filter(target_id=str(dossier.pk), action__startswith="dossiers.")
    actions = entries.values_list("action", flat=True)
    assert sorted(actions) == sorted(
        [
            "dossiers.create_draft",
            "dossiers.draft_saved",
            "dossiers.file_attached",
            "dossiers.submit",
        ]
    )
    change = StatusChange.objects.get(dossier=dossier)
    assert Message.objects.filter(key=f"dossier-status:{change.pk}").count() == 1
    assert SubmissionKey.objects.get(key="nop-mot-lan").dossier == dossier


def test_one_document_may_have_several_files(client, citizen, case, commune):
    second = documents(case)[1]
    fields = filing(case, commune)
    fields[f"component_{second}"] = [
        SimpleUploadedFile("mat-truoc.pdf", pdf(content=b"BT (truoc) Tj ET")),
        SimpleUploadedFile("mat-sau.pdf", pdf(content=b"BT (sau) Tj ET")),
    ]

    response = post(client, bearer(citizen), fields)

    assert response.status_code == 201, response.content
    names = [f["name"] for f in response.json()["components"][1]["files"]]
    assert sorted(names) == ["mat-sau.pdf", "mat-truoc.pdf"]


def test_the_only_case_may_be_left_out(client, citizen, case, commune):
    response = post(client, bearer(citizen), filing(case, commune, case=None))

    assert response.status_code == 201, response.content
    assert response.json()["case_id"] == case.pk


@pytest.mark.parametrize(
    ("changes", "status", "code", "field"),
    [
        ({"procedure": "9.999999"}, 422, "invalid_input", "procedure"),
        ({"case": "khong-phai-so"}, 422, "invalid_input", "case"),
        ({"case": "999999"}, 422, "invalid_input", "case"),
        ({"agency": "KHONG-CO"}, 422, "invalid_input", "agency"),
        ({"form": "[1, 2]"}, 422, "invalid_input", "form"),
        ({"form": "{không phải JSON"}, 422, "invalid_input", "form"),
        ({"form": json.dumps({"ho_ten": "An"})}, 422, "invalid_form", "ngay_sinh"),
        ({"tep": SimpleUploadedFile("a.pdf", pdf())}, 422, "invalid_input", "tep"),
    ],
)
def test_an_invalid_field_is_named_and_saves_nothing(
    client, citizen, case, commune, changes, status, code, field
):
    response = post(client, bearer(citizen), filing(case, commune, **changes))

    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["code"] == code
    assert field in [d["field"] for d in error["details"]]
    nothing_saved()


def test_a_missing_required_document_saves_nothing(client, citizen, case, commune):
    fields = filing(case, commune)
    del fields[f"component_{documents(case)[0]}"]

    response = post(client, bearer(citizen), fields)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "Tờ khai yêu cầu" in error["message"]
    nothing_saved()


def test_a_refused_file_after_a_good_one_saves_nothing_and_no_bytes(client, citizen, case, commune):
    fields = filing(case, commune)
    fields[f"component_{documents(case)[1]}"] = SimpleUploadedFile("cccd.pdf", b"MZ\x90\x00exe")

    response = post(client, bearer(citizen), fields)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "cccd.pdf" in error["message"]
    nothing_saved()
    assert stored_files() == []  # the first file's bytes went with the transaction


def test_a_document_of_another_case_saves_nothing(client, citizen, case, commune, agency):
    other = criminal_record_case(agency)
    fields = filing(case, commune)
    fields[f"component_{documents(other)[0]}"] = SimpleUploadedFile("x.pdf", pdf())

    response = post(client, bearer(citizen), fields)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    nothing_saved()
    assert stored_files() == []


def test_the_idempotency_key_is_required(client, citizen, case, commune):
    response = post(client, bearer(citizen), filing(case, commune), key=None)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    nothing_saved()


def test_an_official_files_nothing_here(client, desk_officer, case, commune):
    response = post(client, bearer(desk_officer), filing(case, commune))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    nothing_saved()


def test_the_same_key_files_once_and_answers_the_same_dossier(client, citizen, case, commune):
    auth = bearer(citizen)

    first = post(client, auth, filing(case, commune), key="cong-quoc-gia-42")
    again = post(client, auth, filing(case, commune), key="cong-quoc-gia-42")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["code"] == first.json()["code"]
    assert again.json()["id"] == first.json()["id"]
    assert first.json()["secret"] and again.json()["secret"] is None  # shown once
    assert Dossier.objects.count() == 1 and ComponentFile.objects.count() == 1
    assert StatusChange.objects.count() == 1 and Message.objects.count() == 1


# Threads need a database they can share while writing: PostgreSQL, or SQLite in a file.
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_with_one_key_file_once(citizen, case, commune):
    auth = bearer(citizen)
    seen, errors = [], []
    start = threading.Barrier(4)

    def file_once():
        try:
            fields = filing(case, commune)
            start.wait()
            response = post(Client(), auth, fields, key="cung-mot-khoa")
            seen.append((response.status_code, response.json()))
        except Exception as error:  # noqa: BLE001 - reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_once) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(status for status, _body in seen) == [200, 200, 200, 201]
    assert len({body["code"] for _status, body in seen}) == 1
    assert sum(1 for _status, body in seen if body["secret"]) == 1
    assert Dossier.objects.count() == 1 and ComponentFile.objects.count() == 1
    assert SubmissionKey.objects.filter(key="cung-mot-khoa").count() == 1
    assert len(stored_files()) == 1  # the losers' bytes went with their transactions


def test_the_same_key_for_another_procedure_is_refused(client, citizen, case, commune, agency):
    auth = bearer(citizen)
    other = criminal_record_case(agency, id_copy_required=False)
    assert post(client, auth, filing(case, commune), key="k").status_code == 201

    response = post(client, auth, filing(other, commune), key="k")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Dossier.objects.count() == 1


def test_another_citizens_key_files_their_own_dossier(
    client, citizen, other_citizen, case, commune
):
    mine = post(client, bearer(citizen), filing(case, commune), key="chung")
    theirs = post(client, bearer(other_citizen), filing(case, commune), key="chung")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["code"] != theirs.json()["code"]


def test_another_citizen_cannot_see_the_filed_dossier(
    client, citizen, other_citizen, case, commune
):
    filed = post(client, bearer(citizen), filing(case, commune)).json()
    stranger = bearer(other_citizen)

    detail = client.get(f"/api/v1/dossiers/{filed['id']}", headers=stranger)
    listed = client.get("/api/v1/dossiers", headers=stranger)

    assert detail.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"
    assert listed.json()["count"] == 0
    mine = client.get(f"/api/v1/dossiers/{filed['id']}", headers=bearer(citizen))
    assert mine.status_code == 200 and mine.json()["code"] == filed["code"]


def test_signing_in_is_required(client, case, commune):
    response = client.post(URL, filing(case, commune), headers={"Idempotency-Key": "k"})

    assert response.status_code == 401
    nothing_saved()


def test_the_openapi_schema_lists_the_filing(client):
    schema = client.get("/api/v1/openapi.json").json()

    operation = schema["paths"]["/api/v1/dossiers/filings"]["post"]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"procedure", "case", "agency", "form"} <= set(body["properties"])
    assert body["additionalProperties"]["format"] == "binary"
    assert {"201", "200", "409", "422"} <= set(operation["responses"])
    headers = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
    assert headers == ["Idempotency-Key"]
