"""The sandbox gateway's "bank": its transactions, kept in the Django cache keyed by terminal
code and order id (sandbox only — nothing here is evidence of a real payment; the merchant's
own records are `Payment` and `GatewayMessage`).

A stored transaction is a dict of the fields the protocol reports, values as sent (amount in
hundredths of a dong): vnp_TxnRef, vnp_TmnCode, vnp_Amount, vnp_OrderInfo, vnp_BankCode,
vnp_BankTranNo, vnp_CardType, vnp_PayDate, vnp_ResponseCode, vnp_TransactionNo,
vnp_TransactionStatus, vnp_TransactionType, vnp_CreateDate, plus "refunded" (hundredths).
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from opendvc.core.money import vnd

from ..gateways import vnpay

KEEP_SECONDS = 90 * 24 * 3600
FIRST_TRANSACTION_NO = 14_000_000


@dataclass(frozen=True)
class Outcome:
    code: str  # vnp_ResponseCode
    status: str  # vnp_TransactionStatus
    label: Any
    charged: bool  # whether the payer's account was debited


# VNPay's tables: vnp_ResponseCode 00 success, 07 "money taken, transaction suspected (fraud,
# unusual)", 11 "payment wait expired", 24 "customer cancelled", 51 "insufficient balance";
# vnp_TransactionStatus 00 success, 02 error, 07 "suspected of fraud".
OUTCOMES = {
    "00": Outcome("00", "00", _("Thanh toán thành công"), True),
    "24": Outcome("24", "02", _("Người thanh toán huỷ giao dịch"), False),
    "51": Outcome("51", "02", _("Tài khoản không đủ số dư"), False),
    "11": Outcome("11", "02", _("Hết thời gian chờ thanh toán"), False),
    "07": Outcome("07", "07", _("Trừ tiền thành công nhưng giao dịch bị nghi ngờ"), True),
}
BANKS = {
    "NCB": ("ATM", _("Ngân hàng Quốc Dân (NCB)")),
    "VCB": ("ATM", _("Vietcombank")),
    "BIDV": ("ATM", _("BIDV")),
    "TCB": ("ATM", _("Techcombank")),
    "VNPAYQR": ("QRCODE", _("Ví / ứng dụng ngân hàng quét mã VNPAY-QR")),
    "INTCARD": ("CREDIT", _("Thẻ quốc tế (Visa, Mastercard, JCB)")),
}


def _key(tmn_code: str, txn_ref: str) -> str:
    return f"payments:sandbox:txn:{tmn_code}:{txn_ref}"


def get(tmn_code: str, txn_ref: str) -> dict[str, Any] | None:
    return cache.get(_key(tmn_code, txn_ref))


def save(txn: dict[str, Any]) -> None:
    cache.set(_key(txn["vnp_TmnCode"], txn["vnp_TxnRef"]), txn, KEEP_SECONDS)


def next_transaction_no() -> str:
    cache.add("payments:sandbox:seq", FIRST_TRANSACTION_NO, None)
    return str(cache.incr("payments:sandbox:seq"))


def is_finished(txn: dict[str, Any] | None) -> bool:
    return bool(txn) and txn["vnp_TransactionStatus"] != vnpay.PENDING


def open_pending(request: dict[str, str]) -> None:
    """Remember an order whose pay page was shown, as VNPay does: until the payer finishes,
    `querydr` finds it "not completed" (status 01) rather than unknown."""
    if get(request["vnp_TmnCode"], request["vnp_TxnRef"]) is None:
        save(
            {key: request[key] for key in ("vnp_TxnRef", "vnp_TmnCode", "vnp_Amount",
                                           "vnp_OrderInfo", "vnp_CreateDate")}
            | {"vnp_BankCode": "", "vnp_BankTranNo": "", "vnp_CardType": "", "vnp_PayDate": "",
               "vnp_ResponseCode": "", "vnp_TransactionNo": "0",
               "vnp_TransactionStatus": vnpay.PENDING, "vnp_TransactionType": "01",
               "refunded": 0}
        )  # fmt: skip


def record(request: dict[str, str], *, bank: str, outcome: Outcome, now: datetime) -> dict:
    """Store the transaction the payer just finished on the sandbox's page, and return it."""
    number = next_transaction_no() if outcome.charged else "0"
    txn = {
        "vnp_TxnRef": request["vnp_TxnRef"],
        "vnp_TmnCode": request["vnp_TmnCode"],
        "vnp_Amount": request["vnp_Amount"],
        "vnp_OrderInfo": request["vnp_OrderInfo"],
        "vnp_CreateDate": request["vnp_CreateDate"],
        "vnp_BankCode": bank,
        "vnp_BankTranNo": f"VNP{number}" if outcome.charged else "",
        "vnp_CardType": BANKS[bank][0],
        "vnp_PayDate": vnpay.format_date(now),
        "vnp_ResponseCode": outcome.code,
        "vnp_TransactionNo": number,
        "vnp_TransactionStatus": outcome.status,
        "vnp_TransactionType": "01",
        "refunded": 0,
    }
    save(txn)
    return txn


RESULT_FIELDS = (
    "vnp_Amount", "vnp_BankCode", "vnp_BankTranNo", "vnp_CardType", "vnp_OrderInfo",
    "vnp_PayDate", "vnp_ResponseCode", "vnp_TmnCode", "vnp_TransactionNo",
    "vnp_TransactionStatus", "vnp_TxnRef",
)  # fmt: skip


def result_params(txn: dict[str, Any], secret: str) -> dict[str, str]:
    """The signed parameters of the return and the IPN for a stored transaction (an empty
    field, such as the bank's reference of an unpaid one, is left out as VNPay does)."""
    params = {key: str(txn[key]) for key in RESULT_FIELDS if str(txn[key]) != ""}
    params["vnp_SecureHash"] = vnpay.sign(params, secret)
    return params


def format_vnd(amount: int) -> str:
    """1.234.000 ₫, as the gateway's page shows it."""
    return vnd(amount, "₫")
