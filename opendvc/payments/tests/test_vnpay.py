"""The VNPay 2.1.0 adapter: signatures against published and independently computed vectors,
the pay URL, verifying and parsing results, and the merchant API through a fake transport."""

import hashlib
import hmac
import json
import urllib.parse
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from opendvc.core import transport
from opendvc.payments.gateways import vnpay

SECRET = "SECRET-FOR-TESTS-ONLY"
CFG = vnpay.Config(
    tmn_code="OPENDVC1",
    hash_secret=SECRET,
    pay_url="https://gateway.example/pay",
    api_url="https://gateway.example/api",
)

# Published vector: the open-source VNPay client lehuygiang28/vnpay, file
# test/verify-return-url.test.ts, signs this return with the secret "test_secret".
PUBLISHED_SECRET = "test_secret"
PUBLISHED_RETURN = {
    "vnp_Amount": "1000000",
    "vnp_BankCode": "NCB",
    "vnp_BankTranNo": "VNP14422574",
    "vnp_CardType": "ATM",
    "vnp_OrderInfo": "Thanh toan don hang 2024-05-21T02:17:31.249Z",
    "vnp_PayDate": "20240521091806",
    "vnp_ResponseCode": "00",
    "vnp_TmnCode": "TEST_TMN_CODE",
    "vnp_TransactionNo": "14422574",
    "vnp_TransactionStatus": "00",
    "vnp_TxnRef": "1716257871703",
}
PUBLISHED_HASH = (
    "649982421beb422556a1374713c74e58e716ecbd05007c0c0e1f7effdfaf361d"
    "bf146889ca446139afe11b9954c4d5c486e99e3b86fcfab6957f29eb0be72895"
)
# The same file's vector for the same return with vnp_ResponseCode "99".
PUBLISHED_HASH_99 = (
    "503194f6d93b57b357b2d1d09742565e67e86d771352c5dca4fc8d39df3d392c"
    "6b3809add9405f97cfb9631f445e36c80656cfbf47eac67d97fa165865c13e1b"
)

CREATED_AT = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Hà Nội
EXPIRES_AT = datetime(2026, 11, 23, 3, 15, tzinfo=UTC)
ORDER_INFO = "Lệ phí hồ sơ G15.26.11-000123"


def _pay_url(**overrides) -> str:
    arguments = {
        "txn_ref": "P20261123ABC",
        "amount_vnd": 150_000,
        "order_info": ORDER_INFO,
        "ip": "203.0.113.7",
        "created_at": CREATED_AT,
        "expires_at": EXPIRES_AT,
        "return_url": "https://dvc.example.vn/payments/vnpay/return",
    } | overrides
    return vnpay.payment_url(CFG, **arguments)


def _query(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def test_signature_matches_the_published_vector():
    assert vnpay.sign(PUBLISHED_RETURN, PUBLISHED_SECRET) == PUBLISHED_HASH
    assert vnpay.sign(PUBLISHED_RETURN | {"vnp_ResponseCode": "99"}, PUBLISHED_SECRET) == (
        PUBLISHED_HASH_99
    )
    assert vnpay.verify(PUBLISHED_RETURN | {"vnp_SecureHash": PUBLISHED_HASH}, PUBLISHED_SECRET)


def test_pay_url_encodes_vietnamese_and_spaces_as_vnpay_signs_them():
    # Given the pay URL of a fee described in Vietnamese, with spaces
    params = _query(_pay_url())

    # Then the signed string has the value form-urlencoded (UTF-8, "+" for spaces), and the
    # signature is the one computed independently with:
    #   printf '%s' '<the string below>' | openssl dgst -sha512 -hmac 'SECRET-FOR-TESTS-ONLY'
    assert vnpay.hash_data(params) == (
        "vnp_Amount=15000000&vnp_Command=pay&vnp_CreateDate=20261123100000&vnp_CurrCode=VND"
        "&vnp_ExpireDate=20261123101500&vnp_IpAddr=203.0.113.7&vnp_Locale=vn"
        "&vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+h%E1%BB%93+s%C6%A1+G15.26.11-000123"
        "&vnp_OrderType=other&vnp_ReturnUrl=https%3A%2F%2Fdvc.example.vn%2Fpayments%2Fvnpay"
        "%2Freturn&vnp_TmnCode=OPENDVC1&vnp_TxnRef=P20261123ABC&vnp_Version=2.1.0"
    )
    assert params["vnp_SecureHash"] == (
        "308df4bd6fb972ed1ded7f74005897bb5ff2fbfaccf139f035eed02696566acd"
        "301a39f01f89034eb863dd28df839327a048229ab13a9c7f1585a4e7bc90715a"
    )
    assert params["vnp_OrderInfo"] == ORDER_INFO


def test_pay_url_carries_the_protocol_fields_amount_times_100_and_gmt7_dates():
    url = _pay_url(bank_code="NCB")
    params = _query(url)

    assert url.startswith("https://gateway.example/pay?")
    assert params["vnp_Version"] == "2.1.0"
    assert params["vnp_Command"] == "pay"
    assert params["vnp_TmnCode"] == "OPENDVC1"
    assert params["vnp_Amount"] == "15000000"
    assert params["vnp_CurrCode"] == "VND"
    assert params["vnp_OrderType"] == "other"
    assert params["vnp_Locale"] == "vn"
    assert params["vnp_BankCode"] == "NCB"
    assert params["vnp_CreateDate"] == "20261123100000"
    assert params["vnp_ExpireDate"] == "20261123101500"
    assert vnpay.verify(params, SECRET)


def test_pay_url_leaves_out_an_empty_bank_code():
    assert "vnp_BankCode" not in _query(_pay_url())


def test_round_trip_verifies_and_parses():
    params = dict(PUBLISHED_RETURN)
    params["vnp_SecureHash"] = vnpay.sign(params, SECRET)

    assert vnpay.verify(params, SECRET)
    result = vnpay.parse_result(params)
    assert result == vnpay.GatewayResult(
        txn_ref="1716257871703",
        amount_vnd=10_000,
        response_code="00",
        transaction_status="00",
        transaction_no="14422574",
        bank_code="NCB",
        card_type="ATM",
        pay_date="20240521091806",
    )
    assert result.is_paid


@pytest.mark.parametrize(
    "change",
    [
        {"vnp_Amount": "100000000"},
        {"vnp_ResponseCode": "24"},
        {"vnp_TxnRef": "1716257871704"},
        {"vnp_SecureHash": "0" * 128},
        {"vnp_SecureHash": ""},
        {"vnp_Extra": "injected"},
    ],
)
def test_tampered_message_fails_verification(change):
    params = PUBLISHED_RETURN | {"vnp_SecureHash": PUBLISHED_HASH}

    assert not vnpay.verify(params | change, PUBLISHED_SECRET)


def test_wrong_secret_fails_and_missing_hash_fails():
    assert not vnpay.verify(PUBLISHED_RETURN | {"vnp_SecureHash": PUBLISHED_HASH}, SECRET)
    assert not vnpay.verify(PUBLISHED_RETURN, PUBLISHED_SECRET)


def test_empty_fields_may_be_signed_with_or_without_them():
    params = PUBLISHED_RETURN | {"vnp_BankTranNo": ""}
    kept = "&".join(f"{k}={urllib.parse.quote_plus(v)}" for k, v in sorted(params.items()))
    signed_with_empty = hmac.new(SECRET.encode(), kept.encode(), hashlib.sha512).hexdigest()

    assert "vnp_BankTranNo=&" in kept
    assert vnpay.verify(params | {"vnp_SecureHash": signed_with_empty}, SECRET)
    assert vnpay.verify(params | {"vnp_SecureHash": vnpay.sign(params, SECRET)}, SECRET)
    assert not vnpay.verify(params | {"vnp_SecureHash": signed_with_empty}, PUBLISHED_SECRET)


def test_secure_hash_type_is_ignored_and_uppercase_hash_accepted():
    params = PUBLISHED_RETURN | {
        "vnp_SecureHash": PUBLISHED_HASH.upper(),
        "vnp_SecureHashType": "HmacSHA512",
    }

    assert vnpay.verify(params, PUBLISHED_SECRET)


@pytest.mark.parametrize(
    "missing", ["vnp_TxnRef", "vnp_Amount", "vnp_ResponseCode", "vnp_TransactionStatus"]
)
def test_missing_field_is_a_bad_message(missing):
    params = {k: v for k, v in PUBLISHED_RETURN.items() if k != missing}

    with pytest.raises(vnpay.BadMessage):
        vnpay.parse_result(params)


@pytest.mark.parametrize(
    "change",
    [
        {"vnp_Amount": "abc"},
        {"vnp_Amount": "-100"},
        {"vnp_Amount": "150"},  # not a whole number of dong
        {"vnp_ResponseCode": "0"},
        {"vnp_TransactionStatus": "xx"},
        {"vnp_PayDate": "2024-05-21"},
    ],
)
def test_invalid_field_is_a_bad_message(change):
    with pytest.raises(vnpay.BadMessage):
        vnpay.parse_result(PUBLISHED_RETURN | change)


@pytest.mark.parametrize(
    ("response_code", "status", "paid"),
    [("00", "00", True), ("07", "07", False), ("24", "02", False), ("00", "01", False)],
)
def test_paid_means_both_codes_are_00(response_code, status, paid):
    params = PUBLISHED_RETURN | {
        "vnp_ResponseCode": response_code,
        "vnp_TransactionStatus": status,
    }

    assert vnpay.parse_result(params).is_paid is paid


def test_only_status_01_is_pending():
    assert vnpay.parse_result(PUBLISHED_RETURN | {"vnp_TransactionStatus": "01"}).is_pending
    assert not vnpay.parse_result(PUBLISHED_RETURN).is_pending


def test_dates_need_a_time_zone():
    with pytest.raises(ValueError):
        vnpay.format_date(datetime(2026, 11, 23, 10, 0))
    assert vnpay.parse_date("20261123100000") == CREATED_AT


# The merchant API, through a fake transport ---------------------------------------------


class FakeGateway:
    """Records requests and answers with `answer(body)`."""

    def __init__(self, answer):
        self.answer = answer
        self.requests: list[dict] = []

    def __call__(self, method, url, *, params=None, json_body=None, timeout=15.0):
        self.requests.append({"method": method, "url": url, "body": dict(json_body or {})})
        reply = self.answer(dict(json_body or {}))
        if isinstance(reply, transport.Reply):
            return reply
        return transport.Reply(200, json.dumps(reply))


def _signed(answer: dict, fields) -> dict:
    data = "|".join(str(answer.get(f, "")) for f in fields)
    return answer | {
        "vnp_SecureHash": hmac.new(SECRET.encode(), data.encode(), "sha512").hexdigest()
    }


def _query_answer(body: dict, **changes) -> dict:
    answer = {
        "vnp_ResponseId": "resp01",
        "vnp_Command": "querydr",
        "vnp_ResponseCode": "00",
        "vnp_Message": "QueryDR Success",
        "vnp_TmnCode": "OPENDVC1",
        "vnp_TxnRef": body["vnp_TxnRef"],
        "vnp_Amount": "15000000",
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20261123100512",
        "vnp_TransactionNo": "14000123",
        "vnp_TransactionType": "01",
        "vnp_TransactionStatus": "00",
        "vnp_OrderInfo": body["vnp_OrderInfo"],
        "vnp_PromotionCode": "",
        "vnp_PromotionAmount": "",
    } | changes
    return _signed(answer, vnpay.QUERY_RESPONSE_FIELDS)


def _querydr(**kwargs):
    return vnpay.query_transaction(
        CFG,
        txn_ref="P20261123ABC",
        transaction_date=CREATED_AT,
        ip="203.0.113.7",
        now=datetime(2026, 11, 23, 5, 0, tzinfo=UTC),
        **kwargs,
    )


def test_querydr_request_is_signed_over_the_documented_pipe_order(monkeypatch):
    monkeypatch.setattr(vnpay.uuid, "uuid4", lambda: SimpleNamespace(hex="req01"))
    gateway = FakeGateway(_query_answer)

    with transport.use(gateway):
        result = _querydr()

    sent = gateway.requests[0]
    assert (sent["method"], sent["url"]) == ("POST", "https://gateway.example/api")
    assert sent["body"]["vnp_Command"] == "querydr"
    assert sent["body"]["vnp_TransactionDate"] == "20261123100000"
    assert sent["body"]["vnp_CreateDate"] == "20261123120000"
    # printf '%s' 'req01|2.1.0|querydr|OPENDVC1|P20261123ABC|20261123100000|20261123120000|
    # 203.0.113.7|Truy van giao dich P20261123ABC' | openssl dgst -sha512 -hmac '<SECRET>'
    assert sent["body"]["vnp_SecureHash"] == (
        "666e464aad61c31c0f37dc65a2074277e915f27d19c5f965dfec9c0f4b89fab8"
        "50a71ca2e2a537aef5d743109ef29f45188385adae964af99139eb71c4dc72d5"
    )
    assert result == vnpay.GatewayResult(
        txn_ref="P20261123ABC",
        amount_vnd=150_000,
        response_code="00",
        transaction_status="00",
        transaction_no="14000123",
        bank_code="NCB",
        card_type="",
        pay_date="20261123100512",
    )


def test_querydr_answer_with_a_wrong_checksum_is_refused():
    def tampered(body):
        return _query_answer(body) | {"vnp_Amount": "1500000000"}

    with transport.use(FakeGateway(tampered)), pytest.raises(vnpay.BadMessage):
        _querydr()


def test_querydr_for_an_unknown_transaction_is_none():
    with transport.use(FakeGateway(lambda body: _query_answer(body, vnp_ResponseCode="91"))):
        assert _querydr() is None


def test_querydr_error_answer_or_unreachable_gateway_raise_gateway_error():
    def down(*args, **kwargs):
        raise transport.TransportError("connection refused")

    with transport.use(FakeGateway(lambda body: _query_answer(body, vnp_ResponseCode="99"))):
        with pytest.raises(vnpay.GatewayError):
            _querydr()
    with transport.use(down), pytest.raises(vnpay.GatewayError):
        _querydr()
    with transport.use(FakeGateway(lambda body: transport.Reply(502, "Bad gateway"))):
        with pytest.raises(vnpay.GatewayError):
            _querydr()


def _refund_answer(body: dict, code: str = "00") -> dict:
    answer = {
        "vnp_ResponseId": "resp02",
        "vnp_Command": "refund",
        "vnp_ResponseCode": code,
        "vnp_Message": "Refund success",
        "vnp_TmnCode": "OPENDVC1",
        "vnp_TxnRef": body["vnp_TxnRef"],
        "vnp_Amount": body["vnp_Amount"],
        "vnp_BankCode": "NCB",
        "vnp_PayDate": "20261123100512",
        "vnp_TransactionNo": "14000123",
        "vnp_TransactionType": body["vnp_TransactionType"],
        "vnp_TransactionStatus": "06",
        "vnp_OrderInfo": body["vnp_OrderInfo"],
    }
    return _signed(answer, vnpay.REFUND_RESPONSE_FIELDS)


def _refund(**kwargs):
    arguments = {
        "txn_ref": "P20261123ABC",
        "amount_vnd": 150_000,
        "transaction_no": "14000123",
        "transaction_date": CREATED_AT,
        "created_by": "canbo.motcua",
        "ip": "203.0.113.7",
        "now": datetime(2026, 11, 24, 2, 0, tzinfo=UTC),
    } | kwargs
    return vnpay.refund(CFG, **arguments)


@pytest.mark.parametrize(("full", "kind"), [(True, "02"), (False, "03")])
def test_refund_request_is_signed_over_the_documented_pipe_order(full, kind):
    gateway = FakeGateway(_refund_answer)

    with transport.use(gateway):
        result = _refund(full=full, amount_vnd=50_000)

    body = gateway.requests[0]["body"]
    assert body["vnp_TransactionType"] == kind
    assert body["vnp_Amount"] == "5000000"
    assert body["vnp_CreateBy"] == "canbo.motcua"
    expected = "|".join(
        [
            body["vnp_RequestId"], "2.1.0", "refund", "OPENDVC1", kind, "P20261123ABC",
            "5000000", "14000123", "20261123100000", "canbo.motcua", "20261124090000",
            "203.0.113.7", "Hoan tien giao dich P20261123ABC",
        ]
    )  # fmt: skip
    mac = hmac.new(SECRET.encode(), expected.encode(), hashlib.sha512).hexdigest()
    assert body["vnp_SecureHash"] == mac
    assert result == vnpay.RefundResult(response_code="00", transaction_no="14000123", ok=True)


def test_refused_refund_is_not_ok_and_a_forged_answer_is_refused():
    with transport.use(FakeGateway(lambda body: _refund_answer(body, code="95"))):
        assert _refund() == vnpay.RefundResult("95", "14000123", ok=False)

    def forged(body):
        return _refund_answer(body) | {"vnp_SecureHash": "ab" * 64}

    with transport.use(FakeGateway(forged)), pytest.raises(vnpay.BadMessage):
        _refund()
