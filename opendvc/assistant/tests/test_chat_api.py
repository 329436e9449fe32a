"""POST /api/v1/assistant/ask: grounded answers, a question back when several procedures fit,
refusals, conversations that continue, personal data masked in what is stored."""

import pytest

from opendvc.assistant.models import Conversation, Turn

from .chat_catalog import catalog  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalog")

URL = "/api/v1/assistant/ask"


def ask(client, question, conversation_id=None):
    body = {"question": question}
    if conversation_id:
        body["conversation_id"] = conversation_id
    response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def test_answer_has_the_documented_shape(client):
    data = ask(client, "Đăng ký kết hôn cần giấy tờ gì?")
    assert set(data) == {"answer", "procedures", "sources", "follow_up", "conversation_id"}
    assert data["procedures"] == [
        {"code": "1.000894", "name": "Thủ tục đăng ký kết hôn", "url": "/thu-tuc/1.000894/"}
    ]
    assert data["sources"][0]["code"] == "1.000894"
    assert data["sources"][0]["updated_at"]
    assert data["follow_up"] is None
    assert Conversation.objects.filter(pk=data["conversation_id"]).exists()


def test_documents_answer_lists_the_records_documents_with_counts(client):
    data = ask(client, "lam giay khai sinh can giay to gi")
    assert data["procedures"][0]["code"] == "1.001193"
    assert "- Tờ khai đăng ký khai sinh (1 bản chính)" in data["answer"]
    assert "- Giấy chứng sinh (1 bản chính, 2 bản sao)" in data["answer"]
    assert "mã 1.001193" in data["answer"]


def test_ambiguous_question_gets_one_question_back_then_the_choice(client):
    data = ask(client, "hộ chiếu")
    codes = [p["code"] for p in data["procedures"]]
    assert sorted(codes) == ["1.001445", "1.001456"]
    assert "1. " in data["answer"] and "2. " in data["answer"]
    assert data["follow_up"]
    assert data["sources"] == []
    picked = ask(client, "2", data["conversation_id"])
    assert picked["procedures"][0]["code"] == codes[1]
    assert picked["sources"][0]["code"] == codes[1]


def test_out_of_scope_is_refused_politely(client):
    data = ask(client, "Dự báo thời tiết Hà Nội ngày mai thế nào?")
    assert "chỉ trả lời về thủ tục hành chính" in data["answer"]
    assert data["procedures"] == [] and data["sources"] == []


def test_no_fee_is_invented_when_the_record_has_none(client):
    data = ask(client, "Lệ phí đăng ký khai sinh là bao nhiêu?")
    assert data["procedures"][0]["code"] == "1.001193"
    assert "Hồ sơ thủ tục không ghi mức phí, lệ phí." in data["answer"]
    assert "đồng" not in data["answer"]


def test_a_follow_up_is_about_the_previous_procedure(client):
    first = ask(client, "đăng ký kết hôn cần giấy tờ gì")
    data = ask(client, "còn lệ phí thì sao?", first["conversation_id"])
    assert data["conversation_id"] == first["conversation_id"]
    assert data["procedures"][0]["code"] == "1.000894"
    assert "30.000 đồng" in data["answer"]
    alone = ask(client, "còn lệ phí thì sao?")
    assert alone["procedures"] == [] and alone["follow_up"]


def test_portal_questions_are_answered_from_the_help_base(client):
    data = ask(client, "Tôi quên mật khẩu tài khoản thì làm sao?")
    assert "Quên mật khẩu" in data["answer"]
    turn = Turn.objects.get(conversation_id=data["conversation_id"])
    assert turn.links == [
        {"label": "Đăng nhập và quên mật khẩu", "url": "/tai-khoan/quen-mat-khau/"}
    ]
    assert turn.intent == "help"


def test_personal_data_is_masked_in_stored_turns(client):
    question = "Tôi là 0912345678, email an@vi.du.vn, CCCD 001203004567, muốn đăng ký kết hôn"
    data = ask(client, question)
    turn = Turn.objects.get(conversation_id=data["conversation_id"])
    for secret in ("0912345678", "an@vi.du.vn", "001203004567"):
        assert secret not in turn.question and secret not in turn.answer
    assert "[số điện thoại]" in turn.question and "[email]" in turn.question
    assert "[số giấy tờ]" in turn.question


def test_unknown_conversation_id_starts_a_new_one(client):
    data = ask(client, "xin chào", "not-a-uuid")
    assert data["conversation_id"] != "not-a-uuid"
    assert "trợ lý ảo" in data["answer"]


def test_empty_question_is_invalid(client):
    response = client.post(URL, {"question": ""}, content_type="application/json")
    assert response.status_code == 422


def test_asking_is_rate_limited_per_address(client, monkeypatch):
    from opendvc.assistant import api_chat

    monkeypatch.setattr(api_chat, "ASKS_PER_MINUTE", 2)
    ip = {"REMOTE_ADDR": "203.0.113.77"}
    codes = [
        client.post(URL, {"question": "xin chào"}, content_type="application/json", **ip)
        for _ in range(3)
    ]
    assert [r.status_code for r in codes] == [200, 200, 429]
    assert codes[2].json()["error"]["code"] == "too_many_requests"
