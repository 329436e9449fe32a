"""The staff payments pages (/can-bo/thanh-toan/): the agency's list with filters, totals and
paging, its CSV export, a payment's page with its gateway messages, and the refund form."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.audit.models import AuditEntry
from opendvc.payments.models import GatewayMessage, Payment, Reconciliation
from opendvc.payments.tests.test_receipts import NOW, make_payment, paid_dossier

pytestmark = pytest.mark.django_db
LIST = reverse("payments:staff_list")
CSV = reverse("payments:staff_csv")


def detail_url(payment) -> str:
    return reverse("payments:staff_detail", args=[payment.pk])


def refund_url(payment) -> str:
    return reverse("payments:staff_refund", args=[payment.pk])


def refs(response) -> list[str]:
    return [payment.txn_ref for payment in response.context["page"]]


# --- who sees the list --------------------------------------------------------------------


def test_the_list_shows_only_the_officials_agency(
    client, citizen, agency, other_agency, specialist
):
    # Given a payment of the agency and one of another agency
    ours = make_payment(paid_dossier(agency, citizen))
    theirs = make_payment(paid_dossier(other_agency, citizen))
    client.force_login(specialist)

    # When a specialist of the agency opens the payments list
    response = client.get(LIST)

    # Then only the agency's payment is listed
    assert response.status_code == 200
    assert refs(response) == [ours.txn_ref]
    assert theirs.txn_ref not in response.content.decode()


def test_citizens_get_404_and_visitors_are_sent_to_sign_in(client, citizen):
    assert client.get(LIST).status_code == 302
    client.force_login(citizen)
    for url in (LIST, CSV, reverse("payments:reconciliations")):
        assert client.get(url).status_code == 404


# --- filters, totals, paging --------------------------------------------------------------


def test_filters_by_state_day_and_dossier_code(client, citizen, agency, leader):
    # Given payments in several states, on two days
    dossier = paid_dossier(agency, citizen)
    paid = make_payment(dossier)
    failed = make_payment(dossier, state=Payment.State.FAILED)
    later = make_payment(
        paid_dossier(agency, citizen),
        state=Payment.State.EXPIRED,
        created_at=NOW + timedelta(days=3),
    )
    client.force_login(leader)

    # Then each filter keeps what it names
    assert refs(client.get(LIST, {"state": "FAILED"})) == [failed.txn_ref]
    day = (NOW + timedelta(days=3)).date().isoformat()
    assert refs(client.get(LIST, {"since": day})) == [later.txn_ref]
    first_day = NOW.date().isoformat()
    assert set(refs(client.get(LIST, {"until": first_day}))) == {paid.txn_ref, failed.txn_ref}
    assert set(refs(client.get(LIST, {"code": dossier.code.lower()}))) == {
        paid.txn_ref,
        failed.txn_ref,
    }


def test_an_invalid_range_is_explained_and_left_out(client, citizen, agency, leader):
    make_payment(paid_dossier(agency, citizen))
    client.force_login(leader)

    response = client.get(LIST, {"since": "2026-11-01", "until": "2026-10-01"})

    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert len(refs(response)) == 1


def test_totals_count_the_filtered_list_and_what_was_collected(client, citizen, agency, leader):
    dossier = paid_dossier(agency, citizen)
    make_payment(dossier, amount=50_000)
    make_payment(dossier, amount=120_000)
    make_payment(dossier, amount=70_000, state=Payment.State.FAILED)
    make_payment(dossier, amount=30_000, state=Payment.State.REFUNDED)
    client.force_login(leader)

    response = client.get(LIST)

    assert response.context["totals"] == {
        "count": 4,
        "total": 270_000,
        "paid_count": 2,
        "paid_amount": 170_000,
    }
    assert "2 khoản, 170.000 đ" in response.content.decode()


def test_the_list_takes_as_many_queries_for_a_full_page_as_for_three(
    client, citizen, agency, leader
):
    # Given three payments, counted; then forty more (two pages)
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    client.force_login(leader)
    for _ in range(3):
        make_payment(paid_dossier(agency, citizen))
    few = queries()
    for _ in range(40):
        make_payment(paid_dossier(agency, citizen))

    # Then the first page of 25 costs the same
    assert queries() == few
    response = client.get(LIST, {"page": 2})
    assert len(refs(response)) == 18


# --- CSV ----------------------------------------------------------------------------------


def test_csv_export_is_utf8_with_bom_and_integer_amounts(client, citizen, agency, leader):
    # Given a paid payment and a failed one
    dossier = paid_dossier(agency, citizen)
    paid = make_payment(dossier, amount=1_250_000, number=9)
    make_payment(dossier, state=Payment.State.FAILED)
    client.force_login(leader)

    # When the leader exports the paid ones
    response = client.get(CSV, {"state": "SUCCESS"})

    # Then the file opens in Excel with its Vietnamese, and the amount is a plain integer
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Mã tham chiếu",
        "Mã hồ sơ",
        "Thủ tục",
        "Người nộp hồ sơ",
        "Cơ quan thu",
        "Số tiền (đồng)",
    ]
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == paid.txn_ref
    assert row[1] == dossier.code
    assert row[4] == "Sở Tư pháp tỉnh Bắc Ninh"
    assert row[5] == "1250000"
    assert row[6] == "Đã thanh toán"
    assert row[-1] == "9/2026"


def test_csv_export_leaves_out_other_agencies(
    client, citizen, agency, other_agency, other_agency_officer
):
    make_payment(paid_dossier(agency, citizen))
    theirs = make_payment(paid_dossier(other_agency, citizen))
    client.force_login(other_agency_officer)

    rows = list(csv.reader(io.StringIO(client.get(CSV).content.decode("utf-8-sig"))))

    assert [row[0] for row in rows[1:]] == [theirs.txn_ref]


# --- a payment's page ---------------------------------------------------------------------


def test_the_payment_page_lists_its_gateway_messages(client, citizen, agency, specialist):
    payment = make_payment(paid_dossier(agency, citizen))
    GatewayMessage.objects.create(
        payment=payment,
        kind=GatewayMessage.Kind.IPN,
        at=NOW,
        params={"vnp_TxnRef": payment.txn_ref, "vnp_ResponseCode": "00"},
        is_signature_valid=True,
        answer="00",
    )
    GatewayMessage.objects.create(
        payment=payment,
        kind=GatewayMessage.Kind.RETURN,
        at=NOW,
        params={},
        is_signature_valid=False,
    )
    client.force_login(specialist)

    response = client.get(detail_url(payment))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Thông báo kết quả (IPN)" in page
    assert "vnp_ResponseCode" in page
    assert "Không hợp lệ" in page
    assert reverse("payments:staff_receipt", args=[payment.pk]) in page
    # A specialist is not offered the refund
    assert refund_url(payment) not in page


def test_another_agencys_payment_page_is_404(client, citizen, agency, other_agency_officer):
    payment = make_payment(paid_dossier(agency, citizen))
    client.force_login(other_agency_officer)

    assert client.get(detail_url(payment)).status_code == 404
    assert client.post(refund_url(payment), {"reason": "x"}).status_code == 404


def test_the_leader_is_offered_the_refund_of_a_paid_payment_only(client, citizen, agency, leader):
    dossier = paid_dossier(agency, citizen)
    paid = make_payment(dossier)
    failed = make_payment(dossier, state=Payment.State.FAILED)
    client.force_login(leader)

    assert refund_url(paid) in client.get(detail_url(paid)).content.decode()
    assert refund_url(failed) not in client.get(detail_url(failed)).content.decode()


# --- reconciliation reports ---------------------------------------------------------------


def test_reconciliation_reports_show_only_the_agencys_mismatches(
    client, citizen, agency, other_agency, leader
):
    ours = make_payment(paid_dossier(agency, citizen))
    Reconciliation.objects.create(
        started_at=NOW,
        finished_at=NOW + timedelta(seconds=5),
        day=NOW.date(),
        checked=4,
        settled=1,
        mismatches=[
            {
                "txn_ref": ours.txn_ref,
                "payment": ours.pk,
                "agency": agency.pk,
                "ours": "FAILED",
                "gateway": {"response_code": "00", "transaction_status": "00", "amount_vnd": 50000},
                "what": "Cổng báo đã thanh toán, hệ thống ghi không thành công",
            },
            {
                "txn_ref": "THEIRS1",
                "payment": None,
                "agency": other_agency.pk,
                "ours": "STARTED",
                "gateway": None,
                "what": "khác",
            },
        ],
    )
    client.force_login(leader)

    response = client.get(reverse("payments:reconciliations"))

    page = response.content.decode()
    assert response.status_code == 200
    assert ours.txn_ref in page
    assert "Cổng báo đã thanh toán" in page
    assert "THEIRS1" not in page


def test_the_officials_of_the_agency_see_the_payment_whatever_their_role(client, citizen, agency):
    payment = make_payment(paid_dossier(agency, citizen))
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN")])
    client.force_login(admin)

    assert client.get(detail_url(payment)).status_code == 200


# --- refunds ------------------------------------------------------------------------------


@pytest.fixture
def refunds(monkeypatch):
    """The gateway's refund API replaced at the adapter's edge: it answers `answers[-1]` and
    keeps what it was asked."""
    from opendvc.payments.gateways import vnpay

    calls: list[dict] = []
    answers = [vnpay.RefundResult(response_code="00", transaction_no="14229999", ok=True)]

    def refund(cfg, **kwargs):
        calls.append(kwargs)
        return answers[-1]

    monkeypatch.setattr(vnpay, "refund", refund)
    return type("Refunds", (), {"calls": calls, "answers": answers})


def test_the_leader_refunds_a_paid_payment_with_a_reason(client, citizen, agency, leader, refunds):
    # Given a paid payment
    payment = make_payment(paid_dossier(agency, citizen), amount=50_000)
    client.force_login(leader)

    # When the leader refunds it with a reason
    response = client.post(refund_url(payment), {"reason": "Nộp trùng hai lần"}, follow=True)

    # Then it is refunded through the gateway, recorded and audited, and the page says so
    assert response.redirect_chain == [(detail_url(payment), 302)]
    assert "Đã hoàn tiền khoản thanh toán." in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == Payment.State.REFUNDED
    assert payment.refund_reason == "Nộp trùng hai lần"
    assert payment.refunded_by == leader
    assert [call["amount_vnd"] for call in refunds.calls] == [50_000]
    entry = AuditEntry.objects.get(action="payments.refunded", target_id=str(payment.pk))
    assert entry.actor_id == leader.pk
    assert entry.payload["reason"] == "Nộp trùng hai lần"


def test_a_refund_without_a_reason_is_refused(client, citizen, agency, leader, refunds):
    payment = make_payment(paid_dossier(agency, citizen))
    client.force_login(leader)

    response = client.post(refund_url(payment), {"reason": "  "}, follow=True)

    assert "Hãy nhập lý do hoàn tiền." in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert refunds.calls == []


def test_a_specialist_cannot_refund(client, citizen, agency, specialist, refunds):
    payment = make_payment(paid_dossier(agency, citizen))
    client.force_login(specialist)

    response = client.post(refund_url(payment), {"reason": "Nhầm"}, follow=True)

    assert "Bạn không thể hoàn tiền khoản thanh toán này." in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert not AuditEntry.objects.filter(action="payments.refunded").exists()


def test_a_refund_the_gateway_refuses_changes_nothing_and_says_why(
    client, citizen, agency, leader, refunds
):
    from opendvc.payments.gateways import vnpay

    refunds.answers.append(vnpay.RefundResult(response_code="94", transaction_no="", ok=False))
    payment = make_payment(paid_dossier(agency, citizen))
    client.force_login(leader)

    response = client.post(refund_url(payment), {"reason": "Nộp trùng"}, follow=True)

    assert "mã 94" in response.content.decode()
    payment.refresh_from_db()
    assert payment.state == Payment.State.SUCCESS
    assert GatewayMessage.objects.filter(payment=payment, kind=GatewayMessage.Kind.REFUND).exists()


def test_the_refund_form_is_post_only(client, citizen, agency, leader):
    payment = make_payment(paid_dossier(agency, citizen))
    client.force_login(leader)

    assert client.get(refund_url(payment)).status_code == 405


def test_csv_export_keeps_an_applicants_formula_as_text(client, citizen, agency, leader):
    # Given an applicant whose name was typed as a spreadsheet formula
    dossier = paid_dossier(agency, citizen, applicant_name='=HYPERLINK("http://x.example","An")')
    make_payment(dossier)
    client.force_login(leader)

    # When the list is exported
    rows = list(csv.reader(io.StringIO(client.get(CSV).content.decode("utf-8-sig"))))

    # Then the cell is text a spreadsheet shows, not a formula it runs
    assert rows[1][3] == '\'=HYPERLINK("http://x.example","An")'
