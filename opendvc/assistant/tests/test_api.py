"""The questions API: asking signed in, one's own questions only, the public FAQ, and the
officials' decisions with the same rules and audit entries as the pages."""

import pytest
from django.urls import reverse

from opendvc.assistant.actions import ASK_LIMIT
from opendvc.assistant.models import Question
from opendvc.audit.models import AuditEntry

from .factories import QuestionFactory

JSON = "application/json"


def _ask(client, agency, procedure=None, **extra):
    body = {"title": "Khai sinh ở nơi tạm trú", "question": "Có được không?"}
    body |= {"agency_code": agency.code, **extra}
    if procedure is not None:
        body["procedure_code"] = procedure.code
    return client.post(reverse("api:ask_question"), body, content_type=JSON)


def test_asking_needs_sign_in(client, agency, procedure, specialist):
    response = _ask(client, agency, procedure)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert not Question.objects.exists()


def test_a_citizen_asks_and_reads_their_questions(client, citizen, agency, procedure, specialist):
    client.force_login(citizen)
    asked = _ask(client, agency, procedure, question="<i>Có</i> được không?")
    mine = client.get(reverse("api:my_questions"))

    assert asked.status_code == 201
    body = asked.json()
    assert (body["state"], body["procedure_code"], body["question"]) == (
        "NEW",
        "1.001193",
        "Có được không?",
    )
    assert [q["id"] for q in mine.json()] == [body["id"]]
    assert AuditEntry.objects.filter(action="assistant.ask", actor_id=citizen.pk).exists()


def test_asking_is_rate_limited(client, citizen, agency, procedure, specialist):
    client.force_login(citizen)
    answers = [_ask(client, agency, procedure).status_code for _ in range(ASK_LIMIT + 1)]

    assert answers == [201] * ASK_LIMIT + [429]


def test_another_citizens_question_is_not_found(client, citizen, other_citizen, agency):
    question = QuestionFactory(asker=other_citizen, agency=agency)
    client.force_login(citizen)
    response = client.get(reverse("api:my_question", args=[question.pk]))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert client.get(reverse("api:my_questions")).json() == []


def test_the_public_faq_searches_published_answers_only(client, agency, procedure):
    shown = QuestionFactory(agency=agency, procedure=procedure, published=True, title="Khai sinh")
    QuestionFactory(agency=agency, procedure=procedure, title="Khai sinh chưa trả lời")
    response = client.get(reverse("api:faq_list"), {"q": "khai sinh", "procedure": "1.001193"})

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [shown.pk]
    assert "asker" not in str(response.json())


def test_staff_answer_publish_hide_and_reject(client, leader, citizen, agency):
    first = QuestionFactory(asker=citizen, agency=agency)
    second = QuestionFactory(asker=citizen, agency=agency)
    client.force_login(leader)
    base = "/api/v1/staff/questions"
    listing = client.get(base, {"state": "NEW"})
    answered = client.post(f"{base}/{first.pk}/answer", {"answer": "Được."}, content_type=JSON)
    published = client.post(f"{base}/{first.pk}/publish")
    again = client.post(f"{base}/{first.pk}/publish")
    hidden = client.post(f"{base}/{first.pk}/hide")
    rejected = client.post(f"{base}/{second.pk}/reject", {"reason": "Trùng."}, content_type=JSON)

    assert listing.json()["count"] == 2
    assert listing.json()["items"][0]["asker_name"] == "Nguyễn Văn An"
    assert answered.json()["state"] == "ANSWERED"
    assert published.json()["state"] == "PUBLISHED"
    assert again.status_code == 409 and again.json()["error"]["code"] == "illegal_state"
    assert hidden.json()["state"] == "HIDDEN"
    assert rejected.json()["state"] == "REJECTED"
    actions = AuditEntry.objects.filter(actor_id=leader.pk).values_list("action", flat=True)
    assert sorted(actions) == sorted(
        ["assistant.answer", "assistant.publish", "assistant.hide", "assistant.reject"]
    )


@pytest.mark.parametrize("path", ["", "/{pk}/answer", "/{pk}/publish", "/{pk}/reject"])
def test_another_agencys_official_gets_404(client, other_agency_officer, agency, path):
    question = QuestionFactory(agency=agency)
    client.force_login(other_agency_officer)
    url = "/api/v1/staff/questions" + path.format(pk=question.pk)
    body = {"answer": "x", "reason": "x"}
    response = client.post(url, body, content_type=JSON) if path else client.get(url)

    if path:
        assert response.status_code == 404
    else:
        assert response.json()["count"] == 0
    question.refresh_from_db()
    assert question.state == Question.State.NEW


def test_a_citizen_gets_404_on_the_staff_api(client, citizen):
    client.force_login(citizen)

    assert client.get("/api/v1/staff/questions").status_code == 404


def test_a_specialist_may_not_publish(client, specialist, agency):
    question = QuestionFactory(agency=agency, state=Question.State.ANSWERED, answer="Được.")
    client.force_login(specialist)
    response = client.post(f"/api/v1/staff/questions/{question.pk}/publish")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
