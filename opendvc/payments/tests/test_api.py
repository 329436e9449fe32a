"""The payments API: pay a dossier's fees with an Idempotency-Key, and read one's own payment."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client

from opendvc.accounts.tests.factories import bearer
from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import Status
from opendvc.payments.gateways import vnpay
from opendvc.payments.models import Payment
from opendvc.payments.tests.factories import PaymentFactory, payable_dossier

pytestmark = pytest.mark.django_db


def pay(client, dossier, headers, key="key-1", body=None):
    return client.post(
        f"/api/v1/dossiers/{dossier.code}/payments",
        body or {},
        content_type="application/json",
        headers={**headers, "Idempotency-Key": key} if key else headers,
    )


def test_applicant_creates_a_payment_and_gets_the_pay_url(client, citizen, agency, settings):
    dossier = payable_dossier(citizen, agency, amount=50_000)

    response = pay(client, dossier, bearer(citizen))

    assert response.status_code == 201
    body = response.json()
    payment = Payment.objects.get()
    assert body["id"] == payment.pk
    assert (body["state"], body["amount"], body["currency"]) == ("STARTED", 50_000, "VND")
    assert body["expires_at"].startswith(payment.expires_at.isoformat()[:16])
    params = dict(parse_qsl(urlsplit(body["pay_url"]).query))
    assert vnpay.verify(params, settings.VNPAY_HASH_SECRET)
    assert params["vnp_TxnRef"] == payment.txn_ref and params["vnp_Amount"] == "5000000"
    assert AuditEntry.objects.filter(action="payments.created", actor_id=citizen.pk).exists()


def test_a_replay_answers_200_with_the_same_payment(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    auth = bearer(citizen)

    first = pay(client, dossier, auth, key="same")
    again = pay(client, dossier, auth, key="same")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Payment.objects.count() == 1


def test_a_key_reused_with_another_body_answers_409(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    auth = bearer(citizen)
    pay(client, dossier, auth, key="same")

    response = pay(client, dossier, auth, key="same", body={"purpose": "OBLIGATION"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Payment.objects.count() == 1


def test_a_dossier_with_nothing_to_pay_answers_409(client, citizen, agency):
    dossier = payable_dossier(citizen, agency, status=Status.PROCESSING)

    response = pay(client, dossier, bearer(citizen))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "not_payable"
    assert not Payment.objects.exists()


def test_the_idempotency_key_is_required(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)

    response = pay(client, dossier, bearer(citizen), key=None)

    assert response.status_code == 422
    assert not Payment.objects.exists()


def test_another_citizen_gets_404_like_a_missing_dossier(client, citizen, other_citizen, agency):
    dossier = payable_dossier(citizen, agency)
    auth = bearer(other_citizen)

    theirs = pay(client, dossier, auth)
    missing = client.post(
        "/api/v1/dossiers/KHONG-CO/payments",
        {},
        content_type="application/json",
        headers={**auth, "Idempotency-Key": "k"},
    )

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
    assert not Payment.objects.exists()


def test_signing_in_is_required(client, citizen, agency):
    dossier = payable_dossier(citizen, agency)
    assert pay(Client(), dossier, {}).status_code == 401


def test_applicant_reads_their_payment(client, citizen, agency):
    payment = PaymentFactory(
        dossier=payable_dossier(citizen, agency),
        state=Payment.State.SUCCESS,
        receipt_year=2026,
        receipt_number=3,
    )

    response = client.get(f"/api/v1/payments/{payment.pk}", headers=bearer(citizen))

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["state"], body["amount"], body["currency"]) == (
        payment.pk,
        "SUCCESS",
        50_000,
        "VND",
    )
    assert (body["dossier_code"], body["receipt_number"], body["pay_url"]) == (
        payment.dossier.code,
        3,
        None,
    )
    assert body["lines"] == [{"kind": "CHARGE", "label": "Lệ phí", "amount": 50_000}]


def test_another_citizen_gets_404_for_a_payment(client, citizen, other_citizen, agency):
    payment = PaymentFactory(dossier=payable_dossier(citizen, agency))
    auth = bearer(other_citizen)

    theirs = client.get(f"/api/v1/payments/{payment.pk}", headers=auth)
    missing = client.get(f"/api/v1/payments/{payment.pk + 1000}", headers=auth)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json() == missing.json()
