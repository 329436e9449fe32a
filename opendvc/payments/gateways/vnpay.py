"""The VNPay 2.1.0 protocol: the signed pay URL, verifying what comes back (return and IPN),
and the merchant API (`querydr`, `refund`).

Redirect and IPN messages are signed with HMAC-SHA512 (lowercase hex) over every non-empty
`vnp_*` field but `vnp_SecureHash`/`vnp_SecureHashType`, sorted by key and joined `k=v&...` with
values form-urlencoded (`quote_plus`), as VNPay's demo code for 2.1.0 does. The merchant API
signs instead the values joined with `|` in a fixed order per message (see `*_FIELDS`).

No HTTP happens here but through `transport.current()`, which tests replace.
"""

import hashlib
import hmac
import urllib.parse
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from django.conf import settings

from opendvc.core import transport as transport_module

VERSION = "2.1.0"
GMT7 = timezone(timedelta(hours=7), "GMT+7")
DATE_FORMAT = "%Y%m%d%H%M%S"

# The merchant API's checksum fields, in order. Source: VNPay's documentation "API querydr,
# refund" (https://sandbox.vnpayment.vn/apis/docs/truy-van-hoan-tien/querydr&refund.html),
# "data = vnp_RequestId|vnp_Version|...", as also implemented by the open-source client
# lehuygiang28/vnpay (src/services/query.service.ts).
QUERY_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef",
    "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
QUERY_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
    "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
    "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode",
    "vnp_PromotionAmount",
)  # fmt: skip
REFUND_REQUEST_FIELDS = (
    "vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType",
    "vnp_TxnRef", "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy",
    "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo",
)  # fmt: skip
REFUND_RESPONSE_FIELDS = (
    "vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode",
    "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
    "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo",
)  # fmt: skip
FULL_REFUND, PARTIAL_REFUND = "02", "03"  # vnp_TransactionType of a refund request
NOT_FOUND = "91"  # merchant API: no such transaction
PENDING = "01"  # vnp_TransactionStatus "not completed yet": the payer may still pay


class GatewayError(Exception):
    """The gateway could not be reached or answered something unusable."""


class BadMessage(GatewayError):
    """A message from the gateway lacks a field, has an invalid one, or a wrong checksum."""


@dataclass(frozen=True)
class Config:
    tmn_code: str
    hash_secret: str
    pay_url: str
    api_url: str


def config() -> Config:
    return Config(
        tmn_code=settings.VNPAY_TMN_CODE,
        hash_secret=settings.VNPAY_HASH_SECRET,
        pay_url=settings.VNPAY_PAY_URL,
        api_url=settings.VNPAY_API_URL,
    )


@dataclass(frozen=True)
class GatewayResult:
    """What the gateway says about one transaction. `pay_date` stays as sent (yyyyMMddHHmmss,
    GMT+7). From `querydr`, `response_code` is the API's answer and `transaction_status` the
    transaction's."""

    txn_ref: str
    amount_vnd: int
    response_code: str
    transaction_status: str
    transaction_no: str
    bank_code: str
    card_type: str
    pay_date: str

    @property
    def is_paid(self) -> bool:
        return self.response_code == "00" and self.transaction_status == "00"

    @property
    def is_pending(self) -> bool:
        """Not finished at the gateway (a `querydr` of an order the payer has not completed):
        neither paid nor failed yet."""
        return self.transaction_status == PENDING


@dataclass(frozen=True)
class RefundResult:
    response_code: str
    transaction_no: str
    ok: bool


def _hmac(secret: str, data: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha512).hexdigest()


def hash_data(params: Mapping[str, str], *, with_empty: bool = False) -> str:
    """The string a redirect/IPN signature covers. Empty values are left out, as VNPay's own
    .NET and Java libraries do (its PHP demo keeps them: see `verify`)."""
    fields = sorted(
        (key, str(value))
        for key, value in params.items()
        if key.startswith("vnp_")
        and key not in ("vnp_SecureHash", "vnp_SecureHashType")
        and (with_empty or str(value) != "")
    )
    return "&".join(f"{key}={urllib.parse.quote_plus(value)}" for key, value in fields)


def sign(params: Mapping[str, str], secret: str) -> str:
    return _hmac(secret, hash_data(params))


def verify(params: Mapping[str, str], secret: str) -> bool:
    """True if `vnp_SecureHash` signs the other `vnp_*` fields (compared in constant time)."""
    given = str(params.get("vnp_SecureHash", "")).lower()
    if not given:
        return False
    if hmac.compare_digest(given, sign(params, secret)):
        return True
    # VNPay's demos disagree on empty fields; a message signed with them kept is as much the
    # secret-holder's as one signed without, so either form is accepted.
    has_empty = any(str(v) == "" for k, v in params.items() if k.startswith("vnp_"))
    with_empty = _hmac(secret, hash_data(params, with_empty=True))
    return has_empty and hmac.compare_digest(given, with_empty)


def signed_query(params: Mapping[str, str], secret: str) -> str:
    """`params` as a query string, sorted, with `vnp_SecureHash` appended."""
    items = sorted((k, str(v)) for k, v in params.items() if str(v) != "")
    query = urllib.parse.urlencode(items, quote_via=urllib.parse.quote_plus)
    return f"{query}&vnp_SecureHash={sign(params, secret)}"


def format_date(moment: datetime) -> str:
    """yyyyMMddHHmmss in GMT+7, VNPay's only time format (`moment` must be aware)."""
    if moment.tzinfo is None:
        raise ValueError("VNPay dates need an aware datetime")
    return moment.astimezone(GMT7).strftime(DATE_FORMAT)


def parse_date(value: str) -> datetime:
    try:
        return datetime.strptime(value, DATE_FORMAT).replace(tzinfo=GMT7)
    except (TypeError, ValueError) as error:
        raise BadMessage(f"invalid date {value!r}") from error


def _date_field(value: datetime | str) -> str:
    return value if isinstance(value, str) else format_date(value)


def payment_url(
    cfg: Config,
    *,
    txn_ref: str,
    amount_vnd: int,
    order_info: str,
    ip: str,
    created_at: datetime,
    expires_at: datetime,
    return_url: str,
    locale: str = "vn",
    bank_code: str = "",
) -> str:
    """The signed URL of the gateway's pay page for one order (`amount_vnd` in whole dong)."""
    if amount_vnd <= 0:
        raise ValueError("amount must be positive")
    params = {
        "vnp_Version": VERSION,
        "vnp_Command": "pay",
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_Amount": str(amount_vnd * 100),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": order_info,
        "vnp_OrderType": "other",
        "vnp_Locale": locale,
        "vnp_ReturnUrl": return_url,
        "vnp_IpAddr": ip,
        "vnp_CreateDate": format_date(created_at),
        "vnp_ExpireDate": format_date(expires_at),
    }
    if bank_code:
        params["vnp_BankCode"] = bank_code
    return f"{cfg.pay_url}?{signed_query(params, cfg.hash_secret)}"


def _required(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key)
    if value is None or str(value) == "":
        raise BadMessage(f"missing {key}")
    return str(value)


def parse_amount(value: str) -> int:
    """VND from a `vnp_Amount` (hundredths of a dong, a whole number of dong)."""
    if not value.isdigit() or int(value) % 100:
        raise BadMessage(f"invalid vnp_Amount {value!r}")
    return int(value) // 100


def parse_result(params: Mapping[str, Any]) -> GatewayResult:
    """The result a return or IPN carries. Raises BadMessage if a required field is missing or
    malformed. Does not check the signature: call `verify` first."""
    codes = {}
    for key in ("vnp_ResponseCode", "vnp_TransactionStatus"):
        codes[key] = _required(params, key)
        if not (codes[key].isdigit() and len(codes[key]) == 2):
            raise BadMessage(f"invalid {key}")
    pay_date = str(params.get("vnp_PayDate") or "")
    if pay_date:
        parse_date(pay_date)
    return GatewayResult(
        txn_ref=_required(params, "vnp_TxnRef"),
        amount_vnd=parse_amount(_required(params, "vnp_Amount")),
        response_code=codes["vnp_ResponseCode"],
        transaction_status=codes["vnp_TransactionStatus"],
        transaction_no=str(params.get("vnp_TransactionNo") or ""),
        bank_code=str(params.get("vnp_BankCode") or ""),
        card_type=str(params.get("vnp_CardType") or ""),
        pay_date=pay_date,
    )


# The merchant API -----------------------------------------------------------------------


def api_checksum(data: Mapping[str, Any], fields: Sequence[str], secret: str) -> str:
    """HMAC-SHA512 of the `fields` of `data` joined with `|` (a missing field counts as "")."""
    return _hmac(secret, "|".join(str(data.get(field, "") or "") for field in fields))


def verify_api(data: Mapping[str, Any], fields: Sequence[str], secret: str) -> bool:
    given = str(data.get("vnp_SecureHash", "")).lower()
    return bool(given) and hmac.compare_digest(given, api_checksum(data, fields, secret))


def _call_api(cfg: Config, body: dict[str, str], fields: Sequence[str]) -> dict[str, Any]:
    body["vnp_SecureHash"] = api_checksum(body, fields, cfg.hash_secret)
    try:
        reply = transport_module.current()("POST", cfg.api_url, json_body=body)
        answer = reply.json()
    except (transport_module.TransportError, ValueError) as error:
        raise GatewayError(f"merchant API unreachable or not JSON: {error}") from error
    if reply.status != 200 or not isinstance(answer, dict):
        raise GatewayError(f"merchant API answered HTTP {reply.status}")
    return answer


def _api_request(cfg: Config, command: str, *, ip: str, now: datetime) -> dict[str, str]:
    return {
        "vnp_RequestId": uuid.uuid4().hex,
        "vnp_Version": VERSION,
        "vnp_Command": command,
        "vnp_TmnCode": cfg.tmn_code,
        "vnp_CreateDate": format_date(now),
        "vnp_IpAddr": ip,
    }


def _check_answer(cfg: Config, answer: Mapping[str, Any], fields: Sequence[str]) -> str:
    code = str(answer.get("vnp_ResponseCode", ""))
    if not code:
        raise BadMessage("missing vnp_ResponseCode")
    # An error answer may come unsigned; a success must be signed, and any signature must hold.
    if (code == "00" or answer.get("vnp_SecureHash")) and not verify_api(
        answer, fields, cfg.hash_secret
    ):
        raise BadMessage("wrong checksum on the merchant API's answer")
    return code


def query_transaction(
    cfg: Config, *, txn_ref: str, transaction_date: datetime | str, ip: str, now: datetime
) -> GatewayResult | None:
    """Ask the gateway (`querydr`) about the order `txn_ref` created at `transaction_date`.
    None if the gateway knows no such transaction. Raises GatewayError (unreachable, or an
    error answer) and BadMessage (wrong checksum, bad fields)."""
    body = _api_request(cfg, "querydr", ip=ip, now=now)
    body |= {
        "vnp_TxnRef": txn_ref,
        "vnp_TransactionDate": _date_field(transaction_date),
        "vnp_OrderInfo": f"Truy van giao dich {txn_ref}",
    }
    answer = _call_api(cfg, body, QUERY_REQUEST_FIELDS)
    code = _check_answer(cfg, answer, QUERY_RESPONSE_FIELDS)
    if code == NOT_FOUND:
        return None
    if code != "00":
        raise GatewayError(f"querydr answered {code}: {answer.get('vnp_Message', '')}")
    return parse_result(answer)


def refund(
    cfg: Config,
    *,
    txn_ref: str,
    amount_vnd: int,
    transaction_no: str,
    transaction_date: datetime | str,
    created_by: str,
    ip: str,
    now: datetime,
    full: bool = True,
) -> RefundResult:
    """Ask the gateway to refund `amount_vnd` of the order `txn_ref` (wholly or partly).
    A refusal is a RefundResult with ok False; raises GatewayError if the gateway cannot be
    reached and BadMessage if its answer's checksum is wrong."""
    body = _api_request(cfg, "refund", ip=ip, now=now)
    body |= {
        "vnp_TransactionType": FULL_REFUND if full else PARTIAL_REFUND,
        "vnp_TxnRef": txn_ref,
        "vnp_Amount": str(amount_vnd * 100),
        "vnp_TransactionNo": transaction_no or "0",
        "vnp_TransactionDate": _date_field(transaction_date),
        "vnp_CreateBy": str(created_by)[:250],
        "vnp_OrderInfo": f"Hoan tien giao dich {txn_ref}",
    }
    answer = _call_api(cfg, body, REFUND_REQUEST_FIELDS)
    code = _check_answer(cfg, answer, REFUND_RESPONSE_FIELDS)
    return RefundResult(
        response_code=code,
        transaction_no=str(answer.get("vnp_TransactionNo", "") or ""),
        ok=code == "00",
    )
