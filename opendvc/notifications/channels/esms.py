"""SMS brandname through an eSMS.vn-style API (customer-care messages, SmsType 2).

Sending: POST {ESMS_API_URL}/SendMultipleMessage_V4_post_json/ with ApiKey, SecretKey, Phone
(0XXXXXXXXX), Content (unaccented), Brandname, SmsType "2", IsUnicode "0", RequestId and
CallbackUrl. The answer's CodeResult says what happened:

    100  accepted (SMSID is the provider id)
    124  RequestId seen before: the message was accepted earlier, a resend after a crash
    99   number blocked at the provider          ┐
    104  brandname not registered                │ permanent: the same request fails again,
    108  phone number malformed                  │ so the outbox falls back to the next channel
    146  content does not match a registered     │
         customer-care template                  │
    177  brandname not registered on the         ┘
         recipient's network
    101 wrong keys, 102 no price list, 103 balance too low, 140 server IP not allowed, and
    any other code: temporary. They are the operator's to fix, and once fixed the retries go
    through; if they are not fixed in time, the retries run out and the message fails anyway.

Status: GET {ESMS_API_URL}/GetSendStatus?RefId=<SMSID>&ApiKey=…&SecretKey=… answers
{"CodeResponse": "100", "SMSID", "SendStatus", "SendSuccess", "SendFailed", …}.

Delivery reports: eSMS calls CallbackUrl (a GET, the report in the query string) with SMSID,
RequestId, SendStatus (1 in review, 2 waiting, 4 rejected, 5 sent — final, 7 at the network),
SendSuccess, SendFailed, phonenumber and, for some networks, ErrorCode. eSMS signs nothing, so
each message gets its own CallbackUrl carrying our request id and its HMAC-SHA256 under
ESMS_CALLBACK_SECRET (`ref`, `sig`): only a report that comes back through the URL we gave
for that message is believed, and it can speak only of that message.
"""

import hashlib
import hmac
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from ..models import Channel
from ._http import call
from .base import DeliveryUpdate, ForgedCallback, PermanentFailure, SendResult, TemporaryFailure
from .phones import national

ACCEPTED = "100"
DUPLICATE_REQUEST = "124"
PERMANENT_CODES = {
    "99": "Số điện thoại bị chặn nhận tin",
    "104": "Tên thương hiệu (brandname) chưa được đăng ký",
    "108": "Số điện thoại không đúng định dạng",
    "146": "Nội dung không khớp mẫu tin chăm sóc khách hàng đã đăng ký",
    "177": "Brandname chưa được đăng ký với nhà mạng của số này",
}
# SendStatus values after which nothing more will happen to a message.
SENT, REJECTED = "5", "4"


def signature(secret: str, request_id: str) -> str:
    return hmac.new(secret.encode(), request_id.encode(), hashlib.sha256).hexdigest()


def _api(path: str) -> str:
    return f"{settings.ESMS_API_URL.rstrip('/')}/{path}"


def callback_url(request_id: str) -> str:
    """Where eSMS reports on one message: our callback, with the message's signed reference."""
    signed = {"ref": request_id, "sig": signature(settings.ESMS_CALLBACK_SECRET, request_id)}
    path = reverse("notifications:callback_sms")
    return f"{settings.SITE_URL.rstrip('/')}{path}?{urlencode(signed)}"


class EsmsAdapter:
    channel = Channel.SMS

    def send(self, message) -> SendResult:
        answer = call(
            "POST",
            _api("SendMultipleMessage_V4_post_json/"),
            json_body={
                "ApiKey": settings.ESMS_API_KEY,
                "SecretKey": settings.ESMS_SECRET_KEY,
                "Phone": national(message.to),
                "Content": message.body,
                "Brandname": settings.ESMS_BRANDNAME,
                "SmsType": "2",
                "IsUnicode": "0",
                "RequestId": message.request_id,
                "CallbackUrl": callback_url(message.request_id),
            },
        )
        code = str(answer.get("CodeResult", ""))
        sms_id = str(answer.get("SMSID") or "")
        if code == ACCEPTED:
            return SendResult(provider_id=sms_id)
        if code == DUPLICATE_REQUEST:
            # Reports name the RequestId too, so the message is found even without the SMSID.
            return SendResult(provider_id=sms_id, was_duplicate=True)
        if code in PERMANENT_CODES:
            raise PermanentFailure(f"eSMS {code}: {PERMANENT_CODES[code]}")
        error = answer.get("ErrorMessage") or "lỗi tạm thời của nhà cung cấp"
        raise TemporaryFailure(f"eSMS {code or '?'}: {error}"[:300])

    def query_status(self, provider_id: str) -> DeliveryUpdate | None:
        answer = call(
            "GET",
            _api("GetSendStatus"),
            params={
                "RefId": provider_id,
                "ApiKey": settings.ESMS_API_KEY,
                "SecretKey": settings.ESMS_SECRET_KEY,
            },
        )
        if str(answer.get("CodeResponse", "")) != ACCEPTED:
            return None
        return _update({"SMSID": provider_id, **answer})

    def parse_callback(self, request: HttpRequest) -> list[DeliveryUpdate]:
        reference = request.GET.get("ref", "")
        given = request.GET.get("sig", "")
        expected = signature(settings.ESMS_CALLBACK_SECRET, reference)
        if (
            not settings.ESMS_CALLBACK_SECRET
            or not reference
            or not hmac.compare_digest(given.encode(), expected.encode())
        ):
            raise ForgedCallback("SMS callback reference is not signed by us")
        report = {**request.GET.dict(), **request.POST.dict()}
        report.pop("sig", None)
        if str(report.get("RequestId") or reference) != reference:
            raise ForgedCallback("SMS callback speaks of another message")
        if not report.get("SMSID"):
            raise ValueError("SMS callback names no SMSID")
        update = _update({**report, "RequestId": reference})
        return [update] if update is not None else []


def _update(report: dict) -> DeliveryUpdate | None:
    """The final outcome in an eSMS status, or None while the message is still on its way."""
    status = str(report.get("SendStatus", ""))
    failed, succeeded = _count(report, "SendFailed"), _count(report, "SendSuccess")
    if status == SENT and not failed and not succeeded:
        return None  # handed to the network, no report from it yet
    if status not in (SENT, REJECTED):
        return None
    delivered = status == SENT and not failed
    error_code = ""
    if not delivered:
        fallback = "rejected" if status == REJECTED else "failed"
        error_code = str(report.get("ErrorCode") or fallback)
    return DeliveryUpdate(
        provider_id=str(report["SMSID"]),
        delivered=delivered,
        error_code=error_code,
        request_id=str(report.get("RequestId") or ""),
        payload={k: v for k, v in report.items() if k not in ("ApiKey", "SecretKey")},
    )


def _count(report: dict, field: str) -> int:
    try:
        return int(float(report.get(field) or 0))
    except (TypeError, ValueError):
        return 0
