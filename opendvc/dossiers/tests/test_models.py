"""Invariants the database holds, and the reusable reads."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from opendvc.dossiers import actions
from opendvc.dossiers.models import Dossier, Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory

NOW = MONDAY + timedelta(days=1)


@pytest.mark.parametrize(
    "changes",
    [
        {"status": 11},
        {"channel": 4},
        {"status": Status.NEW, "code": None},
        {"status": Status.NEW, "submitted_at": None},
        {"status": Status.DRAFT},  # a draft with a code
    ],
    ids=[
        "status 11",
        "channel 4",
        "submitted without code",
        "submitted without time",
        "draft code",
    ],
)
def test_the_database_refuses_an_inconsistent_dossier(changes, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.filter(pk=dossier.pk).update(**changes)


def test_codes_are_unique(agency):
    first = DossierFactory(status=Status.NEW, agency=agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierFactory(status=Status.NEW, agency=agency, code=first.code)


def test_many_drafts_have_no_code(citizen, agency):
    DossierFactory.create_batch(3, agency=agency, applicant=citizen)
    assert Dossier.objects.filter(code__isnull=True).count() == 3


def test_history_statuses_stay_in_range(agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency)
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(dossier=dossier, from_status=1, to_status=0, action="x", at=NOW)


def test_querysets_by_owner_agency_and_status(citizen, other_citizen, agency, other_agency):
    mine = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    draft = DossierFactory(status=Status.DRAFT, agency=agency, applicant=citizen)
    theirs = DossierFactory(status=Status.NEW, agency=other_agency, applicant=other_citizen)

    assert set(Dossier.objects.for_citizen(citizen)) == {mine, draft}
    assert list(Dossier.objects.for_agency(agency)) == [mine]
    assert list(Dossier.objects.for_agency(other_agency)) == [theirs]
    assert set(Dossier.objects.in_status(Status.NEW, Status.PROCESSING)) == {mine, theirs}
    assert list(Dossier.objects.in_status(Status.DRAFT)) == [draft]


def test_an_official_sees_each_of_their_agencies_once(citizen, agency, other_agency, desk_officer):
    from opendvc.accounts.models import StaffRole

    StaffRole.objects.create(user=desk_officer, agency=agency, role="LEADER")
    StaffRole.objects.create(user=desk_officer, agency=other_agency, role="SPECIALIST")
    here = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    there = DossierFactory(status=Status.NEW, agency=other_agency, applicant=citizen)
    DossierFactory(status=Status.NEW)

    assert sorted(Dossier.objects.for_official(desk_officer), key=lambda d: d.pk) == [here, there]


@pytest.mark.parametrize(
    "act,kwargs",
    [
        (actions.refuse_dossier, {"reason_code": "BECAUSE"}),
        (actions.refuse_dossier, {"reason_code": "OTHER", "note": ""}),
    ],
)
def test_a_refusal_needs_a_coded_reason(act, kwargs, agency, citizen, desk_officer):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    with pytest.raises(actions.InvalidRequest):
        act(dossier=dossier, by=desk_officer, now=NOW, **kwargs)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


@pytest.mark.parametrize("code,note", [("BECAUSE", "Lý do"), ("LEGAL_CHANGE", " ")])
def test_stopping_needs_a_coded_and_explained_reason(code, note, agency, citizen, leader):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    with pytest.raises(actions.InvalidRequest):
        actions.stop_processing(dossier=dossier, by=leader, reason_code=code, note=note, now=NOW)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.PROCESSING


def test_a_refusal_keeps_its_reason_in_the_history(agency, citizen, desk_officer):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)

    actions.refuse_dossier(
        dossier=dossier, by=desk_officer, reason_code="NOT_COMPETENT", note="Thuộc UBND xã", now=NOW
    )

    change = dossier.history.get()
    assert (change.reason_code, change.note) == ("NOT_COMPETENT", "Thuộc UBND xã")
    assert dossier.closed_at == NOW


def test_finishing_needs_a_result(agency, citizen, leader):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    with pytest.raises(actions.InvalidRequest):
        actions.finish_dossier(dossier=dossier, by=leader, summary=" ", now=NOW)
    assert Dossier.objects.get(pk=dossier.pk).finished_at is None


def test_an_action_works_on_the_stored_state_not_a_stale_copy(agency, citizen, desk_officer):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    stale = Dossier.objects.get(pk=dossier.pk)
    actions.withdraw_dossier(dossier=dossier, by=citizen, now=NOW)

    with pytest.raises(actions.IllegalTransition):
        actions.accept_dossier(dossier=stale, by=desk_officer, now=NOW)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.WITHDRAWN
