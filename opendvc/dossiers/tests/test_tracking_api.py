"""Public tracking through the API: GET /api/v1/dossiers/track."""

from datetime import datetime

import pytest

from opendvc.dossiers import actions
from opendvc.dossiers.tests.factories import MONDAY

from .test_tracking import (
    FIRST_CODE,
    NOT_FOUND,
    PRIVATE,
    draft_for,
    submitted,
    walked_to_the_end,
)

TRACK = "/api/v1/dossiers/track"


def get(client, ip="10.0.0.1", **params):
    return client.get(TRACK, params, REMOTE_ADDR=ip)


def test_the_secret_gives_the_public_view_as_json(
    client, citizen, agency, desk_officer, specialist, leader
):
    dossier, secret = submitted(citizen, agency)
    dossier = walked_to_the_end(dossier, desk_officer, specialist, leader)

    response = get(client, code=dossier.code, secret=secret)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "code",
        "procedure_code",
        "procedure_name",
        "agency_name",
        "status",
        "status_label",
        "submitted_at",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "timeline",
    }
    assert (body["code"], body["status"], body["status_label"]) == (
        dossier.code,
        10,
        "Đã trả kết quả",
    )
    assert body["agency_name"] == "Sở Tư pháp tỉnh Bắc Ninh"
    assert body["procedure_name"] == "Cấp bản sao trích lục hộ tịch"
    assert body["due_at"].endswith("+07:00")
    assert datetime.fromisoformat(body["due_at"]) == dossier.due_at
    assert datetime.fromisoformat(body["received_at"]) == dossier.received_at
    assert [step["status"] for step in body["timeline"]] == [1, 2, 4, 5, 4, 9, 10]
    assert all(set(step) == {"at", "status", "status_label"} for step in body["timeline"])
    assert "no-cache" in response["Cache-Control"]


def test_the_json_holds_no_personal_data_and_no_officials(
    client, citizen, agency, desk_officer, specialist, leader
):
    dossier, secret = submitted(citizen, agency)
    dossier = walked_to_the_end(dossier, desk_officer, specialist, leader)

    text = get(client, code=dossier.code, secret=secret).content.decode()

    for private in PRIVATE:
        assert private not in text
    assert dossier.secret_hash not in text and secret not in text


@pytest.mark.parametrize("phone", ["0912345678", "0912 345 678", "+84 912 345 678", "+84912345678"])
def test_the_phone_number_in_any_usual_format(client, citizen, agency, phone):
    dossier, _ = submitted(citizen, agency)

    response = get(client, code=dossier.code, phone=phone)

    assert response.status_code == 200
    assert response.json()["status_label"] == "Mới đăng ký"


def test_unknown_code_draft_wrong_secret_and_wrong_phone_give_one_body(client, citizen, agency):
    draft = draft_for(citizen, agency)
    before_submission = get(client, code=FIRST_CODE, secret="ABCDEFGH23")
    dossier = actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY).dossier

    answers = [
        before_submission,
        get(client, code="T24-STP-991231-9999", secret="ABCDEFGH23"),
        get(client, code="T24-STP-991231-9999", phone="0912345678"),
        get(client, code=dossier.code, secret="ABCDEFGH23"),
        get(client, code=dossier.code, phone="0987654321"),
    ]

    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert all("no-cache" in a["Cache-Control"] for a in answers)
    assert answers[0].json() == {
        "error": {"code": "not_found", "message": NOT_FOUND, "details": []}
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"code": FIRST_CODE}, ""),
        ({"code": FIRST_CODE, "secret": "", "phone": ""}, ""),
        ({"secret": "ABCDEFGH23"}, "code"),
        ({"code": FIRST_CODE, "phone": "12345"}, "phone"),
        ({"code": "X" * 101, "secret": "ABCDEFGH23"}, "code"),
        ({"code": FIRST_CODE, "secret": "A" * 33}, "secret"),
        ({"code": FIRST_CODE, "phone": "0" * 21}, "phone"),
    ],
)
def test_bad_input_answers_422(client, db, params, field):
    response = get(client, **params)

    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert field in {d["field"] for d in error["details"]}
    assert all(d["message"] for d in error["details"])


@pytest.mark.parametrize(
    "params",
    [
        {"code": "<script>alert(1)</script>", "secret": "<b>x</b>"},
        {"code": "' OR 1=1 --", "secret": "' OR ''='"},
        {"code": "%' OR code LIKE '%", "phone": "0912345678"},
    ],
)
def test_html_and_sql_are_only_looked_up(client, citizen, agency, params):
    submitted(citizen, agency)

    response = get(client, **params)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_endpoint_is_documented(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    operation = paths[TRACK]["get"]
    assert [p["name"] for p in operation["parameters"]] == ["code", "secret", "phone"]
    assert set(operation["responses"]) == {"200", "404", "422", "429"}
    assert "rate_limited" in operation["description"]
