"""Legal time on dossiers: due dates from the calendar, supplements pause the clock, one apology."""

from datetime import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError

from opendvc.catalog.tests.factories import CaseFactory
from opendvc.dossiers import actions
from opendvc.dossiers.models import Apology, Dossier, Status, SupplementRequest
from opendvc.dossiers.tests.factories import VN, DossierFactory


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def _new(agency, citizen, submitted_at, amount=5, unit="WORKING_DAY") -> Dossier:
    case = CaseFactory(processing_amount=amount, processing_unit=unit)
    return DossierFactory(
        status=Status.NEW, agency=agency, applicant=citizen, case=case, submitted_at=submitted_at
    )


def test_accepting_sets_reception_and_due_from_the_case(agency, citizen, desk_officer):
    # Submitted Friday 20/11/2026 at 18:00, after office hours: received Monday 23/11 07:30.
    # Five working days, the reception day not counted and Tuesday 24/11 (Vietnamese Culture
    # Day) a day off: 25, 26, 27, 30/11 and 1/12, ending at 17:00.
    dossier = _new(agency, citizen, at(20, 18))

    actions.accept_dossier(dossier=dossier, by=desk_officer, now=at(23, 8))

    dossier.refresh_from_db()
    assert dossier.received_at == at(23, 7, 30)
    assert dossier.due_at == dossier.original_due_at == at(1, 17, month=12)


def test_a_submission_in_office_hours_is_received_when_made(agency, citizen, desk_officer):
    dossier = _new(agency, citizen, at(25, 10, 15), amount=Decimal("3"), unit="DAY")

    actions.accept_dossier(dossier=dossier, by=desk_officer, now=at(25, 11))

    dossier.refresh_from_db()
    assert dossier.received_at == at(25, 10, 15)
    # Three calendar days after Wednesday 25/11 is Saturday 28/11: moved to Monday 30/11.
    assert dossier.due_at == at(30, 17)


@pytest.mark.parametrize("amount,unit", [(None, "WORKING_DAY"), (Decimal("5"), "OTHER")])
def test_a_case_without_a_legal_time_has_no_due_moment(amount, unit, agency, citizen, desk_officer):
    dossier = _new(agency, citizen, at(24, 10), amount=amount, unit=unit)

    actions.accept_dossier(dossier=dossier, by=desk_officer, now=at(24, 11))

    dossier.refresh_from_db()
    assert (dossier.status, dossier.due_at) == (Status.RECEIVED, None)
    assert not Dossier.objects.overdue(now=at(24, 11, month=12)).exists()


def _processing(agency, citizen, desk_officer) -> Dossier:
    dossier = _new(agency, citizen, at(23, 9))
    actions.accept_dossier(dossier=dossier, by=desk_officer, now=at(23, 9, 5))
    actions.forward_for_processing(dossier=dossier, by=desk_officer, now=at(23, 10))
    return dossier  # received Monday 23/11 09:00, due Tuesday 1/12 17:00


SUPPLEMENT = [{"component": None, "code": "INVALID", "note": "Bản sao chưa chứng thực"}]


def test_a_supplement_freezes_the_working_days_left(agency, citizen, desk_officer, specialist):
    dossier = _processing(agency, citizen, desk_officer)

    # Wednesday 25/11: Thursday 26, Friday 27, Monday 30/11 and Tuesday 1/12 are left.
    actions.request_supplement(dossier=dossier, by=specialist, reasons=SUPPLEMENT, now=at(25, 10))

    dossier.refresh_from_db()
    assert dossier.status == Status.SUPPLEMENT
    assert (dossier.working_days_left, dossier.due_at, dossier.paused_at) == (4, None, at(25, 10))
    request = SupplementRequest.objects.get(dossier=dossier)
    assert (request.from_status, request.working_days_left) == (Status.PROCESSING, 4)
    assert request.due_at_before == at(1, 17, month=12)
    assert request.reasons == SUPPLEMENT
    assert not Dossier.objects.overdue(now=at(1, 9, month=12)).exists()


def test_resubmission_restarts_the_clock_from_the_new_reception(
    agency, citizen, desk_officer, specialist
):
    dossier = _processing(agency, citizen, desk_officer)
    actions.request_supplement(dossier=dossier, by=specialist, reasons=SUPPLEMENT, now=at(25, 10))

    # Wednesday 2/12 at 20:00 is after hours: received again Thursday 3/12 07:30; the four
    # working days left run 4, 7, 8 and 9/12, ending Wednesday 9/12 at 17:00.
    actions.resubmit_supplement(dossier=dossier, by=citizen, now=at(2, 20, month=12))

    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert dossier.due_at == at(9, 17, month=12)
    assert dossier.original_due_at == at(1, 17, month=12)
    assert (dossier.working_days_left, dossier.paused_at) == (None, None)
    assert (dossier.supplement_count, dossier.resubmission_count) == (1, 1)
    request = SupplementRequest.objects.get(dossier=dossier)
    assert request.answered_at == at(2, 20, month=12)
    assert request.resumed_at == at(3, 7, 30, month=12)
    assert request.answered_by == citizen


def test_a_second_supplement_request_counts_as_late_for_766(
    agency, citizen, desk_officer, specialist, leader
):
    dossier = _processing(agency, citizen, desk_officer)
    for day in (24, 26):
        actions.request_supplement(
            dossier=dossier, by=specialist, reasons=SUPPLEMENT, now=at(day, 10)
        )
        actions.resubmit_supplement(dossier=dossier, by=citizen, now=at(day, 14))

    actions.complete_step(dossier=dossier, by=specialist, now=at(27, 8))
    actions.finish_dossier(dossier=dossier, by=leader, summary="Đã cấp", now=at(27, 9))

    assert dossier.finished_at < dossier.due_at  # on time by the clock…
    assert list(Dossier.objects.late_for_766()) == [dossier]  # …but late for Decision 766


@pytest.mark.parametrize(
    "reasons,message",
    [
        ([], "ít nhất một lý do"),
        ([{"component": None, "code": "NOPE"}], "lý do yêu cầu bổ sung hợp lệ"),
        ([{"component": None, "code": "OTHER", "note": " "}], "ghi rõ"),
    ],
)
def test_a_supplement_request_needs_coded_reasons(reasons, message, agency, citizen, specialist):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    with pytest.raises(actions.InvalidRequest, match=message):
        actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=at(25, 9))
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING and not dossier.supplements.exists()


def test_a_supplement_reason_names_a_component_of_this_dossier(agency, citizen, specialist):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    own = dossier.components.create(name="Tờ khai")
    foreign = DossierFactory(agency=agency).components.create(name="Tờ khai khác")

    with pytest.raises(actions.InvalidRequest):
        actions.request_supplement(
            dossier=dossier,
            by=specialist,
            reasons=[{"component": foreign.pk, "code": "MISSING"}],
            now=at(25, 9),
        )
    actions.request_supplement(
        dossier=dossier,
        by=specialist,
        reasons=[{"component": own.pk, "code": "MISSING"}],
        now=at(25, 9),
    )
    assert dossier.supplements.get().reasons == [
        {"component": own.pk, "code": "MISSING", "note": ""}
    ]


def test_only_one_supplement_request_is_open_at_a_time(agency, citizen):
    dossier = DossierFactory(status=Status.SUPPLEMENT, agency=agency, applicant=citizen)
    with pytest.raises(IntegrityError):
        SupplementRequest.objects.create(
            dossier=dossier,
            requested_at=at(25, 9),
            requested_by=citizen,
            from_status=Status.RECEIVED,
        )


def test_withdrawing_while_paused_closes_the_open_request(agency, citizen):
    dossier = DossierFactory(status=Status.SUPPLEMENT, agency=agency, applicant=citizen)

    actions.withdraw_dossier(dossier=dossier, by=citizen, now=at(26, 9))

    dossier.refresh_from_db()
    assert (dossier.status, dossier.closed_at, dossier.paused_at) == (
        Status.WITHDRAWN,
        at(26, 9),
        None,
    )
    assert dossier.supplements.get().answered_at == at(26, 9)


def test_an_apology_sets_a_new_due_moment_once(agency, citizen, desk_officer, leader):
    dossier = _processing(agency, citizen, desk_officer)

    apology = actions.issue_apology(
        dossier=dossier,
        by=leader,
        reason="Chờ xác minh",
        new_due_at=at(4, 17, month=12),
        now=at(30, 16),
    )

    dossier.refresh_from_db()
    assert dossier.due_at == at(4, 17, month=12)
    assert dossier.original_due_at == apology.previous_due_at == at(1, 17, month=12)
    with pytest.raises(actions.IllegalTransition, match="một lần"):
        actions.issue_apology(
            dossier=dossier,
            by=leader,
            reason="Lần nữa",
            new_due_at=at(11, 17, month=12),
            now=at(1, 9, month=12),
        )
    dossier.refresh_from_db()
    assert dossier.due_at == at(4, 17, month=12)
    assert Apology.objects.filter(dossier=dossier).count() == 1


def test_the_database_holds_one_apology_per_dossier(agency, citizen, leader):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    fields = {
        "issued_at": at(25, 9),
        "issued_by": leader,
        "reason": "Chậm",
        "new_due_at": at(27, 17),
    }
    Apology.objects.create(dossier=dossier, **fields)
    with pytest.raises(IntegrityError):
        Apology.objects.create(dossier=dossier, **fields)


@pytest.mark.parametrize(
    "reason,new_due",
    [(" ", at(4, 17, month=12)), ("Chậm", at(25, 8)), ("Chậm", at(30, 16))],
    ids=["no reason", "before now", "before the old due"],
)
def test_an_apology_needs_a_reason_and_a_later_due(
    reason, new_due, agency, citizen, desk_officer, leader
):
    dossier = _processing(agency, citizen, desk_officer)
    with pytest.raises(actions.InvalidRequest):
        actions.issue_apology(
            dossier=dossier, by=leader, reason=reason, new_due_at=new_due, now=at(25, 9)
        )
    assert not Apology.objects.exists()


def test_overdue_and_due_soon(agency, citizen, desk_officer):
    dossier = _processing(agency, citizen, desk_officer)  # due Tuesday 1/12 17:00
    late = at(1, 17, 1, month=12)

    assert list(Dossier.objects.due_soon(now=at(30, 9), days=2)) == [dossier]
    assert not Dossier.objects.due_soon(now=at(26, 9), days=2).exists()
    assert not Dossier.objects.overdue(now=at(1, 16, month=12)).exists()
    assert list(Dossier.objects.overdue(now=late).for_agency(agency)) == [dossier]
    assert not Dossier.objects.overdue(now=late).for_agency(DossierFactory().agency).exists()
    flagged = Dossier.objects.with_is_overdue(now=late).get(pk=dossier.pk)
    assert flagged.is_overdue and dossier.is_overdue(late)
    assert not dossier.is_overdue(at(1, 16, month=12))
    assert not Dossier.objects.with_is_overdue(now=at(30, 9)).get(pk=dossier.pk).is_overdue


def test_a_resubmission_without_an_open_request_is_refused(agency, citizen):
    dossier = DossierFactory(status=Status.SUPPLEMENT, agency=agency, applicant=citizen)
    dossier.supplements.update(answered_at=at(24, 9))

    with pytest.raises(actions.IllegalTransition):
        actions.resubmit_supplement(dossier=dossier, by=citizen, now=at(25, 9))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.SUPPLEMENT
