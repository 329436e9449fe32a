"""The optional generative wording, against a local fake OpenAI-compatible server: shown only
when every number and listed item is in the record, otherwise the template answer is."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from .chat_catalog import catalog  # noqa: F401

pytestmark = pytest.mark.usefixtures("catalog")

URL = "/api/v1/assistant/ask"


class FakeModel(BaseHTTPRequestHandler):
    reply = ""
    seen: list = []

    def do_POST(self):  # noqa: N802 - the standard library's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeModel.seen.append((self.path, self.headers.get("Authorization"), body))
        data = json.dumps({"choices": [{"message": {"content": FakeModel.reply}}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def model(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.ASSISTANT_LLM_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.ASSISTANT_LLM_KEY = "test-key"
    FakeModel.seen = []
    yield FakeModel
    server.shutdown()
    server.server_close()


def ask(client, question):
    response = client.post(URL, {"question": question}, content_type="application/json")
    assert response.status_code == 200
    return response.json()["answer"]


def test_a_grounded_rewording_is_shown(client, model):
    model.reply = "Đăng ký kết hôn mất 5 ngày làm việc, lệ phí 30.000 đồng."
    answer = ask(client, "đăng ký kết hôn mất bao lâu")
    assert answer.startswith(model.reply)
    path, auth, body = model.seen[0]
    assert path == "/v1/chat/completions" and auth == "Bearer test-key"
    assert "Tờ khai đăng ký kết hôn" in body["messages"][1]["content"]


def test_a_number_not_in_the_record_is_rejected(client, model):
    model.reply = "Đăng ký kết hôn mất 15 ngày làm việc, lệ phí 30.000 đồng."
    answer = ask(client, "đăng ký kết hôn mất bao lâu")
    assert "15 ngày" not in answer
    assert "- Trực tiếp: 5 ngày làm việc" in answer  # the template answer


def test_a_document_not_in_the_record_is_rejected(client, model):
    model.reply = "Giấy tờ:\n- Tờ khai đăng ký kết hôn\n- Giấy khám sức khỏe tiền hôn nhân"
    answer = ask(client, "đăng ký kết hôn cần giấy tờ gì")
    assert "khám sức khỏe" not in answer
    assert "- Tờ khai đăng ký kết hôn (1 bản chính)" in answer


def test_an_unreachable_endpoint_leaves_the_template_answer(client, settings):
    settings.ASSISTANT_LLM_URL = "http://127.0.0.1:9/v1"
    answer = ask(client, "đăng ký kết hôn mất bao lâu")
    assert "- Trực tiếp: 5 ngày làm việc" in answer


def test_off_by_default(client, model, settings):
    settings.ASSISTANT_LLM_URL = ""
    ask(client, "đăng ký kết hôn mất bao lâu")
    assert model.seen == []


def test_a_number_of_the_record_with_another_unit_is_rejected(client, model):
    # "1" is in the record (one original of the form), "1 ngày" is not: the limit is 5 days.
    model.reply = "Đăng ký kết hôn mất 1 ngày làm việc."
    answer = ask(client, "đăng ký kết hôn mất bao lâu")
    assert "1 ngày" not in answer
    assert "- Trực tiếp: 5 ngày làm việc" in answer
