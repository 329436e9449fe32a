"""The sandbox gateway's merchant API (`querydr`, `refund`), answering from the sandbox store
with responses signed as VNPay signs them (see the *_FIELDS orders in gateways.vnpay)."""

import uuid
from datetime import datetime
from typing import Any

from django.core.cache import cache

from ..gateways import vnpay
from . import store

REQUIRED = {
    "querydr": ("vnp_RequestId", "vnp_Version", "vnp_TmnCode", "vnp_TxnRef",
                "vnp_TransactionDate", "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"),
    "refund": ("vnp_RequestId", "vnp_Version", "vnp_TmnCode", "vnp_TransactionType",
               "vnp_TxnRef", "vnp_Amount", "vnp_TransactionDate", "vnp_CreateBy",
               "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"),
}  # fmt: skip
SIGNED = {
    "querydr": (vnpay.QUERY_REQUEST_FIELDS, vnpay.QUERY_RESPONSE_FIELDS),
    "refund": (vnpay.REFUND_REQUEST_FIELDS, vnpay.REFUND_RESPONSE_FIELDS),
}
TRANSACTION_FIELDS = (
    "vnp_TxnRef", "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo",
    "vnp_TransactionType", "vnp_TransactionStatus", "vnp_OrderInfo",
)  # fmt: skip
MESSAGES = {
    "00": "Success",
    "02": "Invalid amount",
    "03": "Invalid data format",
    "04": "Full refund not allowed after a partial refund",
    "91": "Transaction not found",
    "93": "Invalid refund amount",
    "94": "Duplicate request",
    "95": "Transaction not successful at VNPAY",
    "97": "Invalid Checksum",
    "99": "Unknown error",
}


def _answer(command: str, code: str, tmn_code: str, secret: str, txn: dict | None = None) -> dict:
    body: dict[str, Any] = {
        "vnp_ResponseId": uuid.uuid4().hex,
        "vnp_Command": command,
        "vnp_ResponseCode": code,
        "vnp_Message": MESSAGES[code],
        "vnp_TmnCode": tmn_code,
    }
    if txn:
        body |= {key: txn[key] for key in TRANSACTION_FIELDS}
        body |= {"vnp_PromotionCode": "", "vnp_PromotionAmount": ""}
    body["vnp_SecureHash"] = vnpay.api_checksum(body, SIGNED[command][1], secret)
    return body


def answer(body: Any, cfg: vnpay.Config, *, now: datetime) -> dict:
    """The signed answer of the merchant API to one JSON request."""
    command = body.get("vnp_Command") if isinstance(body, dict) else None
    if command not in REQUIRED:
        return _answer("querydr", "03", cfg.tmn_code, cfg.hash_secret)
    if not vnpay.verify_api(body, SIGNED[command][0], cfg.hash_secret):
        return _answer(command, "97", cfg.tmn_code, cfg.hash_secret)
    if body.get("vnp_TmnCode") != cfg.tmn_code or any(not body.get(k) for k in REQUIRED[command]):
        return _answer(command, "03", cfg.tmn_code, cfg.hash_secret)
    # vnp_RequestId must not repeat within a day.
    if not cache.add(f"payments:sandbox:request:{cfg.tmn_code}:{body['vnp_RequestId']}", 1, 86400):
        return _answer(command, "94", cfg.tmn_code, cfg.hash_secret)
    txn = store.get(cfg.tmn_code, str(body["vnp_TxnRef"]))
    if txn is None:
        return _answer(command, "91", cfg.tmn_code, cfg.hash_secret)
    code = "00" if command == "querydr" else _refund(txn, body)
    return _answer(command, code, cfg.tmn_code, cfg.hash_secret, txn)


def _refund(txn: dict, body: dict) -> str:
    """Apply a refund request to the stored transaction; VNPay's refund answer code."""
    amount = str(body["vnp_Amount"])
    if not amount.isdigit() or int(amount) <= 0:
        return "93"
    if txn["vnp_TransactionStatus"] != "00":
        return "95"
    full = body["vnp_TransactionType"] == vnpay.FULL_REFUND
    if full and txn["refunded"]:
        return "04"
    if full and int(amount) != int(txn["vnp_Amount"]):
        return "93"
    if txn["refunded"] + int(amount) > int(txn["vnp_Amount"]):
        return "02"
    txn["refunded"] += int(amount)
    txn["vnp_TransactionType"] = body["vnp_TransactionType"]
    if txn["refunded"] == int(txn["vnp_Amount"]):
        # "VNPAY has sent the refund request to the bank" in VNPay's status table.
        txn["vnp_TransactionStatus"] = "06"
    store.save(txn)
    return "00"
