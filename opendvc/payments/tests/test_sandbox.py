"""The built-in sandbox gateway: its pay page, the signed return and IPN for each outcome, the
IPN delivery options and retries, and its merchant API answering the adapter."""

import json
import urllib.parse
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from opendvc.audit.models import AuditEntry
from opendvc.core import transport
from opendvc.dossiers.models import Status
from opendvc.payments import actions
from opendvc.payments.gateways import vnpay
from opendvc.payments.models import GatewayMessage, Payment
from opendvc.payments.sandbox import delivery
from opendvc.payments.sandbox.tasks import deliver_ipn
from opendvc.payments.tests.factories import PaymentFactory, payable_dossier

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
SECRET = "sandbox-secret-for-tests"
IPN_URL = "https://merchant.example/payments/vnpay/ipn"
RETURN_URL = "https://merchant.example/payments/vnpay/return"
PAY_PATH = "/payments/sandbox/pay"


@pytest.fixture(autouse=True)
def sandbox(settings):
    settings.PAYMENTS_SANDBOX = True
    settings.VNPAY_TMN_CODE = "OPENDVC1"
    settings.VNPAY_HASH_SECRET = SECRET
    settings.VNPAY_PAY_URL = f"http://testserver{PAY_PATH}"
    settings.VNPAY_API_URL = "http://testserver/payments/sandbox/api"
    settings.PAYMENTS_SANDBOX_IPN_URL = IPN_URL
    # Enqueued IPN deliveries are kept, not run, so each test runs them when it means to.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(NOW, tick=False):
        yield


class Merchant:
    """The merchant's IPN endpoint as the sandbox sees it: records each GET, answers RspCode."""

    def __init__(self, answers=("00",)):
        self.answers = list(answers)
        self.calls: list[dict] = []

    def __call__(self, method, url, *, params=None, json_body=None, timeout=15.0):
        self.calls.append({"method": method, "url": url, "params": dict(params or {})})
        code = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return transport.Reply(200, json.dumps({"RspCode": code, "Message": "x"}))


def _pay_url(txn_ref="P1", amount_vnd=1_234_000, **kwargs) -> str:
    arguments = {
        "txn_ref": txn_ref,
        "amount_vnd": amount_vnd,
        "order_info": "Lệ phí hồ sơ G15.26.11-000123",
        "ip": "203.0.113.7",
        "created_at": NOW,
        "expires_at": NOW + timedelta(minutes=15),
        "return_url": RETURN_URL,
    } | kwargs
    return vnpay.payment_url(vnpay.config(), **arguments)


def _params(url: str) -> dict[str, str]:
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query))


def _pay(client, *, outcome="00", bank="NCB", ipn="normal", txn_ref="P1", **kwargs):
    data = _params(_pay_url(txn_ref=txn_ref, **kwargs))
    data |= {"outcome": outcome, "bank": bank, "ipn": ipn}
    return client.post(PAY_PATH, data)


def _enqueued() -> list:
    return list(deliver_ipn.get_backend().results)


def _run(result, merchant) -> str:
    with transport.use(merchant):
        return result.task.call(*result.args, **result.kwargs)


def test_signed_request_shows_the_order_amount_and_sandbox_warning(client):
    response = client.get(_pay_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "1.234.000 ₫" in page
    assert "Lệ phí hồ sơ G15.26.11-000123" in page
    assert "OPENDVC1" in page and "P1" in page
    assert "Cổng thanh toán thử nghiệm – không trừ tiền thật" in page
    for bank in ("NCB", "VCB", "BIDV", "TCB", "VNPAYQR"):
        assert f'value="{bank}"' in page


def test_query_options_preset_the_choices(client):
    response = client.get(_pay_url() + "&sandbox_outcome=24&sandbox_ipn=none")

    assert response.context["form"].initial == {"outcome": "24", "ipn": "none"}


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"vnp_Amount": "999900"}, "70"),
        ({"vnp_SecureHash": "0" * 128}, "70"),
    ],
)
def test_tampered_request_shows_the_signature_error(client, change, code):
    response = client.get(PAY_PATH, _params(_pay_url()) | change)

    assert response.status_code == 400
    assert f"Mã lỗi: {code}" in response.content.decode()
    assert "Sai chữ ký" in response.content.decode()


def test_request_for_another_terminal_or_after_expiry_is_refused(client, settings):
    expired = _pay_url(expires_at=NOW - timedelta(seconds=1))
    assert "Mã lỗi: 15" in client.get(expired).content.decode()

    settings.VNPAY_TMN_CODE = "OTHER001"
    foreign = vnpay.payment_url(
        vnpay.Config("SOMEONE1", SECRET, settings.VNPAY_PAY_URL, ""),
        txn_ref="P1",
        amount_vnd=1000,
        order_info="x",
        ip="1.2.3.4",
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=5),
        return_url=RETURN_URL,
    )
    response = client.get(foreign)
    assert response.status_code == 400
    assert "Mã lỗi: 02" in response.content.decode()


@pytest.mark.parametrize(
    ("outcome", "status", "paid"),
    [("00", "00", True), ("24", "02", False), ("51", "02", False), ("11", "02", False),
     ("07", "07", False)],
)  # fmt: skip
def test_each_outcome_returns_signed_params_and_the_same_ipn(client, outcome, status, paid):
    # When the payer picks an outcome
    response = _pay(client, outcome=outcome, bank="VCB")

    # Then the browser goes back to the merchant with a signed result
    assert response.status_code == 302
    assert response.url.startswith(RETURN_URL + "?")
    returned = _params(response.url)
    assert vnpay.verify(returned, SECRET)
    result = vnpay.parse_result(returned)
    assert (result.response_code, result.transaction_status) == (outcome, status)
    assert result.is_paid is paid
    assert (result.txn_ref, result.amount_vnd, result.bank_code) == ("P1", 1_234_000, "VCB")
    assert returned["vnp_OrderInfo"] == "Lệ phí hồ sơ G15.26.11-000123"
    assert result.pay_date == "20261123100000"  # GMT+7
    assert (result.transaction_no != "0") is (outcome in ("00", "07"))
    # And exactly one IPN, carrying the same parameters, goes to the merchant's IPN URL
    [job] = _enqueued()
    merchant = Merchant()
    assert _run(job, merchant) == "00"
    assert merchant.calls == [{"method": "GET", "url": IPN_URL, "params": returned}]


def test_ipn_twice_sends_two_identical_ipns(client):
    response = _pay(client, ipn="twice")

    jobs = _enqueued()
    assert len(jobs) == 2
    merchant = Merchant(answers=["00", "02"])
    assert [_run(job, merchant) for job in jobs] == ["00", "02"]
    assert [call["params"] for call in merchant.calls] == [_params(response.url)] * 2


def test_no_ipn_sends_none(client):
    merchant = Merchant()
    with transport.use(merchant):
        response = _pay(client, ipn="none")

    assert response.status_code == 302
    assert _enqueued() == []
    assert merchant.calls == []


def test_ipn_before_return_is_delivered_during_the_payers_request(client):
    merchant = Merchant()
    with transport.use(merchant):
        response = _pay(client, ipn="before")

    assert [call["params"] for call in merchant.calls] == [_params(response.url)]
    assert _enqueued() == []  # accepted at once: no retry


def test_late_ipn_waits_until_after_the_return(client):
    _pay(client, ipn="late")

    [job] = _enqueued()
    assert job.task.run_after == NOW + timedelta(seconds=delivery.LATE_SECONDS)


def test_ipn_is_retried_with_back_off_until_accepted(client):
    _pay(client)
    merchant = Merchant(answers=["99", "97", "00"])

    answers = []
    for _ in range(3):
        job = _enqueued()[-1]
        answers.append(_run(job, merchant))

    assert answers == ["99", "97", "00"]
    jobs = _enqueued()
    assert [job.kwargs["attempt"] for job in jobs] == [1, 2, 3]
    assert [job.task.run_after for job in jobs] == [
        None,
        NOW + timedelta(seconds=5),
        NOW + timedelta(seconds=30),
    ]


def test_ipn_gives_up_after_five_attempts(client):
    _pay(client)
    silent = Merchant(answers=["99"])

    for _ in range(delivery.MAX_ATTEMPTS):
        _run(_enqueued()[-1], silent)

    assert len(silent.calls) == delivery.MAX_ATTEMPTS
    assert len(_enqueued()) == delivery.MAX_ATTEMPTS  # no sixth


def test_unreachable_merchant_counts_as_no_answer(client):
    def down(*args, **kwargs):
        raise transport.TransportError("connection refused")

    _pay(client)
    with transport.use(down):
        job = _enqueued()[0]
        assert job.task.call(*job.args, **job.kwargs) == ""

    assert _enqueued()[-1].kwargs["attempt"] == 2


def test_an_order_cannot_be_paid_twice(client):
    assert _pay(client).status_code == 302

    response = _pay(client)

    assert response.status_code == 400
    assert "Mã lỗi: 94" in response.content.decode()
    assert len(_enqueued()) == 1


def test_unknown_outcome_redisplays_the_page(client):
    response = _pay(client, outcome="42")

    assert response.status_code == 400
    assert _enqueued() == []


@pytest.mark.parametrize("path", [PAY_PATH, "/payments/sandbox/api"])
def test_sandbox_is_404_when_disabled(client, settings, path):
    settings.PAYMENTS_SANDBOX = False

    assert client.get(_pay_url()).status_code == 404
    assert client.post(path, {}).status_code == 404


# The merchant API, called by the adapter through the test client ------------------------


def _querydr(client, txn_ref="P1"):
    with transport.use(transport.client_transport(client)):
        return vnpay.query_transaction(
            vnpay.config(), txn_ref=txn_ref, transaction_date=NOW, ip="10.0.0.1", now=NOW
        )


def _refund(client, amount_vnd=1_234_000, full=True, txn_ref="P1"):
    with transport.use(transport.client_transport(client)):
        return vnpay.refund(
            vnpay.config(),
            txn_ref=txn_ref,
            amount_vnd=amount_vnd,
            transaction_no="",
            transaction_date=NOW,
            created_by="canbo",
            ip="10.0.0.1",
            now=NOW,
            full=full,
        )


def test_querydr_answers_the_stored_transaction(client):
    returned = _params(_pay(client, bank="TCB").url)

    result = _querydr(client)

    assert result.is_paid
    assert (result.txn_ref, result.amount_vnd, result.bank_code) == ("P1", 1_234_000, "TCB")
    assert result.transaction_no == returned["vnp_TransactionNo"]
    assert result.pay_date == returned["vnp_PayDate"]


def test_querydr_of_a_failed_or_unknown_transaction(client):
    _pay(client, outcome="51")

    assert not _querydr(client).is_paid
    assert _querydr(client).transaction_status == "02"
    assert _querydr(client, txn_ref="NOPE") is None


def test_full_refund_changes_the_stored_transaction(client):
    _pay(client)

    first = _refund(client)
    second = _refund(client)

    assert first.ok and first.response_code == "00"
    assert (second.ok, second.response_code) == (False, "95")
    assert _querydr(client).transaction_status == "06"


def test_partial_refunds_add_up_to_at_most_the_amount(client):
    _pay(client)

    assert _refund(client, amount_vnd=234_000, full=False).ok
    assert _refund(client, full=True).response_code == "04"
    assert _refund(client, amount_vnd=1_000_001, full=False).response_code == "02"
    assert _refund(client, amount_vnd=1_000_000, full=False).ok
    assert _querydr(client).transaction_status == "06"


def test_refund_of_an_unpaid_or_unknown_transaction_is_refused(client):
    _pay(client, outcome="24")

    assert _refund(client).response_code == "95"
    assert _refund(client, txn_ref="NOPE").response_code == "91"


def test_api_refuses_a_wrong_checksum_and_a_repeated_request(client):
    body = {
        "vnp_RequestId": "r1",
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": "OPENDVC1",
        "vnp_TxnRef": "P1",
        "vnp_TransactionDate": "20261123100000",
        "vnp_CreateDate": "20261123100000",
        "vnp_IpAddr": "10.0.0.1",
        "vnp_OrderInfo": "q",
    }
    signed = body | {"vnp_SecureHash": vnpay.api_checksum(body, vnpay.QUERY_REQUEST_FIELDS, SECRET)}

    def post(data):
        response = client.post(
            "/payments/sandbox/api", json.dumps(data), content_type="application/json"
        )
        return response.json()

    bad = post(signed | {"vnp_TxnRef": "P2"})
    assert bad["vnp_ResponseCode"] == "97"
    assert vnpay.verify_api(bad, vnpay.QUERY_RESPONSE_FIELDS, SECRET)
    assert post(signed)["vnp_ResponseCode"] == "91"
    assert post(signed)["vnp_ResponseCode"] == "94"
    assert post("not a dict")["vnp_ResponseCode"] == "03"


def test_an_order_shown_but_not_finished_is_pending_then_payable(client):
    # Given the payer opened the pay page and has not chosen yet
    client.get(_pay_url())

    # Then querydr finds it not completed (neither paid nor failed), and it cannot be refunded
    pending = _querydr(client)
    assert pending.is_pending and not pending.is_paid
    assert _refund(client).response_code == "95"
    # And the payer can still finish it
    assert _pay(client).status_code == 302
    assert _querydr(client).is_paid


# End to end: the site's own payment, paid in the sandbox, its IPN to the site's IPN view ---


@pytest.fixture
def started(settings, citizen, agency):
    """A payment of `citizen`'s dossier waiting for its fee, started: (payment, pay URL)."""

    settings.PAYMENTS_SANDBOX_IPN_URL = ""  # the site's own payments:vnpay_ipn
    payment = PaymentFactory(
        dossier=payable_dossier(citizen, agency, amount=1_234_000),
        amount=1_234_000,
        state=Payment.State.CREATED,
        created_at=NOW,
        expires_at=NOW + timedelta(minutes=15),
    )
    return payment, actions.start_payment(payment=payment, ip="203.0.113.7", now=NOW)


def _pay_in_sandbox(client, url, **choices) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    data = _params(url) | {"bank": "NCB", "outcome": "00", "ipn": "normal"} | choices
    response = client.post(PAY_PATH, data)
    assert response.status_code == 302
    return _params(response.url)


def _deliver_all(client) -> list[str]:
    with transport.use(transport.client_transport(client)):
        return [job.task.call(*job.args, **job.kwargs) for job in _enqueued()]


def test_paid_in_the_sandbox_the_ipn_confirms_the_payment(client, started):
    payment, url = started

    returned = _pay_in_sandbox(client, url)
    answers = _deliver_all(client)

    assert answers == ["00"]
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert payment.transaction_no == returned["vnp_TransactionNo"]
    assert payment.dossier.status == Status.PROCESSING
    message = GatewayMessage.objects.get(kind="IPN")
    assert (message.answer, message.is_signature_valid) == ("00", True)


def test_a_duplicated_sandbox_ipn_credits_once(client, started):
    payment, url = started

    _pay_in_sandbox(client, url, ipn="twice")

    assert _deliver_all(client) == ["00", "02"]
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS and payment.receipt_number == 1
    assert AuditEntry.objects.filter(action="payments.settled").count() == 1


def test_cancelled_in_the_sandbox_the_payment_is_cancelled(client, started):
    payment, url = started

    _pay_in_sandbox(client, url, outcome="24")

    assert _deliver_all(client) == ["00"]
    payment.refresh_from_db()
    assert payment.state == Payment.State.CANCELLED


def test_without_ipn_the_payment_waits_and_querydr_knows_it_was_paid(client, started):
    payment, url = started

    _pay_in_sandbox(client, url, ipn="none")

    assert _enqueued() == []
    payment.refresh_from_db()
    assert payment.state == Payment.State.STARTED  # the return alone marks nothing
    assert _querydr(client, txn_ref=payment.txn_ref).is_paid


def test_merchant_api_needs_no_csrf_token_but_the_pay_page_does():
    strict = Client(enforce_csrf_checks=True)

    api = strict.post("/payments/sandbox/api", "{}", content_type="application/json")
    page = strict.post(PAY_PATH, _params(_pay_url()) | {"bank": "NCB", "outcome": "00"})

    assert api.status_code == 200 and api.json()["vnp_ResponseCode"] == "03"
    assert page.status_code == 403
