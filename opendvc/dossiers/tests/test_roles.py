"""Who may act: roles in the dossier's own agency, and the applicant for citizen actions."""

from datetime import timedelta

import pytest

from opendvc.audit.models import AuditEntry
from opendvc.dossiers import actions
from opendvc.dossiers.models import Dossier, Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from opendvc.dossiers.tests.test_workflow import CALLS

NOW = MONDAY + timedelta(days=2)
# A status from which each action is allowed, so only the actor decides.
FROM = {
    "submit": Status.DRAFT,
    "accept": Status.NEW,
    "refuse": Status.NEW,
    "forward": Status.RECEIVED,
    "request_supplement": Status.PROCESSING,
    "resubmit": Status.SUPPLEMENT,
    "request_payment": Status.PROCESSING,
    "confirm_payment": Status.FINANCIAL_OBLIGATION,
    "withdraw": Status.NEW,
    "stop": Status.PROCESSING,
    "finish": Status.PROCESSING,
    "return_result": Status.FINISHED,
    "apology": Status.PROCESSING,
}
STAFF_ACTIONS = [a for a, (who, _, _) in CALLS.items() if who != "citizen"]
CITIZEN_ACTIONS = [a for a, (who, _, _) in CALLS.items() if who == "citizen"]


def _attempt(action, by, dossier):
    _, act, kwargs = CALLS[action]
    act(dossier=dossier, by=by, now=NOW, **kwargs)


def _assert_refused(action, by, dossier):
    before = AuditEntry.objects.count()
    with pytest.raises(actions.NotAllowed):
        _attempt(action, by, dossier)
    dossier.refresh_from_db()
    assert dossier.status == FROM[action]
    assert not dossier.history.exists()
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize(
    "action,who",
    [
        ("accept", "specialist"),
        ("accept", "leader"),
        ("refuse", "specialist"),
        ("forward", "leader"),
        ("finish", "desk_officer"),
        ("finish", "specialist"),
        ("stop", "specialist"),
        ("return_result", "specialist"),
        ("request_payment", "desk_officer"),
        ("apology", "desk_officer"),
        ("apology", "specialist"),
    ],
)
def test_a_role_cannot_take_another_roles_action(action, who, request, citizen, agency):
    dossier = DossierFactory(status=FROM[action], agency=agency, applicant=citizen)
    _assert_refused(action, request.getfixturevalue(who), dossier)


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_an_official_of_another_agency_cannot_act(action, citizen, agency, other_agency_officer):
    dossier = DossierFactory(status=FROM[action], agency=agency, applicant=citizen)
    _assert_refused(action, other_agency_officer, dossier)


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_the_applicant_cannot_take_staff_actions(action, citizen, agency):
    dossier = DossierFactory(status=FROM[action], agency=agency, applicant=citizen)
    _assert_refused(action, citizen, dossier)


@pytest.mark.parametrize("action", CITIZEN_ACTIONS)
def test_a_citizen_cannot_act_on_anothers_dossier(action, citizen, other_citizen, agency):
    dossier = DossierFactory(status=FROM[action], agency=agency, applicant=citizen)
    _assert_refused(action, other_citizen, dossier)


@pytest.mark.parametrize("action", CITIZEN_ACTIONS)
def test_the_desk_cannot_act_for_an_applicant_with_an_account(
    action, citizen, agency, desk_officer
):
    dossier = DossierFactory(status=FROM[action], agency=agency, applicant=citizen)
    _assert_refused(action, desk_officer, dossier)


@pytest.mark.parametrize("action", CITIZEN_ACTIONS)
def test_the_desk_acts_for_a_counter_applicant_without_an_account(action, agency, desk_officer):
    dossier = DossierFactory(status=FROM[action], agency=agency, applicant=None)

    _attempt(action, desk_officer, dossier)

    assert dossier.history.get().actor == desk_officer


def test_an_inactive_official_cannot_act(agency, desk_officer):
    desk_officer.is_active = False
    desk_officer.save()
    dossier = DossierFactory(status=Status.NEW, agency=agency)
    _assert_refused("accept", desk_officer, dossier)


def test_the_payment_gateway_confirms_an_online_payment(citizen, agency):
    dossier = DossierFactory(status=Status.FINANCIAL_OBLIGATION, agency=agency, applicant=citizen)

    actions.confirm_payment(dossier=dossier, by=None, now=NOW, is_online=True)

    dossier.refresh_from_db()
    assert (dossier.status, dossier.is_paid_online) == (Status.PROCESSING, True)
    assert AuditEntry.objects.get(action="dossiers.confirm_payment").actor_label == "system"


def test_nobody_confirms_a_payment_at_the_counter_without_a_name(agency):
    dossier = DossierFactory(status=Status.FINANCIAL_OBLIGATION, agency=agency)
    with pytest.raises(actions.NotAllowed):
        actions.confirm_payment(dossier=dossier, by=None, now=NOW)
    assert Dossier.objects.get(pk=dossier.pk).status == Status.FINANCIAL_OBLIGATION
