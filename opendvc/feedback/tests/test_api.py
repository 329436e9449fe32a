"""The PAKN API: send with a confirmed one-time code or signed in, follow by code and secret,
the sender's reply, rating and reopening, the officials' list and workflow; 404 for what is
not yours; one error body; every endpoint in the OpenAPI schema."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from opendvc.feedback.models import Feedback
from opendvc.notifications.models import Message

from .factories import API, MONDAY, sent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def submission(agency, **extra) -> dict:
    return {
        "kind": "REGULATION",
        "title": "Thời hạn",
        "content": "<p>Quá dài</p>",
        "agency_code": agency.code,
        "name": "Lê Hoa",
        **extra,
    }


def test_send_with_a_one_time_code_then_follow(client, agency):
    started = client.post(
        f"{API}/feedback/verifications", {"address": "hoa@example.vn"}, "application/json"
    )
    token = started.json()["token"]
    code = Message.objects.get(event="verification.code").context["code"]
    client.post(
        f"{API}/feedback/verifications/confirm", {"token": token, "code": code}, "application/json"
    )

    response = client.post(f"{API}/feedback", submission(agency, verification_token=token))
    body = response.json()
    followed = client.post(
        f"{API}/feedback/follow",
        {"code": body["code"], "secret": body["secret"]},
        "application/json",
    )

    assert started.status_code == 201 and response.status_code == 201
    assert followed.status_code == 200
    assert followed.json()["content"] == "Quá dài"
    assert Feedback.objects.get().sender_email == "hoa@example.vn"


def test_sending_without_an_account_or_a_confirmed_code_is_refused(client, agency):
    response = client.post(f"{API}/feedback", submission(agency, verification_token="bịa"))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"
    assert not Feedback.objects.exists()


def test_a_signed_in_citizen_sends_with_an_attachment(client, citizen, agency):
    client.force_login(citizen)
    bad = SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf")

    refused = client.post(f"{API}/feedback", {**submission(agency), "files": [bad]})
    mine = client.get(f"{API}/feedback/mine")

    assert refused.status_code == 422
    assert "không phải PDF" in refused.json()["error"]["message"]
    assert mine.json() == []


def test_a_code_alone_or_another_persons_code_answers_404(client, citizen, other_citizen, agency):
    feedback, _ = sent(agency, citizen)

    alone = client.post(f"{API}/feedback/follow", {"code": feedback.code}, "application/json")
    client.force_login(other_citizen)
    rated = client.post(
        f"{API}/feedback/{feedback.code}/rating", {"satisfied": True}, "application/json"
    )

    assert alone.status_code == 404 and rated.status_code == 404
    assert alone.json() == {
        "error": {"code": "not_found", "message": "Không tìm thấy.", "details": []}
    }


def test_the_sender_replies_with_the_secret(client, agency, desk_officer):
    from opendvc.feedback import actions

    feedback, secret = sent(agency)
    actions.request_info(feedback=feedback, by=desk_officer, question="?", now=MONDAY)

    response = client.post(
        f"{API}/feedback/{feedback.code}/reply",
        {"secret": secret, "text": "Thêm thông tin"},
        "application/json",
    )

    assert response.status_code == 200 and response.json()["state"] == "ACCEPTED"


def test_staff_workflow_through_the_api(client, citizen, agency, specialist, leader):
    feedback, _ = sent(agency, citizen)
    base = f"{API}/staff/feedback/{feedback.code}"
    client.force_login(specialist)
    listed = client.get(f"{API}/staff/feedback").json()
    client.post(f"{base}/accept")
    client.post(f"{base}/draft", {"text": "Trả lời"}, "application/json")
    refused = client.post(f"{base}/approve", {}, "application/json")
    client.force_login(leader)
    client.post(f"{base}/approve", {}, "application/json")
    published = client.post(f"{base}/publish", {"public": True}, "application/json")

    assert listed["count"] == 1 and listed["items"][0]["sender_name"] == "Nguyễn Văn An"
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert published.status_code == 200 and published.json()["publication"] == "PUBLIC"
    again = client.post(f"{base}/accept")
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_transition"


def test_an_official_of_another_agency_gets_404(client, citizen, agency, other_agency_officer):
    feedback, _ = sent(agency, citizen)
    client.force_login(other_agency_officer)

    read = client.get(f"{API}/staff/feedback/{feedback.code}")
    acted = client.post(f"{API}/staff/feedback/{feedback.code}/accept")
    listed = client.get(f"{API}/staff/feedback").json()

    assert (read.status_code, acted.status_code, listed["count"]) == (404, 404, 0)


def test_merge_and_overdue_filter(client, citizen, agency, desk_officer):
    kept, _ = sent(agency, citizen, title="Gốc")
    duplicate, _ = sent(agency, citizen, title="Trùng")
    client.force_login(desk_officer)

    merged = client.post(
        f"{API}/staff/feedback/{duplicate.code}/merge", {"into": kept.code}, "application/json"
    )
    with time_machine.travel(MONDAY.replace(day=30), tick=False):
        overdue = client.get(f"{API}/staff/feedback?overdue=true").json()

    assert merged.json()["merged_into"] == kept.code
    assert [item["code"] for item in overdue["items"]] == [kept.code]


def test_every_endpoint_is_in_the_openapi_schema(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]

    for path in (
        "/feedback",
        "/feedback/verifications",
        "/feedback/verifications/confirm",
        "/feedback/follow",
        "/feedback/mine",
        "/feedback/{code}/reply",
        "/feedback/{code}/rating",
        "/feedback/{code}/reopen",
        "/staff/feedback",
        "/staff/feedback/{code}",
        "/staff/feedback/{code}/accept",
        "/staff/feedback/{code}/reject",
        "/staff/feedback/{code}/request-info",
        "/staff/feedback/{code}/draft",
        "/staff/feedback/{code}/approve",
        "/staff/feedback/{code}/publish",
        "/staff/feedback/{code}/merge",
        "/staff/feedback/{code}/reroute",
        "/staff/feedback/{code}/classify",
    ):
        assert f"/api/v1{path}" in paths


def test_the_sender_rates_and_reopens_with_the_secret(client, agency, specialist, leader):
    from opendvc.feedback import actions

    feedback, secret = sent(agency)
    actions.accept_feedback(feedback=feedback, by=specialist, now=MONDAY)
    actions.draft_answer(feedback=feedback, by=specialist, answer="Đã xem xét", now=MONDAY)
    actions.approve_answer(feedback=feedback, by=leader, now=MONDAY)
    base = f"{API}/feedback/{feedback.code}"

    rated = client.post(
        f"{base}/rating", {"secret": secret, "satisfied": False}, "application/json"
    )
    wrong = client.post(f"{base}/reopen", {"secret": "ABCDEFGH23", "text": "?"}, "application/json")
    reopened = client.post(
        f"{base}/reopen", {"secret": secret, "text": "Chưa rõ"}, "application/json"
    )

    assert rated.json()["rating"] == "UNSATISFIED" and rated.json()["answer"] == "Đã xem xét"
    assert wrong.status_code == 404
    assert reopened.status_code == 200 and reopened.json()["state"] == "ACCEPTED"
