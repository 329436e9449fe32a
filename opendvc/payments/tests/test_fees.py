"""What a dossier must pay: catalog fees for the online channel, the agency's amounts where the
province decides, nothing when it is all zero; and the administrator's fee page."""

import pytest
from django.urls import reverse

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.audit.models import AuditEntry
from opendvc.catalog.models import Fee
from opendvc.catalog.tests.factories import FeeFactory
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from opendvc.payments import actions, fees
from opendvc.payments.models import AgencyFee, PrepaymentRule
from opendvc.payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db
PROVINCE = "Mức thu theo Nghị quyết của HĐND tỉnh"


def _dossier(agency, *fee_specs):
    dossier = DossierFactory(agency=agency, status=6)
    for position, spec in enumerate(fee_specs):
        FeeFactory(procedure=dossier.procedure, position=position, **spec)
    return dossier


def test_fixed_fees_are_the_lines_and_their_sum_the_total(agency):
    dossier = _dossier(
        agency,
        {"amount": 50_000, "description": "Lệ phí cấp phiếu"},
        {"amount": 20_000, "description": "Phí thẩm định", "kind": Fee.Kind.FEE},
    )

    bill = fees.bill_for(dossier)

    assert [(line.label, line.amount) for line in bill.lines] == [
        ("Lệ phí cấp phiếu", 50_000),
        ("Phí thẩm định", 20_000),
    ]
    assert bill.total == 70_000
    assert bill.is_payable


def test_a_fee_the_province_decides_takes_the_agency_amount(agency, other_agency, citizen):
    dossier = _dossier(agency, {"amount": 0, "description": PROVINCE})
    fee = dossier.procedure.fees.get()
    AgencyFee.objects.create(agency=agency, fee=fee, amount=30_000, set_at=MONDAY, set_by=citizen)
    AgencyFee.objects.create(
        agency=other_agency, fee=fee, amount=99_000, set_at=MONDAY, set_by=citizen
    )

    bill = fees.bill_for(dossier)

    assert bill.total == 30_000
    assert bill.lines[0].fee == fee.pk
    assert bill.is_payable


def test_a_fee_the_province_decides_without_agency_amount_cannot_be_paid(agency):
    dossier = _dossier(
        agency, {"amount": 10_000, "description": "Lệ phí"}, {"amount": 0, "description": PROVINCE}
    )

    bill = fees.bill_for(dossier)

    assert bill.unset == [PROVINCE]
    assert not bill.is_payable


def test_zero_fees_mean_nothing_to_pay(agency):
    dossier = _dossier(agency, {"amount": 0, "description": ""})

    bill = fees.bill_for(dossier)

    assert bill.lines == [] and bill.total == 0
    assert not bill.is_payable


def test_an_agency_may_set_a_province_fee_to_zero(agency, citizen):
    dossier = _dossier(agency, {"amount": 0, "description": PROVINCE})
    fee = dossier.procedure.fees.get()
    AgencyFee.objects.create(agency=agency, fee=fee, amount=0, set_at=MONDAY, set_by=citizen)

    bill = fees.bill_for(dossier)

    assert bill.unset == [] and bill.total == 0 and not bill.is_payable


def test_where_the_catalog_lists_channels_the_online_amount_applies(agency):
    dossier = _dossier(
        agency,
        {"amount": 100_000, "description": "Lệ phí nộp trực tiếp", "channel": "DIRECT"},
        {"amount": 50_000, "description": "Lệ phí nộp trực tuyến", "channel": "ONLINE"},
    )

    assert fees.bill_for(dossier).total == 50_000


def test_fees_of_one_other_channel_count_once(agency):
    dossier = _dossier(
        agency,
        {"amount": 100_000, "description": "Lệ phí", "channel": "DIRECT"},
        {"amount": 100_000, "description": "Lệ phí", "channel": "POSTAL"},
    )

    assert fees.bill_for(dossier).total == 100_000


# The administrator's fee page -----------------------------------------------------------------


def test_agency_admin_sets_a_province_fee_amount(client, agency):
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 0, "description": PROVINCE})
    fee = dossier.procedure.fees.get()
    client.force_login(admin)

    page = client.get(reverse("payments:agency_fees"), {"thu_tuc": dossier.procedure.code})
    response = client.post(
        reverse("payments:set_agency_fee"), {"co_quan": agency.pk, "fee": fee.pk, "amount": 25000}
    )

    assert page.status_code == 200
    assert PROVINCE in page.content.decode()
    assert response.status_code == 302
    row = AgencyFee.objects.get(agency=agency, fee=fee)
    assert (row.amount, row.set_by) == (25_000, admin)
    entry = AuditEntry.objects.get(action="payments.agency_fee_set")
    assert entry.actor_id == admin.pk and entry.payload["amount"] == 25_000
    assert fees.bill_for(dossier).total == 25_000


def test_a_fixed_catalog_fee_cannot_be_overridden(client, agency):
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 50_000, "description": "Lệ phí"})
    client.force_login(admin)

    response = client.post(
        reverse("payments:set_agency_fee"),
        {"co_quan": agency.pk, "fee": dossier.procedure.fees.get().pk, "amount": 1},
        follow=True,
    )

    assert "đã có mức thu" in response.content.decode()
    assert not AgencyFee.objects.exists()


def test_a_negative_amount_is_refused(client, agency):
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 0, "description": PROVINCE})
    client.force_login(admin)

    response = client.post(
        reverse("payments:set_agency_fee"),
        {"co_quan": agency.pk, "fee": dossier.procedure.fees.get().pk, "amount": -5},
        follow=True,
    )

    assert "không được âm" in response.content.decode()
    assert not AgencyFee.objects.exists()


def test_other_staff_get_404_on_the_fee_page(client, agency, leader, other_agency):
    other_admin = OfficialFactory(roles=[(other_agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 0, "description": PROVINCE})
    fee = dossier.procedure.fees.get()

    client.force_login(leader)
    assert client.get(reverse("payments:agency_fees")).status_code == 404
    client.force_login(other_admin)
    response = client.post(
        reverse("payments:set_agency_fee"), {"co_quan": agency.pk, "fee": fee.pk, "amount": 1}
    )

    assert response.status_code == 404
    assert not AgencyFee.objects.exists()


def test_an_administrator_says_an_agency_collects_before_reception(client, superuser, agency):
    # Given a procedure of the agency, with a fee
    dossier = _dossier(agency, {"amount": 50_000, "description": "Lệ phí"})
    client.force_login(superuser)

    # When the rule is added in the site administration
    response = client.post(
        reverse("admin:payments_prepaymentrule_add"),
        {"agency": agency.pk, "procedure": dossier.procedure.pk},
    )

    # Then it is kept, audited, and the procedure's dossiers are payable from status 1
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = PrepaymentRule.objects.get()
    assert rule.set_by == superuser
    entry = AuditEntry.objects.get(action="payments.prepaymentrule_created")
    assert entry.target_id == str(rule.pk) and entry.actor_id == superuser.pk
    dossier.status = 1
    assert actions.purpose_now(dossier) == "BEFORE_RECEPTION"


def test_payments_are_read_only_in_the_site_administration(client, superuser, agency, citizen):
    payment = PaymentFactory(dossier=_dossier(agency, {"amount": 50_000}))
    client.force_login(superuser)

    listing = client.get(reverse("admin:payments_payment_changelist"))
    change = client.post(reverse("admin:payments_payment_change", args=[payment.pk]), {"amount": 1})

    assert listing.status_code == 200 and payment.txn_ref in listing.content.decode()
    assert change.status_code == 403
    payment.refresh_from_db()
    assert payment.amount == 50_000


def test_agency_admin_collects_a_procedures_fees_before_reception(client, agency, citizen):
    # Given the agency's administrator and a filed dossier of a procedure with a fee
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 50_000, "description": "Lệ phí"})
    dossier.status, dossier.applicant = 1, citizen
    dossier.save()
    client.force_login(admin)
    url = reverse("payments:set_prepayment")

    # When they tick "collect before reception", and later untick it
    on = client.post(
        url, {"co_quan": agency.pk, "procedure": dossier.procedure.pk, "collect_before": "on"}
    )
    payable = actions.purpose_now(dossier)
    page = client.get(reverse("payments:agency_fees"), {"thu_tuc": dossier.procedure.code})
    off = client.post(url, {"co_quan": agency.pk, "procedure": dossier.procedure.pk})

    # Then the dossier was payable in status 1 while the rule held, and both were audited
    assert (on.status_code, off.status_code) == (302, 302)
    assert payable == "BEFORE_RECEPTION"
    assert 'id="id_collect_before" checked' in page.content.decode()
    assert not PrepaymentRule.objects.exists()
    with pytest.raises(actions.NotPayable):
        actions.purpose_now(dossier)
    entries = AuditEntry.objects.filter(action="payments.prepayment_rule_set").order_by("pk")
    assert [e.payload["collect_before"] for e in entries] == [True, False]


def test_only_the_agency_admin_sets_the_rule(client, agency, leader, other_agency):
    other_admin = OfficialFactory(roles=[(other_agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 50_000})
    data = {"co_quan": agency.pk, "procedure": dossier.procedure.pk, "collect_before": "on"}

    for someone in (leader, other_admin):
        client.force_login(someone)
        assert client.post(reverse("payments:set_prepayment"), data).status_code == 404

    assert not PrepaymentRule.objects.exists()


# Per-copy fees -------------------------------------------------------------------------------

COPIES = {"de_nghi_cap_ban_sao": "Có", "so_luong_ban_sao": 3}


def test_a_catalog_fee_for_copies_counts_the_copies_asked_for(agency):
    # 1.000578's real fee: "Cấp bản sao trích lục hộ tịch", 8.000 đồng each.
    dossier = _dossier(agency, {"amount": 8_000, "description": "Cấp bản sao trích lục hộ tịch"})
    dossier.form_data = COPIES
    dossier.save()

    bill = fees.bill_for(dossier)

    assert [(line.label, line.amount) for line in bill.lines] == [
        ("Cấp bản sao trích lục hộ tịch (× 3 bản)", 24_000)
    ]


def test_no_copies_asked_for_means_nothing_to_pay_for_copies(agency):
    dossier = _dossier(
        agency,
        {"amount": 8_000, "description": "Cấp bản sao trích lục hộ tịch"},
        {"amount": 5_000, "description": "Lệ phí đăng ký"},
    )
    dossier.form_data = {"de_nghi_cap_ban_sao": "Không", "so_luong_ban_sao": 3}
    dossier.save()

    assert [line.amount for line in fees.bill_for(dossier).lines] == [5_000]


def test_the_agency_admin_sets_an_amount_per_copy(client, agency):
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN")])
    dossier = _dossier(agency, {"amount": 0, "description": PROVINCE})
    dossier.form_data = COPIES
    dossier.save()
    fee = dossier.procedure.fees.get()
    client.force_login(admin)

    client.post(
        reverse("payments:set_agency_fee"),
        {"co_quan": agency.pk, "fee": fee.pk, "amount": 10000, "per_copy": "on"},
    )

    assert AgencyFee.objects.get(fee=fee).is_per_copy
    assert fees.bill_for(dossier).total == 30_000
    assert AuditEntry.objects.get(action="payments.agency_fee_set").payload["per_copy"] is True
