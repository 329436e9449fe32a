"""The assistant's page without JavaScript (a plain form round-trip), the widget's form, the
administrators' list of unanswered questions, and forgetting old conversations."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from opendvc.assistant import chat
from opendvc.assistant.models import Conversation, Turn, UnansweredQuestion

from .chat_catalog import catalog  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalog")

PAGE = "/tro-ly-ao/"
ASK = "/tro-ly-ao/hoi/"
UNANSWERED = "/can-bo/tro-ly-ao/chua-tra-loi/"


def test_the_form_round_trip_shows_the_answer_in_the_page(client):
    response = client.post(ASK, {"question": "Đăng ký kết hôn mất bao lâu?"})
    assert response.status_code == 302
    assert response["Location"] == PAGE + "#cuoi"
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Đăng ký kết hôn mất bao lâu?" in text
    assert "Trực tiếp: 5 ngày làm việc" in text
    assert 'href="/thu-tuc/1.000894/"' in text


def test_the_page_keeps_the_conversation_for_a_follow_up(client):
    client.post(ASK, {"question": "đăng ký kết hôn cần giấy tờ gì"})
    client.post(ASK, {"question": "còn lệ phí thì sao?"})
    assert "30.000 đồng" in client.get(PAGE).content.decode()
    assert Conversation.objects.count() == 1
    client.post("/tro-ly-ao/moi/")
    assert "30.000 đồng" not in client.get(PAGE).content.decode()


def test_an_empty_question_is_refused_with_a_message(client):
    response = client.post(ASK, {"question": ""}, follow=True)
    assert "Hãy nhập câu hỏi" in response.content.decode()
    assert not Turn.objects.exists()


def test_asking_is_post_only(client):
    assert client.get(ASK).status_code == 405


def test_the_widget_is_a_plain_form_posting_to_the_page():
    request = RequestFactory().get("/thu-tuc/")
    html = render_to_string("assistant/_widget.html", request=request)
    assert f'action="{ASK}"' in html and 'method="post"' in html
    assert '<label for="assistant-widget-question">' in html
    assert 'data-api="/api/v1/assistant/ask"' in html
    # Not shown on the assistant's own page, which has the full form.
    own_page = RequestFactory().get(PAGE)
    assert render_to_string("assistant/_widget.html", request=own_page).strip() == ""


def test_unanswered_questions_are_counted_for_administrators(client, superuser):
    for _ in range(2):
        client.post(ASK, {"question": "xyzzy plugh gọi 0987654321"})
    row = UnansweredQuestion.objects.get()
    assert row.count == 2 and "0987654321" not in row.text
    client.force_login(superuser)
    response = client.get(UNANSWERED)
    assert response.status_code == 200
    assert "xyzzy plugh gọi [số điện thoại]" in response.content.decode()


def test_the_unanswered_list_is_not_found_for_others(client, citizen, specialist):
    assert client.get(UNANSWERED).status_code == 404
    for user in (citizen, specialist):
        client.force_login(user)
        assert client.get(UNANSWERED).status_code == 404


def test_answered_questions_are_not_listed(client):
    client.post(ASK, {"question": "lệ phí đăng ký kết hôn"})
    assert not UnansweredQuestion.objects.exists()


def test_old_conversations_are_deleted_with_their_turns(settings):
    settings.ASSISTANT_KEEP_HOURS = 24
    now = timezone.now()
    _, old = chat.ask(question="xin chào", conversation_id=None, now=now - timedelta(hours=25))
    _, fresh = chat.ask(question="xin chào", conversation_id=None, now=now - timedelta(hours=1))
    assert chat.purge_conversations(now=now) == 1
    assert list(Conversation.objects.all()) == [fresh]
    assert not Turn.objects.filter(conversation_id=old.pk).exists()
    assert chat.purge_conversations(now=now) == 0


def test_every_help_article_points_to_a_real_page(client):
    from opendvc.assistant.engine import helpbase

    for article in helpbase.ARTICLES:
        url = reverse(article["url"])
        assert client.get(url).status_code in (200, 302), url


def test_a_question_back_offers_one_button_per_procedure(client):
    client.post(ASK, {"question": "hộ chiếu"})
    text = client.get(PAGE).content.decode()
    assert text.count('name="question" value="') == 2
    client.post(ASK, {"question": "2"})
    turn = Turn.objects.order_by("pk").last()
    assert turn.intent == "procedure" and len(turn.procedure_codes) == 1
    assert turn.procedure_codes[0] in ("1.001445", "1.001456")
