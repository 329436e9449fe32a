"""The electronic receipt (biên lai điện tử): its amount in Vietnamese words, its PDF, and who
may download it (the applicant, the collecting agency's officials; others get 404)."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse

from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from opendvc.dossiers.tests.test_slips import pdf_text
from opendvc.payments.models import Payment
from opendvc.payments.receipts import amount_in_words

NOW = MONDAY + timedelta(hours=2)
_refs = count(1)


def make_payment(dossier, *, state=Payment.State.SUCCESS, amount=50_000, number=None, **extra):
    """A payment of `dossier`'s agency as the payment actions leave it in `state`: a paid one
    has the gateway's transaction and a receipt number (the next of a test-local count)."""
    paid = state in (Payment.State.SUCCESS, Payment.State.REFUNDED)
    ref = next(_refs)
    fields = {
        "dossier": dossier,
        "agency": dossier.agency,
        "payer": dossier.applicant,
        "purpose": Payment.Purpose.OBLIGATION,
        "state": state,
        "amount": amount,
        "description": f"Thanh toan ho so {dossier.code}",
        "lines": [{"fee": None, "kind": "FEE", "label": "Lệ phí đăng ký", "amount": amount}],
        "txn_ref": f"T{ref:08d}",
        "created_at": NOW,
        "expires_at": NOW + timedelta(minutes=15),
    }
    if paid:
        fields |= {
            "started_at": NOW,
            "paid_at": NOW + timedelta(minutes=2),
            "transaction_no": f"1400{ref:04d}",
            "bank_code": "NCB",
            "card_type": "ATM",
            "response_code": "00",
            "transaction_status": "00",
            "pay_date": "20260105100200",
            "receipt_year": 2026,
            "receipt_number": number or ref,
        }
    return Payment.objects.create(**(fields | extra))


def paid_dossier(agency, citizen, **kwargs):
    return DossierFactory(
        status=Status.PROCESSING,
        agency=agency,
        applicant=citizen,
        case__procedure__code="1.001193",
        case__procedure__name="Thủ tục đăng ký khai sinh",
        **kwargs,
    )


def receipt_url(payment) -> str:
    return reverse("payments:receipt", args=[payment.dossier.code, payment.pk])


def staff_receipt_url(payment) -> str:
    return reverse("payments:staff_receipt", args=[payment.pk])


# --- amounts in words ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (50_000, "Năm mươi nghìn đồng"),
        (110_000, "Một trăm mười nghìn đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (1_250_000, "Một triệu hai trăm năm mươi nghìn đồng"),
        (2_000_000_000, "Hai tỷ đồng"),
        (3_005_000_100, "Ba tỷ không trăm linh năm triệu một trăm đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_are_written_in_vietnamese_words(amount, words):
    assert amount_in_words(amount) == words


def test_a_negative_amount_has_no_words():
    with pytest.raises(ValueError):
        amount_in_words(-1)


# --- the PDF ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_applicant_downloads_the_receipt_with_everything_it_must_say(client, citizen, agency):
    # Given a dossier whose fee of 50,000 đ was paid online, receipt number 7 of 2026
    dossier = paid_dossier(agency, citizen)
    payment = make_payment(dossier, number=7)
    client.force_login(citizen)

    # When the applicant downloads the receipt
    response = client.get(receipt_url(payment))

    # Then it is a PDF with the heading, title, number, payer, dossier, amounts and gateway
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert 'filename="bien-lai-2026-7.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "SỞ TƯ PHÁP TỈNH BẮC NINH",
        "BIÊN LAI THU PHÍ, LỆ PHÍ (ĐIỆN TỬ)",
        "7/2026",
        "Nguyễn Văn An",
        dossier.code,
        "1.001193 – Thủ tục đăng ký khai sinh",
        "Lệ phí đăng ký",
        "50.000 đ",
        "Năm mươi nghìn đồng",
        payment.transaction_no,
        "NCB",
        "23/11/2026 11:02",  # paid at, local time: MONDAY 09:00 + 2 h 2 min
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_a_refunded_payment_keeps_its_receipt_and_says_it_was_refunded(client, citizen, agency):
    dossier = paid_dossier(agency, citizen)
    payment = make_payment(
        dossier, state=Payment.State.REFUNDED, refunded_at=NOW + timedelta(days=1)
    )
    client.force_login(citizen)

    response = client.get(receipt_url(payment))

    assert response.status_code == 200
    assert "Đã hoàn tiền" in pdf_text(response.content)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "state",
    [Payment.State.CREATED, Payment.State.STARTED, Payment.State.FAILED, Payment.State.EXPIRED],
)
def test_an_unpaid_payment_has_no_receipt(client, citizen, agency, leader, state):
    dossier = paid_dossier(agency, citizen)
    payment = make_payment(dossier, state=state)

    client.force_login(citizen)
    assert client.get(receipt_url(payment)).status_code == 404
    client.force_login(leader)
    assert client.get(staff_receipt_url(payment)).status_code == 404


@pytest.mark.django_db
def test_a_paid_payment_without_a_number_has_no_receipt(client, citizen, agency):
    dossier = paid_dossier(agency, citizen)
    payment = make_payment(dossier, receipt_number=None, receipt_year=None)
    client.force_login(citizen)

    assert client.get(receipt_url(payment)).status_code == 404


# --- who may download it ------------------------------------------------------------------


@pytest.mark.django_db
def test_another_citizen_gets_404_for_the_receipt(client, citizen, other_citizen, agency):
    payment = make_payment(paid_dossier(agency, citizen))
    client.force_login(other_citizen)

    assert client.get(receipt_url(payment)).status_code == 404


@pytest.mark.django_db
def test_the_receipt_is_only_under_its_own_dossier(client, citizen, agency):
    # Given two paid dossiers of the same applicant
    first = make_payment(paid_dossier(agency, citizen))
    second_dossier = paid_dossier(agency, citizen)
    client.force_login(citizen)

    # When the first payment is asked for under the second dossier's code
    url = reverse("payments:receipt", args=[second_dossier.code, first.pk])

    # Then it does not exist there
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client, citizen, agency):
    payment = make_payment(paid_dossier(agency, citizen))

    response = client.get(receipt_url(payment))

    assert response.status_code == 302
    assert "/tai-khoan/" in response["Location"]


@pytest.mark.django_db
def test_every_official_of_the_agency_downloads_the_receipt(
    client, citizen, agency, desk_officer, specialist, leader
):
    payment = make_payment(paid_dossier(agency, citizen), number=3)

    for official in (desk_officer, specialist, leader):
        client.force_login(official)
        response = client.get(staff_receipt_url(payment))
        assert response.status_code == 200
        assert "3/2026" in pdf_text(response.content)


@pytest.mark.django_db
def test_officials_of_another_agency_and_citizens_get_404_for_the_staff_receipt(
    client, citizen, agency, other_agency_officer
):
    payment = make_payment(paid_dossier(agency, citizen))

    client.force_login(other_agency_officer)
    assert client.get(staff_receipt_url(payment)).status_code == 404
    client.force_login(citizen)
    assert client.get(staff_receipt_url(payment)).status_code == 404
