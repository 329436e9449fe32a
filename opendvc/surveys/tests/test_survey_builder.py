"""Building a survey: administrators and an agency's communication officer make it, add
questions of every kind with a condition, publish it with its link and QR code. To anyone
else the builder answers 404."""

import pytest
import time_machine
from django.test import Client

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.audit.models import AuditEntry
from opendvc.dossiers.tests.factories import MONDAY
from opendvc.surveys.models import Question, Survey

from .factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db
BUILDER = "/can-bo/khao-sat/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def communication(agency):
    return OfficialFactory(full_name="Đinh Thị Hoa", roles=[(agency, "COMMUNICATION_OFFICER")])


@pytest.fixture
def other_communication(other_agency):
    return OfficialFactory(full_name="Lý Văn Khoa", roles=[(other_agency, "COMMUNICATION_OFFICER")])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


SURVEY = {
    "title": "Khảo sát mức độ sử dụng dịch vụ công trực tuyến",
    "description": "Ý kiến của bạn giúp chúng tôi phục vụ tốt hơn.",
    "opens_at": "2026-11-23T08:00",
    "closes_at": "2026-12-31T17:00",
}


def test_a_communication_officer_builds_and_publishes_a_survey(communication, agency):
    client = client_of(communication)

    created = client.post(BUILDER + "tao-moi/", {**SURVEY, "agency": agency.pk})
    survey = Survey.objects.get()
    url = f"{BUILDER}{survey.pk}/"
    client.post(
        url + "cau-hoi/",
        {
            "kind": "SINGLE",
            "text": "Bạn đã nộp hồ sơ trực tuyến chưa?",
            "options": "Rồi\nChưa",
            "is_required": "on",
        },
    )
    first = survey.questions.get()
    client.post(
        url + "cau-hoi/",
        {"kind": "TEXT", "text": "Điều gì cần cải thiện?", "condition": f"{first.pk}:0"},
    )
    client.post(
        url + "cau-hoi/",
        {
            "kind": "MATRIX",
            "text": "Đánh giá từng khâu",
            "rows": "Nộp hồ sơ\nThanh toán",
            "options": "Kém\nTốt",
        },
    )
    client.post(url + "cau-hoi/", {"kind": "SCALE", "text": "Mức độ hài lòng chung"})
    published = client.post(url + "cong-bo/")
    detail = client.get(url)
    qr = client.get(url + "ma-qr.svg")

    assert created.status_code == 302 and created.url == url
    survey.refresh_from_db()
    assert survey.is_published and survey.agency == agency and survey.created_by == communication
    kinds = list(survey.questions.values_list("position", "kind", "condition_option"))
    assert kinds == [(1, "SINGLE", None), (2, "TEXT", 0), (3, "MATRIX", None), (4, "SCALE", None)]
    assert survey.questions.get(position=3).rows == ["Nộp hồ sơ", "Thanh toán"]
    assert published.status_code == 302
    assert f"/khao-sat/{survey.token}/" in detail.text and "ma-qr.svg" in detail.text
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    assert AuditEntry.objects.filter(action="surveys.survey_published").count() == 1


def test_questions_are_frozen_once_published(communication, agency):
    survey = SurveyFactory(agency=agency, is_published=True)
    question = QuestionFactory(survey=survey)
    client = client_of(communication)

    added = client.post(f"{BUILDER}{survey.pk}/cau-hoi/", {"kind": "TEXT", "text": "Thêm?"})
    deleted = client.post(f"{BUILDER}{survey.pk}/cau-hoi/{question.pk}/xoa/")

    assert added.status_code == 400 and "không thể sửa câu hỏi" in added.text
    assert deleted.status_code == 302 and survey.questions.count() == 1


def test_incomplete_questions_and_dates_are_refused(communication, agency):
    survey = SurveyFactory(agency=agency, is_published=False)
    client = client_of(communication)

    one_option = client.post(
        f"{BUILDER}{survey.pk}/cau-hoi/", {"kind": "SINGLE", "text": "Có?", "options": "Có"}
    )
    backwards = client.post(
        BUILDER + "tao-moi/", {**SURVEY, "agency": agency.pk, "closes_at": "2026-11-01T08:00"}
    )
    publish_empty = client.post(f"{BUILDER}{survey.pk}/cong-bo/", follow=True)

    assert one_option.status_code == 400 and "ít nhất hai phương án" in one_option.text
    assert backwards.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu." in backwards.text
    assert "ít nhất một câu hỏi" in publish_empty.text
    survey.refresh_from_db()
    assert not survey.is_published and Survey.objects.count() == 1


def test_a_question_others_depend_on_cannot_be_deleted(communication, agency):
    survey = SurveyFactory(agency=agency, is_published=False)
    source = QuestionFactory(survey=survey)
    QuestionFactory(survey=survey, kind="TEXT", condition_question=source, condition_option=1)

    response = client_of(communication).post(
        f"{BUILDER}{survey.pk}/cau-hoi/{source.pk}/xoa/", follow=True
    )

    assert "làm điều kiện" in response.text and Question.objects.count() == 2


def test_an_officer_makes_surveys_only_for_their_agency(communication, other_agency):
    response = client_of(communication).post(
        BUILDER + "tao-moi/", {**SURVEY, "agency": other_agency.pk}
    )
    without = client_of(communication).post(BUILDER + "tao-moi/", SURVEY)
    assert response.status_code == without.status_code == 400 and not Survey.objects.exists()


def test_an_administrator_makes_a_survey_of_the_whole_portal(superuser):
    response = client_of(superuser).post(BUILDER + "tao-moi/", SURVEY)
    assert response.status_code == 302 and Survey.objects.get().agency is None


def test_the_builder_and_results_are_not_for_others(
    agency, communication, other_communication, desk_officer, citizen, superuser
):
    survey = SurveyFactory(agency=agency, is_published=False)
    question = QuestionFactory(survey=survey)
    base = f"{BUILDER}{survey.pk}/"
    pages = [
        base,
        base + "sua/",
        base + "ket-qua/",
        base + "ket-qua.csv",
        base + "ket-qua.xlsx",
        base + "ma-qr.svg",
    ]
    posts = [base + "cau-hoi/", base + "cong-bo/", f"{base}cau-hoi/{question.pk}/xoa/"]

    for user in (other_communication, desk_officer, citizen):
        client = client_of(user)
        assert [client.get(url).status_code for url in pages] == [404] * len(pages)
        assert [client.post(url, {"kind": "TEXT", "text": "x"}).status_code for url in posts] == [
            404
        ] * 3
    assert client_of(desk_officer).get(BUILDER).status_code == 404
    assert client_of(citizen).get(BUILDER + "tao-moi/").status_code == 404
    assert [client_of(superuser).get(url).status_code for url in pages] == [200] * len(pages)
    assert client_of(communication).get(BUILDER).status_code == 200
    survey.refresh_from_db()
    assert not survey.is_published and survey.questions.count() == 1
