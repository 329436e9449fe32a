"""The officials' dossier API: the inbox, a dossier, and every workflow action walked against
every status and every role, through HTTP."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from opendvc.accounts.tests.factories import OfficialFactory, bearer
from opendvc.audit.models import AuditEntry
from opendvc.dossiers import workflow
from opendvc.dossiers.models import Apology, Dossier, Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/staff/dossiers"
NOW = MONDAY + timedelta(hours=1)

# A body each action accepts, so that only the status and the role decide the answer.
BODIES = {
    "accept": {},
    "refuse": {"reason_code": "INCOMPLETE", "note": "Thiếu bản sao"},
    "forward": {"note": "Chuyển phòng Hộ tịch"},
    "request_supplement": {"reasons": [{"component_id": None, "code": "MISSING", "note": ""}]},
    "request_payment": {},
    "confirm_payment": {"note": "Đã nộp tại quầy"},
    "stop": {"reason_code": "NOT_ELIGIBLE", "note": "Không đủ điều kiện"},
    "finish": {"summary": "Cấp phiếu lý lịch tư pháp số 1"},
    "return_result": {},
    "apology": {"reason": "Chậm do mất điện", "new_due_at": (MONDAY + timedelta(30)).isoformat()},
}
STAFF_ACTIONS = [action for action in BODIES]
SUBMITTED = [status for status in Status if status != Status.DRAFT]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def act(client, auth, code, action, body=None):
    url = f"{API}/{code}/actions/{action}"
    body = BODIES[action] if body is None else body
    return client.post(url, body, content_type="application/json", headers=auth)


@pytest.fixture
def all_roles(agency):
    return OfficialFactory(
        full_name="Cán bộ kiêm nhiệm",
        roles=[(agency, "DESK_OFFICER"), (agency, "SPECIALIST"), (agency, "LEADER")],
    )


def audit_name(action: str) -> str:
    return "dossiers.issue_apology" if action == "apology" else f"dossiers.{action}"


@pytest.mark.parametrize("status", SUBMITTED, ids=[s.name for s in SUBMITTED])
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_every_action_from_every_status(client, agency, citizen, all_roles, action, status):
    dossier = DossierFactory(agency=agency, applicant=citizen, status=status)
    before = (dossier.status, dossier.due_at, StatusChange.objects.count())

    response = act(client, bearer(all_roles), dossier.code, action)

    dossier.refresh_from_db()
    entries = AuditEntry.objects.filter(action=audit_name(action), target_id=str(dossier.pk))
    if not workflow.allows(action, status):
        assert response.status_code == 409, response.content
        assert response.json()["error"]["code"] == "illegal_transition"
        assert (dossier.status, dossier.due_at, StatusChange.objects.count()) == before
        assert not entries.exists()
    elif action == "apology":
        assert response.status_code == 200, response.content
        assert dossier.status == status and dossier.due_at == MONDAY + timedelta(30)
        assert Apology.objects.filter(dossier=dossier).exists() and entries.count() == 1
    else:
        assert response.status_code == 200, response.content
        (target,) = workflow.TRANSITIONS[action][status]
        assert response.json()["status"] == dossier.status == target
        change = StatusChange.objects.get(dossier=dossier, action=action)
        assert (change.from_status, change.to_status, change.actor) == (status, target, all_roles)
        assert entries.count() == 1


def _allowed_status(action: str) -> int:
    if action == "apology":
        return Status.PROCESSING
    return next(iter(workflow.TRANSITIONS[action]))


@pytest.mark.parametrize("role", ["DESK_OFFICER", "SPECIALIST", "LEADER"])
@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_each_role_takes_only_its_actions_and_others_get_403(client, agency, citizen, action, role):
    official = OfficialFactory(roles=[(agency, role)])
    dossier = DossierFactory(agency=agency, applicant=citizen, status=_allowed_status(action))

    response = act(client, bearer(official), dossier.code, action)

    entries = AuditEntry.objects.filter(action=audit_name(action), target_id=str(dossier.pk))
    if role in workflow.ACTORS[action]:
        assert response.status_code == 200, response.content
        assert entries.count() == 1
    else:
        assert response.status_code == 403, response.content
        assert response.json()["error"]["code"] == "forbidden"
        assert Dossier.objects.get(pk=dossier.pk).status == dossier.status
        assert not entries.exists()


@pytest.mark.parametrize("action", STAFF_ACTIONS)
def test_another_agencys_official_gets_404_for_every_action(
    client, agency, citizen, other_agency_officer, action
):
    dossier = DossierFactory(agency=agency, applicant=citizen, status=_allowed_status(action))

    response = act(client, bearer(other_agency_officer), dossier.code, action)

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Không tìm thấy.", "details": []}
    }
    assert Dossier.objects.get(pk=dossier.pk).status == dossier.status


@pytest.mark.parametrize(
    ("action", "status", "body", "code"),
    [
        ("refuse", Status.NEW, {"reason_code": "KHONG_CO", "note": ""}, "invalid_request"),
        ("refuse", Status.NEW, {"reason_code": "OTHER", "note": " "}, "invalid_request"),
        ("stop", Status.PROCESSING, {"reason_code": "OTHER"}, "invalid_input"),
        ("finish", Status.PROCESSING, {"summary": ""}, "invalid_input"),
        ("request_supplement", Status.RECEIVED, {"reasons": []}, "invalid_input"),
        (
            "request_supplement",
            Status.RECEIVED,
            {"reasons": [{"component_id": 999999, "code": "MISSING"}]},
            "invalid_request",
        ),
        (
            "apology",
            Status.PROCESSING,
            {"reason": "x", "new_due_at": "2026-11-24T09:00:00"},
            "invalid_request",
        ),
        (
            "apology",
            Status.PROCESSING,
            {"reason": "x", "new_due_at": "2026-11-24T09:00:00+07:00"},
            "invalid_request",
        ),
    ],
    ids=[
        "unknown-reason",
        "other-without-note",
        "stop-without-note",
        "finish-without-summary",
        "supplement-without-reason",
        "supplement-for-a-stranger-component",
        "apology-naive-time",
        "apology-before-the-due-moment",
    ],
)
def test_a_bad_body_is_refused_with_422_and_nothing_changes(
    client, agency, citizen, all_roles, action, status, body, code
):
    dossier = DossierFactory(agency=agency, applicant=citizen, status=status)

    response = act(client, bearer(all_roles), dossier.code, action, body)

    assert response.status_code == 422, response.content
    assert response.json()["error"]["code"] == code
    dossier.refresh_from_db()
    assert (dossier.status, StatusChange.objects.count()) == (status, 0)


def test_a_supplement_names_its_components(client, agency, citizen, desk_officer):
    dossier = DossierFactory(agency=agency, applicant=citizen, status=Status.RECEIVED)
    component = DossierComponentFactory(dossier=dossier, name="Bản chụp căn cước")
    body = {"reasons": [{"component_id": component.pk, "code": "ILLEGIBLE", "note": "Mờ"}]}

    response = act(client, bearer(desk_officer), dossier.code, "request_supplement", body)

    assert response.status_code == 200
    assert response.json()["supplement_request"]["reasons"] == [
        {
            "component_id": component.pk,
            "component_name": "Bản chụp căn cước",
            "code": "ILLEGIBLE",
            "label": "Bản chụp, bản quét không đọc được",
            "note": "Mờ",
        }
    ]


def test_an_unknown_action_answers_like_an_unknown_dossier(client, agency, desk_officer):
    dossier = DossierFactory(agency=agency, status=Status.NEW)

    response = act(client, bearer(desk_officer), dossier.code, "xoa", {})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_the_dossier_shows_the_applicant_the_due_state_and_the_actions_open(
    client, agency, citizen, desk_officer
):
    dossier = DossierFactory(
        agency=agency, applicant=citizen, status=Status.RECEIVED, due_at=NOW + timedelta(hours=5)
    )

    body = client.get(f"{API}/{dossier.code}", headers=bearer(desk_officer)).json()

    assert (body["code"], body["applicant_name"], body["applicant_phone"]) == (
        dossier.code,
        "Nguyễn Văn An",
        dossier.applicant_phone,
    )
    assert body["due_state"] == "due_soon"
    assert body["actions"] == ["forward", "request_supplement"]


@pytest.fixture
def inbox(agency, other_agency):
    return {
        "overdue": DossierFactory(
            agency=agency, status=Status.PROCESSING, due_at=NOW - timedelta(1), applicant_name="A"
        ),
        "due_soon": DossierFactory(
            agency=agency, status=Status.RECEIVED, due_at=NOW + timedelta(1), applicant_name="B"
        ),
        "on_time": DossierFactory(
            agency=agency, status=Status.RECEIVED, due_at=NOW + timedelta(9), applicant_name="C"
        ),
        "new_postal": DossierFactory(
            agency=agency, status=Status.NEW, channel=3, applicant_name="Đinh Thị Hoa"
        ),
        "elsewhere": DossierFactory(agency=other_agency, status=Status.NEW),
        "draft": DossierFactory(agency=agency, status=Status.DRAFT),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"overdue", "due_soon", "on_time", "new_postal"}),
        ({"due": "overdue"}, {"overdue"}),
        ({"due": "due_soon"}, {"due_soon"}),
        ({"due": "on_time"}, {"on_time"}),
        ({"status": 2}, {"due_soon", "on_time"}),
        ({"channel": 3}, {"new_postal"}),
        ({"q": "hoa"}, {"new_postal"}),
    ],
)
def test_the_inbox_filters_its_agencys_submitted_dossiers(
    client, inbox, desk_officer, query, expected
):
    response = client.get(API, query, headers=bearer(desk_officer))

    assert response.status_code == 200
    codes = {item["code"] for item in response.json()["items"]}
    assert codes == {inbox[name].code for name in expected}


def test_the_inbox_gives_each_dossier_its_due_state(client, inbox, desk_officer):
    items = client.get(API, {"page_size": 100}, headers=bearer(desk_officer)).json()["items"]

    states = {item["code"]: item["due_state"] for item in items}
    assert states[inbox["overdue"].code] == "overdue"
    assert states[inbox["on_time"].code] == "on_time"
    assert states[inbox["new_postal"].code] is None


@pytest.mark.parametrize("query", [{"due": "late"}, {"status": 11}, {"page": 0}, {"channel": 9}])
def test_a_wrong_inbox_filter_answers_422(client, desk_officer, query):
    response = client.get(API, query, headers=bearer(desk_officer))

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"


def test_the_inbox_is_paged(client, inbox, desk_officer):
    page = client.get(API, {"page": 2, "page_size": 3}, headers=bearer(desk_officer)).json()

    assert (page["count"], page["page"], len(page["items"])) == (4, 2, 1)


def test_the_inbox_runs_the_same_queries_for_few_or_many_dossiers(client, agency, desk_officer):
    client.force_login(desk_officer)
    DossierFactory(agency=agency, status=Status.NEW)
    with CaptureQueriesContext(connection) as few:
        client.get(API)
    for _ in range(6):
        DossierFactory(agency=agency, status=Status.RECEIVED)
    with CaptureQueriesContext(connection) as many:
        response = client.get(API)

    assert response.json()["count"] == 7
    assert len(many) == len(few)


def test_a_citizen_has_no_staff_inbox(client, citizen):
    response = client.get(API, headers=bearer(citizen))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_processing_steps_are_completed_and_returned_by_their_roles(
    client, agency, citizen, desk_officer, specialist, leader
):
    dossier = DossierFactory(agency=agency, applicant=citizen, status=Status.RECEIVED)
    forwarded = act(client, bearer(desk_officer), dossier.code, "forward")
    assert [(s["role"], s["is_current"]) for s in forwarded.json()["steps"]] == [
        ("SPECIALIST", True),
        ("LEADER", False),
    ]

    not_theirs = act(client, bearer(leader), dossier.code, "complete_step", {})
    done = act(client, bearer(specialist), dossier.code, "complete_step", {"note": "Đủ điều kiện"})
    no_reason = act(client, bearer(leader), dossier.code, "return_step", {})
    returned = act(client, bearer(leader), dossier.code, "return_step", {"note": "Xem lại mục 3"})

    assert not_theirs.status_code == 403
    assert not_theirs.json()["error"]["code"] == "forbidden"
    assert done.status_code == 200
    assert [s["is_current"] for s in done.json()["steps"]] == [False, True]
    assert no_reason.status_code == 422
    assert returned.status_code == 200
    first = returned.json()["steps"][0]
    assert (first["is_current"], first["note"]) == (True, "Xem lại mục 3")
    recorded = AuditEntry.objects.filter(target_id=str(dossier.pk)).values_list("action", flat=True)
    assert {"dossiers.complete_step", "dossiers.return_step"} <= set(recorded)


@pytest.mark.parametrize("action", ["complete_step", "return_step"])
def test_steps_are_only_worked_while_processing(client, agency, citizen, all_roles, action):
    dossier = DossierFactory(agency=agency, applicant=citizen, status=Status.RECEIVED)

    response = act(client, bearer(all_roles), dossier.code, action, {"note": "Lý do"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "illegal_transition"


@pytest.mark.parametrize("action", ["complete_step", "return_step"])
def test_another_agency_never_works_a_step(client, agency, other_agency_officer, action):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)

    response = act(client, bearer(other_agency_officer), dossier.code, action, {"note": "x"})

    assert response.status_code == 404


def test_a_counter_dossier_offers_the_desk_only_staff_actions(client, agency, desk_officer):
    dossier = DossierFactory(agency=agency, applicant=None, status=Status.NEW)

    body = client.get(f"{API}/{dossier.code}", headers=bearer(desk_officer)).json()

    assert body["channel"] == Dossier.Channel.COUNTER
    assert body["actions"] == ["accept", "refuse"]  # not the applicant's withdraw
