"""The surveys API: the open surveys, one survey, answering it (signed in or anonymous)."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from opendvc.accounts.tests.factories import bearer
from opendvc.dossiers.tests.factories import MONDAY
from opendvc.surveys.models import Answer, SurveyResponse

from .factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def survey_with_condition(**options):
    survey = SurveyFactory(**options)
    q1 = QuestionFactory(survey=survey, position=1, is_required=True)
    q2 = QuestionFactory(
        survey=survey,
        position=2,
        kind="TEXT",
        is_required=True,
        condition_question=q1,
        condition_option=0,
    )
    q3 = QuestionFactory(
        survey=survey, position=3, kind="MATRIX", rows=["A", "B"], options=["Kém", "Tốt"]
    )
    return survey, q1, q2, q3


def post(url, body, **headers):
    return Client().post(url, body, content_type="application/json", headers=headers)


def test_open_surveys_and_one_survey(agency):
    open_one, q1, q2, _q3 = survey_with_condition(agency=agency)
    SurveyFactory(is_published=False)
    SurveyFactory(closes_at=MONDAY - timedelta(days=1), opens_at=MONDAY - timedelta(days=5))
    client = Client()

    listed = client.get(f"{API}/surveys").json()
    one = client.get(f"{API}/surveys/{open_one.token}").json()

    assert [s["token"] for s in listed] == [open_one.token] and listed[0]["agency"] == agency.name
    assert one["is_open"] is True and [q["kind"] for q in one["questions"]] == [
        "SINGLE",
        "TEXT",
        "MATRIX",
    ]
    assert one["questions"][1]["condition"] == {"question_id": q1.pk, "option": 0}
    assert client.get(f"{API}/surveys/nope").status_code == 404


def test_answer_signed_in_once(citizen):
    survey, q1, q2, q3 = survey_with_condition()
    headers = bearer(citizen)
    body = {
        "answers": [
            {"question_id": q1.pk, "values": [0]},
            {"question_id": q2.pk, "text": "<p>Chậm</p>"},
            {"question_id": q3.pk, "rows": [1, None]},
        ]
    }

    unsigned = post(f"{API}/surveys/{survey.token}/responses", body)
    first = post(f"{API}/surveys/{survey.token}/responses", body, **headers)
    second = post(f"{API}/surveys/{survey.token}/responses", body, **headers)

    assert unsigned.status_code == 401
    assert first.status_code == 201 and second.status_code == 409
    assert SurveyResponse.objects.get().user == citizen
    assert sorted(Answer.objects.values_list("question__position", "row", "value", "text")) == [
        (1, None, 0, ""),
        (2, None, None, "Chậm"),
        (3, 0, 1, ""),
    ]


def test_missing_answers_are_listed_and_hidden_ones_dropped(citizen):
    survey, q1, q2, _q3 = survey_with_condition(is_anonymous=True)
    missing = post(
        f"{API}/surveys/{survey.token}/responses",
        {"answers": [{"question_id": q1.pk, "values": [0]}]},
    )
    hidden = post(
        f"{API}/surveys/{survey.token}/responses",
        {"answers": [{"question_id": q1.pk, "values": [1]}, {"question_id": q2.pk, "text": "bỏ"}]},
    )

    assert missing.status_code == 422
    assert missing.json()["error"]["details"] == [
        {"field": f"q{q2.pk}", "message": "Vui lòng trả lời câu hỏi này."}
    ]
    assert hidden.status_code == 201
    assert list(Answer.objects.values_list("question", flat=True)) == [q1.pk]
    assert SurveyResponse.objects.get().user is None


def test_a_closed_survey_answers_409(citizen):
    survey, q1, _q2, _q3 = survey_with_condition(closes_at=MONDAY - timedelta(minutes=1))
    response = post(
        f"{API}/surveys/{survey.token}/responses",
        {"answers": [{"question_id": q1.pk, "values": [1]}]},
        **bearer(citizen),
    )
    assert response.status_code == 409 and not SurveyResponse.objects.exists()
