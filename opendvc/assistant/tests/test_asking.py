"""Asking a question: signed-in citizens only, routed to an agency that answers for the
procedure, plain text, due in five working days, and not too many an hour."""

from datetime import UTC, datetime

import time_machine
from django.urls import reverse

from opendvc.assistant.actions import ASK_LIMIT
from opendvc.assistant.models import Question
from opendvc.audit.models import AuditEntry

from .factories import QuestionFactory

ASK = reverse("assistant:ask")
MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


def _form(agency, **extra):
    return {
        "agency": agency.pk,
        "title": "Đăng ký khai sinh cho con ở nơi tạm trú được không?",
        "text": "Tôi đang tạm trú ở phường Kinh Bắc, có được đăng ký khai sinh cho con ở đây?",
        **extra,
    }


def test_asking_requires_sign_in(client, procedure, agency, specialist):
    page = client.get(ASK, {"thu-tuc": procedure.code})
    posted = client.post(f"{ASK}?thu-tuc={procedure.code}", _form(agency))

    assert page.status_code == 302 and "/tai-khoan/dang-nhap/" in page["Location"]
    assert posted.status_code == 302 and "/tai-khoan/dang-nhap/" in posted["Location"]
    assert not Question.objects.exists()


def test_a_citizen_asks_from_the_procedure_page(client, citizen, procedure, agency, specialist):
    client.force_login(citizen)
    form = client.get(ASK, {"thu-tuc": procedure.code})
    with time_machine.travel(MONDAY, tick=False):
        response = client.post(f"{ASK}?thu-tuc={procedure.code}", _form(agency))

    question = Question.objects.get()
    assert form.status_code == 200
    assert agency.name in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == reverse("assistant:mine_detail", kwargs={"pk": question.pk})
    assert (question.asker, question.agency, question.procedure) == (citizen, agency, procedure)
    assert question.field == procedure.fields.get()
    assert question.state == Question.State.NEW
    # Five working days from Monday 23/11, Tuesday 24/11 (Ngày Văn hóa Việt Nam) being a
    # day off: the close of Tuesday 1/12, 17:00 in Hà Nội.
    assert question.due_at == datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    entry = AuditEntry.objects.get(action="assistant.ask")
    assert (entry.actor_id, entry.target_id) == (citizen.pk, str(question.pk))


def test_html_in_a_question_is_stripped(client, citizen, procedure, agency, specialist):
    client.force_login(citizen)
    client.post(
        f"{ASK}?thu-tuc={procedure.code}",
        _form(
            agency,
            title="<b>Khai sinh</b> &amp; tạm trú",
            text='<script>alert("x")</script><p>Xin hỏi   về <a href="http://x">hồ sơ</a></p>',
        ),
    )

    question = Question.objects.get()
    assert question.title == "Khai sinh & tạm trú"
    assert question.text == 'alert("x")Xin hỏi về hồ sơ'
    assert "<" not in question.text


def test_a_question_of_only_tags_is_refused(client, citizen, procedure, agency, specialist):
    client.force_login(citizen)
    response = client.post(f"{ASK}?thu-tuc={procedure.code}", _form(agency, text="<p> </p>"))

    assert response.status_code == 200
    assert "Vui lòng nhập nội dung câu hỏi." in response.content.decode()
    assert not Question.objects.exists()


def test_an_agency_not_answering_for_the_procedure_is_refused(
    client, citizen, procedure, specialist, other_agency, other_agency_officer
):
    client.force_login(citizen)
    response = client.post(f"{ASK}?thu-tuc={procedure.code}", _form(other_agency))

    assert response.status_code == 200
    assert not Question.objects.exists()


def test_an_unknown_procedure_is_not_found(client, citizen, specialist):
    client.force_login(citizen)

    assert client.get(ASK, {"thu-tuc": "9.999999"}).status_code == 404


def test_without_a_procedure_the_citizen_picks_field_and_agency(
    client, citizen, agency, field, specialist
):
    client.force_login(citizen)
    response = client.post(ASK, _form(agency, field=field.pk))

    question = Question.objects.get()
    assert response.status_code == 302
    assert (question.procedure, question.field, question.agency) == (None, field, agency)


def test_asking_is_rate_limited(client, citizen, procedure, agency, specialist):
    client.force_login(citizen)
    answers = [
        client.post(f"{ASK}?thu-tuc={procedure.code}", _form(agency, title=f"Câu hỏi {n}"))
        for n in range(ASK_LIMIT + 1)
    ]

    assert [a.status_code for a in answers] == [302] * ASK_LIMIT + [200]
    assert "nhiều câu hỏi" in answers[-1].content.decode()
    assert Question.objects.count() == ASK_LIMIT


def test_my_questions_show_their_state_and_answer_and_nobody_elses(
    client, citizen, other_citizen, agency
):
    own = QuestionFactory(asker=citizen, agency=agency, title="Câu hỏi của An", published=True)
    theirs = QuestionFactory(asker=other_citizen, agency=agency, title="Câu hỏi của Bình")
    client.force_login(citizen)
    listing = client.get(reverse("assistant:mine")).content.decode()
    detail = client.get(reverse("assistant:mine_detail", args=[own.pk])).content.decode()
    other = client.get(reverse("assistant:mine_detail", args=[theirs.pk]))

    assert "Câu hỏi của An" in listing and "Đã công khai" in listing
    assert "Câu hỏi của Bình" not in listing
    assert own.answer in detail
    assert other.status_code == 404
