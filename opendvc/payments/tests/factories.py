"""Payment test helpers: a dossier with a fee to pay, payments in any state, and the gateway's
messages signed (or not) as VNPay signs them."""

from datetime import timedelta

import factory

from opendvc.catalog.tests.factories import FeeFactory
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from opendvc.payments.gateways import vnpay
from opendvc.payments.models import Payment


def payable_dossier(citizen, agency, *, amount=50_000, status=Status.FINANCIAL_OBLIGATION, **kw):
    """A dossier of `citizen` at `agency` whose procedure has one catalog fee of `amount` VND."""
    dossier = DossierFactory(applicant=citizen, agency=agency, status=status, **kw)
    if amount is not None:
        FeeFactory(procedure=dossier.procedure, amount=amount, description="Lệ phí cấp phiếu")
    return dossier


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    dossier = factory.SubFactory(DossierFactory, status=Status.FINANCIAL_OBLIGATION)
    agency = factory.LazyAttribute(lambda o: o.dossier.agency)
    payer = factory.LazyAttribute(lambda o: o.dossier.applicant)
    created_by = factory.LazyAttribute(lambda o: o.dossier.applicant)
    purpose = Payment.Purpose.OBLIGATION
    state = Payment.State.STARTED
    amount = 50_000
    description = factory.LazyAttribute(lambda o: f"Thanh toan ho so {o.dossier.code}")
    lines = factory.LazyAttribute(
        lambda o: [{"fee": None, "kind": "CHARGE", "label": "Lệ phí", "amount": o.amount}]
    )
    txn_ref = factory.Sequence(lambda n: f"261123TEST{n:06d}")
    created_at = MONDAY
    started_at = factory.LazyAttribute(
        lambda o: MONDAY if o.state != Payment.State.CREATED else None
    )
    expires_at = MONDAY + timedelta(minutes=15)


def gateway_params(payment, *, paid=True, amount=None, response_code=None, **extra) -> dict:
    """What VNPay sends to the return URL and the IPN about `payment`, signed."""
    code = response_code or ("00" if paid else "51")
    params = {
        "vnp_TmnCode": vnpay.config().tmn_code,
        "vnp_Amount": str((payment.amount if amount is None else amount) * 100),
        "vnp_BankCode": "NCB",
        "vnp_CardType": "ATM",
        "vnp_OrderInfo": payment.description,
        "vnp_PayDate": "20261123091500",
        "vnp_ResponseCode": code,
        "vnp_TransactionNo": "14226112",
        "vnp_TransactionStatus": "00" if code == "00" else "02",
        "vnp_TxnRef": payment.txn_ref,
        **extra,
    }
    params["vnp_SecureHash"] = vnpay.sign(params, vnpay.config().hash_secret)
    return params


def result_for(payment, **kwargs) -> vnpay.GatewayResult:
    return vnpay.parse_result(gateway_params(payment, **kwargs))
