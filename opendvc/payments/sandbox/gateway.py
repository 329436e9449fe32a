"""The sandbox gateway's pay page logic: checking a pay request as VNPay would, and finishing
the payment the payer chose (stored, IPN dispatched, browser sent back with a signed result)."""

import urllib.parse
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from ..gateways import vnpay
from . import delivery, store

REQUIRED = (
    "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_Amount", "vnp_CurrCode", "vnp_TxnRef",
    "vnp_OrderInfo", "vnp_OrderType", "vnp_Locale", "vnp_ReturnUrl", "vnp_IpAddr",
    "vnp_CreateDate",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """Why the gateway refuses a pay request, with VNPay's error code shown on its page."""

    code: str
    message: str


BAD_SIGNATURE = Problem("70", _("Sai chữ ký (chữ ký không hợp lệ)."))
BAD_MERCHANT = Problem("02", _("Mã định danh kết nối của đơn vị (vnp_TmnCode) không hợp lệ."))
BAD_FORMAT = Problem("03", _("Dữ liệu gửi sang không đúng định dạng."))
EXPIRED = Problem("15", _("Giao dịch đã quá thời gian chờ thanh toán."))
DUPLICATE = Problem("94", _("Đơn hàng này đã được thanh toán hoặc đã kết thúc trước đó."))


def pay_params(data) -> dict[str, str]:
    """The protocol's fields of a request (the sandbox's own options are not among them)."""
    return {key: value for key, value in data.items() if key.startswith("vnp_")}


def problem_with(params: dict[str, str], cfg: vnpay.Config, *, now: datetime) -> Problem | None:
    """None if VNPay would show its pay page for `params`; otherwise why not."""
    if not vnpay.verify(params, cfg.hash_secret):
        return BAD_SIGNATURE
    if params.get("vnp_TmnCode") != cfg.tmn_code:
        return BAD_MERCHANT
    if any(not params.get(key) for key in REQUIRED):
        return BAD_FORMAT
    if (params["vnp_Version"], params["vnp_Command"], params["vnp_CurrCode"]) != (
        vnpay.VERSION,
        "pay",
        "VND",
    ):
        return BAD_FORMAT
    try:
        vnpay.parse_amount(params["vnp_Amount"])
        vnpay.parse_date(params["vnp_CreateDate"])
        expires = params.get("vnp_ExpireDate") and vnpay.parse_date(params["vnp_ExpireDate"])
    except vnpay.BadMessage:
        return BAD_FORMAT
    if expires and expires < now:
        return EXPIRED
    if store.is_finished(store.get(params["vnp_TmnCode"], params["vnp_TxnRef"])):
        return DUPLICATE
    return None


def finish(
    params: dict[str, str], cfg: vnpay.Config, *, bank: str, outcome: str, ipn: str, now: datetime
) -> str:
    """Record the payer's choice, deliver the IPN as `ipn` asks, and return the merchant's
    return URL with the signed result."""
    txn = store.record(params, bank=bank, outcome=store.OUTCOMES[outcome], now=now)
    result = store.result_params(txn, cfg.hash_secret)
    delivery.dispatch(ipn, params=result, now=now)
    query = "&".join(
        f"{key}={urllib.parse.quote_plus(value)}" for key, value in sorted(result.items())
    )
    return_url = params["vnp_ReturnUrl"]
    return f"{return_url}{'&' if '?' in return_url else '?'}{query}"
