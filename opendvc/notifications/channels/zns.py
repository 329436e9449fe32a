"""Zalo ZNS (Zalo Notification Service): template messages to a phone number's Zalo account.

Sending: POST ZNS_API_URL with header `access_token`, body {"phone": "84XXXXXXXXX",
"template_id", "template_data", "tracking_id"}; the answer is {"error": 0, "data": {"msg_id"}}
or {"error": <negative code>, "message"}. The codes that say this person or this template
cannot get the message are permanent (the outbox falls back to SMS); the rest — limits, the
operator's token, balance or app settings, Zalo's own errors — are temporary: they pass, or the
operator fixes them, before the retries run out.

Delivery: Zalo calls the OA's webhook with {"app_id", "event_name": "user_received_message",
"message": {"msg_id", "tracking_id", "delivery_time"}, "timestamp", …}, signed in the header
X-ZEvent-Signature: mac=<hex sha256(app_id + raw body + timestamp + OA secret key)>.
Zalo reports receipt only; a message never received is found by its missing report.
"""

import hashlib
import hmac
import json

from django.conf import settings
from django.http import HttpRequest

from ..models import Channel
from ._http import call
from .base import DeliveryUpdate, ForgedCallback, PermanentFailure, SendResult, TemporaryFailure
from .phones import international

SIGNATURE_HEADER = "X-ZEvent-Signature"
DELIVERED_EVENT = "user_received_message"
PERMANENT_CODES = {
    -108: "Số điện thoại không hợp lệ",
    -109: "Mã mẫu ZNS không hợp lệ",
    -110: "Phiên bản Zalo của người nhận không nhận được ZNS",
    -111: "Mẫu ZNS không có dữ liệu",
    -112: "Nội dung mẫu ZNS không hợp lệ",
    -114: "Người nhận không nhận được ZNS (tài khoản, tùy chọn nhận tin hoặc phiên bản Zalo)",
    -117: "Chưa được cấp quyền dùng mẫu ZNS này",
    -118: "Số điện thoại chưa có tài khoản Zalo hoặc tài khoản bị vô hiệu hóa",
    -119: "Tài khoản Zalo không thể nhận ZNS",
    -121: "Mẫu ZNS không có nội dung",
    -130: "Nội dung vượt quá giới hạn ký tự của mẫu",
    -131: "Mẫu ZNS chưa được phê duyệt",
    -132: "Tham số của mẫu không hợp lệ",
    -139: "Người nhận từ chối loại ZNS này",
    -141: "Người nhận từ chối ZNS của Official Account",
    -145: "Official Account không được gửi loại nội dung này",
    -146: "Mẫu ZNS đã bị vô hiệu hóa",
}


def signature(body: bytes, timestamp: str) -> str:
    """Zalo's webhook MAC: sha256 over app id, raw body, timestamp and OA secret, as hex."""
    app_id, secret = settings.ZALO_APP_ID.encode(), settings.ZALO_OA_SECRET.encode()
    return hashlib.sha256(app_id + body + timestamp.encode() + secret).hexdigest()


class ZnsAdapter:
    channel = Channel.ZALO

    def send(self, message) -> SendResult:
        data = message.data or {}
        if not data.get("template_id"):
            raise PermanentFailure("no ZNS template")
        answer = call(
            "POST",
            settings.ZNS_API_URL,
            headers={"access_token": settings.ZNS_ACCESS_TOKEN},
            json_body={
                "phone": international(message.to),
                "template_id": str(data["template_id"]),
                "template_data": data.get("template_data") or {},
                "tracking_id": message.request_id,
            },
        )
        try:
            code = int(answer.get("error"))
        except (TypeError, ValueError):
            raise TemporaryFailure("Zalo: câu trả lời không có mã lỗi") from None
        if code == 0:
            msg_id = str((answer.get("data") or {}).get("msg_id") or "")
            return SendResult(provider_id=msg_id)
        reason = PERMANENT_CODES.get(code)
        if reason:
            raise PermanentFailure(f"Zalo {code}: {reason}")
        raise TemporaryFailure(f"Zalo {code}: {answer.get('message') or 'lỗi tạm thời'}"[:300])

    def query_status(self, provider_id: str) -> DeliveryUpdate | None:
        # ZNS's status endpoint wants the phone number as well; receipts come by webhook.
        return None

    def parse_callback(self, request: HttpRequest) -> list[DeliveryUpdate]:
        body = request.body
        try:
            event = json.loads(body)
        except ValueError as error:
            raise ValueError("Zalo event is not JSON") from error
        if not isinstance(event, dict):
            raise ValueError("Zalo event is not an object")
        given = request.headers.get(SIGNATURE_HEADER, "").removeprefix("mac=").strip()
        expected = signature(body, str(event.get("timestamp", "")))
        if not settings.ZALO_OA_SECRET or not hmac.compare_digest(
            given.encode(), expected.encode()
        ):
            raise ForgedCallback("Zalo event signature does not match")
        if event.get("event_name") != DELIVERED_EVENT:
            return []  # other OA events (follows, replies) are not about our messages
        message = event.get("message")
        named = isinstance(message, dict) and (message.get("msg_id") or message.get("tracking_id"))
        if not named:
            raise ValueError("Zalo receipt names no message")
        return [
            DeliveryUpdate(
                provider_id=str(message.get("msg_id") or ""),
                delivered=True,
                request_id=str(message.get("tracking_id") or ""),
                payload=event,
            )
        ]
