"""Answering a survey without JavaScript: conditions read on the server (a hidden question is
not required and its answer dropped), required questions, one response per person or device,
a closed survey refused, HTML removed from texts; results and exports for the owners."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from opendvc.dossiers.tests.factories import MONDAY
from opendvc.surveys.models import Answer, SurveyResponse

from .factories import QuestionFactory, SurveyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def build(agency, **options):
    """Q1 single (required): Có / Không; Q2 text, required, shown when Q1 is "Có"; Q3 scale;
    Q4 matrix (required) of two rows on a three-level scale; Q5 multiple choice."""
    survey = SurveyFactory(agency=agency, **options)
    q1 = QuestionFactory(
        survey=survey, position=1, text="Bạn đã dùng dịch vụ công trực tuyến?", is_required=True
    )
    q2 = QuestionFactory(
        survey=survey,
        position=2,
        kind="TEXT",
        text="Bạn thấy khó ở đâu?",
        is_required=True,
        condition_question=q1,
        condition_option=0,
    )
    q3 = QuestionFactory(survey=survey, position=3, kind="SCALE", text="Mức độ hài lòng")
    q4 = QuestionFactory(
        survey=survey,
        position=4,
        kind="MATRIX",
        text="Đánh giá",
        is_required=True,
        rows=["Nộp", "Nhận"],
        options=["Kém", "Được", "Tốt"],
    )
    q5 = QuestionFactory(
        survey=survey,
        position=5,
        kind="MULTIPLE",
        text="Kênh",
        options=["Cổng", "Ứng dụng", "Bưu chính"],
    )
    return survey, (q1, q2, q3, q4, q5)


def answers(questions, **given) -> dict:
    q1, q2, q3, q4, q5 = questions
    data = {f"q{q1.pk}": "1", f"q{q4.pk}_r0": "2", f"q{q4.pk}_r1": "0"}
    for name, value in given.items():
        number, _, row = name.partition("_")
        field = f"q{questions[int(number[1:]) - 1].pk}" + (f"_{row}" if row else "")
        if value is None:
            data.pop(field, None)
        else:
            data[field] = value
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_question_hidden_by_its_condition_is_not_required_and_its_answer_dropped(citizen, agency):
    survey, qs = build(agency)
    response = signed_in(citizen).post(
        f"/khao-sat/{survey.token}/",
        answers(qs, q1="1", q2="Không được hỏi", q3="4", q5=["0", "2"]),
    )

    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.user == citizen
    got = sorted(Answer.objects.values_list("question__position", "row", "value", "text"))
    assert got == [
        (1, None, 1, ""),
        (3, None, 4, ""),
        (4, 0, 2, ""),
        (4, 1, 0, ""),
        (5, None, 0, ""),
        (5, None, 2, ""),
    ]


def test_a_shown_conditional_question_is_required_and_typed_answers_are_kept(citizen, agency):
    survey, qs = build(agency)
    client = signed_in(citizen)

    missing = client.post(f"/khao-sat/{survey.token}/", answers(qs, q1="0", q3="5", q4_r1=None))
    given = client.post(
        f"/khao-sat/{survey.token}/", answers(qs, q1="0", q2="<b>Thanh toán</b> lỗi")
    )

    assert missing.status_code == 400
    assert missing.text.count("<li>Vui lòng trả lời câu hỏi này.</li>") == 2  # Q2, the matrix
    assert f'value="0" id="id_q{qs[0].pk}_0" checked' in missing.text
    assert (
        f'name="q{qs[3].pk}_r0" value="2" id="id_q{qs[3].pk}_r0_2" aria-label="Nộp: Tốt" checked'
        in missing.text
    )
    assert given.status_code == 302
    assert Answer.objects.get(question=qs[1]).text == "Thanh toán lỗi"


def test_required_questions_and_invalid_choices(citizen, agency):
    survey, qs = build(agency)
    client = signed_in(citizen)

    empty = client.post(f"/khao-sat/{survey.token}/", {})
    forged = client.post(f"/khao-sat/{survey.token}/", answers(qs, q1="7", q3="9"))

    assert empty.status_code == 400 and "error-summary" in empty.text
    assert forged.status_code == 400 and forged.text.count("<li>Lựa chọn không hợp lệ.</li>") == 2
    assert not SurveyResponse.objects.exists()


def test_one_response_per_signed_in_person(citizen, other_citizen, agency):
    survey, qs = build(agency)
    client = signed_in(citizen)
    client.post(f"/khao-sat/{survey.token}/", answers(qs))

    again = client.post(f"/khao-sat/{survey.token}/", answers(qs, q1="0", q2="Lần hai"))
    page = client.get(f"/khao-sat/{survey.token}/")
    other = signed_in(other_citizen).post(f"/khao-sat/{survey.token}/", answers(qs))
    anonymous = Client().get(f"/khao-sat/{survey.token}/")

    assert again.status_code == 409 and "Bạn đã trả lời khảo sát này." in again.text
    assert (
        "Bạn đã trả lời khảo sát này" in page.text
        and '<form method="post" action="/khao-sat' not in page.text
    )
    assert other.status_code == 302
    assert anonymous.status_code == 302 and "dang-nhap" in anonymous.url
    assert (
        SurveyResponse.objects.filter(user=citizen).count() == 1
        and SurveyResponse.objects.count() == 2
    )


def test_one_response_per_device_for_an_anonymous_survey(agency, settings):
    settings.OPENDVC_SURVEY_ANSWERS_PER_IP = 3
    survey, qs = build(agency, is_anonymous=True)
    device = Client()
    device.get(f"/khao-sat/{survey.token}/")

    first = device.post(f"/khao-sat/{survey.token}/", answers(qs))
    again = device.post(f"/khao-sat/{survey.token}/", answers(qs))
    second_device = Client().post(f"/khao-sat/{survey.token}/", answers(qs))
    over_the_limit = Client().post(f"/khao-sat/{survey.token}/", answers(qs))

    assert first.status_code == 302 and again.status_code == 409
    assert second_device.status_code == 302 and over_the_limit.status_code == 429
    assert SurveyResponse.objects.count() == 2
    assert not SurveyResponse.objects.exclude(user=None).exists()
    assert SurveyResponse.objects.values("device").distinct().count() == 2


def test_a_forged_device_cookie_is_a_new_device(agency):
    survey, qs = build(agency, is_anonymous=True)
    device = Client()
    device.post(f"/khao-sat/{survey.token}/", answers(qs))
    stored = SurveyResponse.objects.get().device
    device.cookies["surveys_device"] = stored  # unsigned: not accepted as that device

    assert device.post(f"/khao-sat/{survey.token}/", answers(qs)).status_code == 302
    assert SurveyResponse.objects.count() == 2


def test_a_closed_or_unpublished_survey_takes_no_answers(citizen, agency):
    closed, qs = build(
        agency, closes_at=MONDAY - timedelta(hours=1), opens_at=MONDAY - timedelta(days=9)
    )
    draft, dqs = build(agency, is_published=False)
    client = signed_in(citizen)

    page = client.get(f"/khao-sat/{closed.token}/")
    posted = client.post(f"/khao-sat/{closed.token}/", answers(qs))

    assert "không nhận câu trả lời" in page.text
    assert posted.status_code == 409
    assert client.get(f"/khao-sat/{draft.token}/").status_code == 404
    assert client.post(f"/khao-sat/{draft.token}/", answers(dqs)).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_results_and_exports_contain_the_answers(citizen, other_citizen, agency, superuser):
    survey, qs = build(agency)
    signed_in(citizen).post(
        f"/khao-sat/{survey.token}/", answers(qs, q1="0", q2="=HYPERLINK(1)", q5=["0", "1"])
    )
    signed_in(other_citizen).post(f"/khao-sat/{survey.token}/", answers(qs, q3="5"))
    owner = signed_in(superuser)
    base = f"/can-bo/khao-sat/{survey.pk}/"

    results = owner.get(base + "ket-qua/")
    exported = owner.get(base + "ket-qua.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    book = load_workbook(io.BytesIO(owner.get(base + "ket-qua.xlsx").content))
    sheet = [[cell or "" for cell in row] for row in book.active.iter_rows(values_only=True)]

    assert (
        results.status_code == 200 and "<svg" in results.text and "2 phiếu trả lời" in results.text
    )
    assert rows[0][1:] == [
        "1. " + qs[0].text,
        "2. " + qs[1].text,
        "3. " + qs[2].text,
        "4. Đánh giá – Nộp",
        "4. Đánh giá – Nhận",
        "5. Kênh",
    ]
    assert rows[1][1:] == ["Có", "'=HYPERLINK(1)", "", "Tốt", "Kém", "Cổng; Ứng dụng"]
    assert rows[2][1:] == ["Không", "", "5", "Tốt", "Kém", ""]
    assert [row[1:] for row in sheet] == [row[1:] for row in rows]
    assert exported["Content-Disposition"].endswith('.csv"')


def test_the_results_count_each_option_row_and_text(
    citizen, other_citizen, agency, superuser, django_assert_max_num_queries
):
    survey, qs = build(agency)
    signed_in(citizen).post(
        f"/khao-sat/{survey.token}/", answers(qs, q1="0", q2="<i>Chậm</i>", q3="4", q5=["0", "1"])
    )
    signed_in(other_citizen).post(
        f"/khao-sat/{survey.token}/", answers(qs, q3="5", q4_r1="1", q5=["1"])
    )
    owner = signed_in(superuser)

    with django_assert_max_num_queries(12):
        response = owner.get(f"/can-bo/khao-sat/{survey.pk}/ket-qua/")

    found = {r.question.position: r for r in response.context["results"]}
    assert found[1].counts == [("Có", 1), ("Không", 1)] and found[1].answered == 2
    assert found[2].texts == ["Chậm"]
    assert found[3].counts == [("1", 0), ("2", 0), ("3", 0), ("4", 1), ("5", 1)]
    assert found[4].matrix == [("Nộp", [0, 0, 2]), ("Nhận", [1, 1, 0])]
    assert [(b.label, b.value) for b in found[4].chart.bars] == [("Nộp", 3.0), ("Nhận", 1.5)]
    assert found[5].counts == [("Cổng", 1), ("Ứng dụng", 2), ("Bưu chính", 0)]
    assert response.text.count('<svg role="img"') == 4  # every question but the text one


def test_the_open_surveys_page_lists_only_open_ones(agency, django_assert_max_num_queries):
    open_one, _ = build(agency, title="Khảo sát về thủ tục đất đai")
    build(agency, title="Bản nháp chưa công bố", is_published=False)
    build(
        agency,
        title="Đã kết thúc",
        opens_at=MONDAY - timedelta(days=9),
        closes_at=MONDAY - timedelta(days=1),
    )

    with django_assert_max_num_queries(3):
        response = Client().get("/khao-sat/")

    assert f"/khao-sat/{open_one.token}/" in response.text
    assert "Bản nháp" not in response.text and "Đã kết thúc" not in response.text
