"""The transition graph, walked whole: for every status and every action, the action succeeds
exactly when the graph allows it, and leaves a history row and an audit entry when it does."""

from datetime import timedelta

import pytest

from opendvc.audit.models import AuditEntry
from opendvc.dossiers import actions, workflow
from opendvc.dossiers.models import Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory

NOW = MONDAY + timedelta(days=2)

# action -> (cast member who may take it, the action function and its other arguments)
CALLS = {
    "submit": ("citizen", actions.submit_dossier, {}),
    "accept": ("desk_officer", actions.accept_dossier, {}),
    "refuse": ("desk_officer", actions.refuse_dossier, {"reason_code": "NOT_COMPETENT"}),
    "forward": ("desk_officer", actions.forward_for_processing, {}),
    "request_supplement": (
        "specialist",
        actions.request_supplement,
        {"reasons": [{"component": None, "code": "MISSING", "note": "Thiếu bản sao"}]},
    ),
    "resubmit": ("citizen", actions.resubmit_supplement, {}),
    "request_payment": ("specialist", actions.request_financial_obligation, {}),
    "confirm_payment": ("desk_officer", actions.confirm_payment, {}),
    "withdraw": ("citizen", actions.withdraw_dossier, {}),
    "stop": ("leader", actions.stop_processing, {"reason_code": "OTHER", "note": "Lý do"}),
    "finish": ("leader", actions.finish_dossier, {"summary": "Cấp giấy phép"}),
    "return_result": ("desk_officer", actions.return_result, {}),
    "apology": (
        "leader",
        actions.issue_apology,
        {"reason": "Chờ ý kiến cơ quan phối hợp", "new_due_at": NOW + timedelta(days=30)},
    ),
}


def test_every_action_has_a_call_and_actors():
    assert set(CALLS) == {*workflow.ACTIONS, "apology"} == set(workflow.ACTORS)


def test_every_status_after_draft_is_reachable():
    reached = {
        to for steps in workflow.TRANSITIONS.values() for tos in steps.values() for to in tos
    }
    assert reached == set(Status) - {Status.DRAFT}


@pytest.mark.parametrize("action", list(CALLS))
@pytest.mark.parametrize("status", list(Status), ids=lambda s: s.name)
def test_action_is_allowed_exactly_where_the_graph_allows_it(status, action, request, agency):
    who, act, kwargs = CALLS[action]
    citizen = request.getfixturevalue("citizen")
    by = request.getfixturevalue(who)
    dossier = DossierFactory(status=status, agency=agency, applicant=citizen)
    audits = AuditEntry.objects.count()

    if not workflow.allows(action, status):
        with pytest.raises(actions.IllegalTransition):
            act(dossier=dossier, by=by, now=NOW, **kwargs)
        dossier.refresh_from_db()
        assert dossier.status == status
        assert not StatusChange.objects.filter(dossier=dossier).exists()
        assert AuditEntry.objects.count() == audits
        return

    act(dossier=dossier, by=by, now=NOW, **kwargs)

    dossier.refresh_from_db()
    verb = "issue_apology" if action == "apology" else action
    entry = AuditEntry.objects.get(action=f"dossiers.{verb}")
    assert (entry.actor_id, entry.target_id) == (by.pk, str(dossier.pk))
    if action == "apology":
        assert dossier.status == status
        assert dossier.due_at == NOW + timedelta(days=30)
        return
    assert dossier.status in workflow.TRANSITIONS[action][status]
    change = StatusChange.objects.get(dossier=dossier)
    assert (change.from_status, change.to_status) == (status, dossier.status)
    assert (change.action, change.actor, change.at) == (action, by, NOW)
    assert entry.payload["from"] == status and entry.payload["to"] == dossier.status


@pytest.mark.parametrize("back_to", [Status.RECEIVED, Status.PROCESSING])
def test_resubmission_returns_to_where_the_request_came_from(back_to, citizen, agency):
    dossier = DossierFactory(
        status=Status.SUPPLEMENT, agency=agency, applicant=citizen, open_supplement=back_to
    )

    actions.resubmit_supplement(dossier=dossier, by=citizen, now=NOW)

    dossier.refresh_from_db()
    assert dossier.status == back_to


def test_a_whole_journey_leaves_its_history_in_order(
    citizen, agency, desk_officer, specialist, leader
):
    dossier = DossierFactory(agency=agency, applicant=citizen)
    steps = [
        (actions.submit_dossier, citizen, {}),
        (actions.accept_dossier, desk_officer, {}),
        (actions.forward_for_processing, desk_officer, {}),
        (actions.complete_step, specialist, {}),
        (actions.request_financial_obligation, specialist, {}),
        (actions.confirm_payment, desk_officer, {}),
        (actions.finish_dossier, leader, {"summary": "Giấy phép số 12/GP"}),
        (actions.return_result, desk_officer, {}),
    ]
    for minutes, (act, by, kwargs) in enumerate(steps):
        act(dossier=dossier, by=by, now=NOW + timedelta(minutes=minutes), **kwargs)

    path = list(dossier.history.values_list("to_status", flat=True))
    assert path == [1, 2, 4, 6, 4, 9, 10]
    assert dossier.returned_at == NOW + timedelta(minutes=7)
    assert dossier.finished_at == NOW + timedelta(minutes=6)
    assert dossier.result_summary == "Giấy phép số 12/GP"
