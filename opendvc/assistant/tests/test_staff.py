"""The officials' side: only the routed agency sees a question; specialists and leaders
answer, leaders publish, hide, reject and reword; each change is audited; the asker is told
once the notification event exists."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opendvc.assistant.models import Question
from opendvc.audit.models import AuditEntry
from opendvc.notifications.models import Message

from .factories import QuestionFactory


def url(name: str, question: Question) -> str:
    return reverse(f"assistant:{name}", kwargs={"pk": question.pk})


@pytest.fixture
def question(citizen, agency, procedure):
    return QuestionFactory(asker=citizen, agency=agency, procedure=procedure)


def test_the_routed_agency_lists_and_opens_its_questions(client, specialist, question):
    client.force_login(specialist)
    listing = client.get(reverse("assistant:staff_list"))
    page = client.get(url("staff_detail", question))

    assert question.title in listing.content.decode()
    assert page.status_code == 200
    assert question.text in page.content.decode()


@pytest.mark.parametrize("name", ["staff_detail", "staff_answer", "staff_publish", "staff_reject"])
def test_an_official_of_another_agency_gets_404(client, other_agency_officer, question, name):
    client.force_login(other_agency_officer)
    method = client.get if name == "staff_detail" else client.post
    response = method(url(name, question), {"answer": "x", "reason": "x"})

    assert response.status_code == 404
    question.refresh_from_db()
    assert question.state == Question.State.NEW
    assert question.title not in client.get(reverse("assistant:staff_list")).content.decode()


def test_a_citizen_gets_404_on_the_staff_pages(client, citizen, question):
    client.force_login(citizen)

    assert client.get(reverse("assistant:staff_list")).status_code == 404
    assert client.get(url("staff_detail", question)).status_code == 404


def test_answer_then_publish_is_audited(client, specialist, leader, question):
    client.force_login(specialist)
    answer = {"answer": "<p>Được, tại nơi tạm trú.</p>"}
    answered = client.post(url("staff_answer", question), answer)
    question.refresh_from_db()
    state_after_answer = question.state
    client.force_login(leader)
    published = client.post(url("staff_publish", question))

    question.refresh_from_db()
    assert answered.status_code == published.status_code == 302
    assert state_after_answer == Question.State.ANSWERED
    assert question.state == Question.State.PUBLISHED
    assert (question.answer, question.answered_by) == ("Được, tại nơi tạm trú.", specialist)
    entries = AuditEntry.objects.filter(target_id=str(question.pk)).order_by("pk")
    assert [(e.action, e.actor_id) for e in entries] == [
        ("assistant.answer", specialist.pk),
        ("assistant.publish", leader.pk),
    ]


def test_a_leader_answers_and_publishes_at_once(client, leader, question):
    client.force_login(leader)
    client.post(url("staff_answer", question), {"answer": "Được.", "publish": "on"})

    question.refresh_from_db()
    assert question.state == Question.State.PUBLISHED
    assert question.published_at is not None


def test_a_specialist_may_not_publish(client, specialist, question):
    question.state, question.answer = Question.State.ANSWERED, "Được."
    question.save()
    client.force_login(specialist)
    response = client.post(url("staff_publish", question), follow=True)

    question.refresh_from_db()
    assert question.state == Question.State.ANSWERED
    assert "không có quyền" in response.content.decode()
    assert not AuditEntry.objects.filter(action="assistant.publish").exists()


def test_hide_takes_a_question_off_the_faq(client, leader, agency):
    question = QuestionFactory(agency=agency, published=True)
    client.force_login(leader)
    client.post(url("staff_hide", question))

    question.refresh_from_db()
    assert question.state == Question.State.HIDDEN
    assert client.get(url("detail", question)).status_code == 404
    assert AuditEntry.objects.filter(action="assistant.hide", actor_id=leader.pk).exists()


def test_reject_needs_a_reason_which_the_asker_reads(client, specialist, citizen, question):
    client.force_login(specialist)
    without = client.post(url("staff_reject", question), {"reason": " "})
    question.refresh_from_db()
    state_without = question.state
    client.post(url("staff_reject", question), {"reason": "Câu hỏi không thuộc thẩm quyền."})
    client.force_login(citizen)
    mine = client.get(url("mine_detail", question))

    question.refresh_from_db()
    assert without.status_code == 302 and state_without == Question.State.NEW
    assert question.state == Question.State.REJECTED
    assert "Câu hỏi không thuộc thẩm quyền." in mine.content.decode()
    entry = AuditEntry.objects.get(action="assistant.reject")
    assert entry.payload["reason"] == "Câu hỏi không thuộc thẩm quyền."


def test_the_public_wording_replaces_the_askers_on_public_pages(client, leader, agency):
    question = QuestionFactory(
        agency=agency, published=True, title="Tôi là Nguyễn Văn An ở số 5 Lý Thái Tổ"
    )
    client.force_login(leader)
    client.post(
        url("staff_wording", question),
        {"public_title": "Khai sinh ở nơi tạm trú", "public_text": "Có được không?"},
    )
    client.logout()
    page = client.get(url("detail", question)).content.decode()

    question.refresh_from_db()
    assert question.title == "Tôi là Nguyễn Văn An ở số 5 Lý Thái Tổ"  # the asker's own words
    assert "Khai sinh ở nơi tạm trú" in page
    assert "Nguyễn Văn An" not in page
    assert AuditEntry.objects.filter(action="assistant.edit_public").exists()


def test_overdue_filter_and_due_colours(client, specialist, agency):
    now = timezone.now()
    late = QuestionFactory(agency=agency, title="Câu hỏi quá hạn", due_at=now - timedelta(days=1))
    QuestionFactory(agency=agency, title="Câu hỏi còn hạn", due_at=now + timedelta(days=6))
    client.force_login(specialist)
    overdue = client.get(reverse("assistant:staff_list"), {"due": "overdue"}).content.decode()
    everything = client.get(reverse("assistant:staff_list")).content.decode()

    assert late.title in overdue and "Câu hỏi còn hạn" not in overdue
    assert "due-overdue" in everything and "due-on_time" in everything


def test_answering_tells_the_asker_once(client, specialist, citizen, question, settings):
    settings.SITE_URL = "https://dichvucong.example.vn"
    client.force_login(specialist)
    client.post(url("staff_answer", question), {"answer": "Được."})
    client.post(url("staff_answer", question), {"answer": "Được, sửa lại."})

    message = Message.objects.get()
    assert message.event == "question.answered"
    assert message.recipient_id == citizen.pk
    assert message.to in (citizen.email, citizen.phone)
    assert message.context == {
        "asker_name": "Nguyễn Văn An",
        "question_title": question.title,
        "url": "https://dichvucong.example.vn" + url("mine_detail", question),
    }
    assert message.context["url"] in message.body
