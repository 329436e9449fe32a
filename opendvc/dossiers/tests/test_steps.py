"""A dossier's processing steps, through the staff pages: copied when the desk forwards it,
completed by the holder of each step's role, returned to the step before, and the leader's
decision only once the approval step is current."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import CaseFactory
from opendvc.dossiers import actions
from opendvc.dossiers.actions.steps import resume_current_step
from opendvc.dossiers.models import DossierStep, ProcessingStep, Status, SupplementRequest
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = MONDAY + timedelta(hours=1)  # Monday 23/11/2026 10:00
# Tuesday 24/11 is Vietnamese Culture Day, a day off: the working days after Monday 23/11 are
# Wednesday 25, Thursday 26, Friday 27 and Monday 30/11.


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _received(agency, **case_fields):
    case = CaseFactory(**case_fields)
    case.procedure.implementing_agencies.add(agency)
    return DossierFactory(agency=agency, case=case, status=Status.RECEIVED)


def _define(agency, case, *steps):
    for position, (name, role, days) in enumerate(steps, start=1):
        ProcessingStep.objects.create(
            agency=agency, case=case, position=position, name=name, role=role, working_days=days
        )


THREE_STEPS = (
    ("Thẩm định hồ sơ", "SPECIALIST", 2),
    ("Kiểm tra thực địa", "SPECIALIST", 1),
    ("Phê duyệt, ký kết quả", "LEADER", 1),
)


def _forward(client, desk_officer, dossier):
    client.force_login(desk_officer)
    url = reverse("dossiers:staff_action", args=[dossier.code, "forward"])
    response = client.post(url, {"forward-note": ""})
    assert response.status_code == 302
    dossier.refresh_from_db()
    return dossier


def _processing(agency, *steps, current: int = 1):
    """A dossier in processing whose steps are `steps`, the `current`-th under way."""
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)
    for position, (name, role, days) in enumerate(steps, start=1):
        DossierStep.objects.create(
            dossier=dossier,
            position=position,
            name=name,
            role=role,
            working_days=days,
            started_at=MONDAY if position == current else None,
            due_at=at(25, 17) if position == current else None,
            completed_at=MONDAY if position < current else None,
        )
    return dossier


def _post(client, user, dossier, what, note=""):
    client.force_login(user)
    name = {"complete": "step_complete", "return": "step_return"}[what]
    return client.post(reverse(f"dossiers:{name}", args=[dossier.code]), {f"{what}-note": note})


def _steps(dossier) -> list[tuple]:
    return list(
        dossier.steps.order_by("position").values_list(
            "position", "started_at", "completed_at", "completed_by", "note"
        )
    )


# --- forwarding copies the steps -------------------------------------------------------------


def test_forward_copies_the_agencys_own_steps_and_starts_the_first(client, agency, desk_officer):
    dossier = _received(agency)
    _define(agency, dossier.case, *THREE_STEPS)

    _forward(client, desk_officer, dossier)

    assert dossier.status == Status.PROCESSING
    steps = list(dossier.steps.order_by("position"))
    assert [(s.position, s.name, s.role, s.working_days) for s in steps] == [
        (n, *step) for n, step in enumerate(THREE_STEPS, start=1)
    ]
    # Started Monday 10:00: two working days end Thursday 26/11 at the close of office hours.
    assert (steps[0].started_at, steps[0].due_at) == (NOW, at(26, 17))
    assert all(s.started_at is None and s.due_at is None for s in steps[1:])
    assert not any(s.completed_at for s in steps)


def test_forward_uses_the_default_steps_when_the_agency_defined_none(
    client, agency, other_agency, desk_officer
):
    dossier = _received(agency, processing_amount=5, processing_unit="WORKING_DAY")
    dossier.due_at = at(30, 17) + timedelta(days=2)
    dossier.save(update_fields=["due_at"])
    _define(other_agency, dossier.case, ("Bước của cơ quan khác", "LEADER", 1))

    _forward(client, desk_officer, dossier)

    steps = list(dossier.steps.order_by("position"))
    assert [(s.name, s.role, s.working_days) for s in steps] == [
        ("Thẩm định hồ sơ", "SPECIALIST", 4),
        ("Phê duyệt, ký kết quả", "LEADER", 1),
    ]
    assert steps[0].due_at == at(30, 17)  # four working days after Monday


def test_default_appraisal_takes_one_day_when_the_legal_time_is_not_in_working_days(
    client, agency, desk_officer
):
    dossier = _received(agency, processing_amount=15, processing_unit="DAY")

    _forward(client, desk_officer, dossier)

    assert list(dossier.steps.values_list("role", "working_days")) == [
        ("SPECIALIST", 1),
        ("LEADER", 1),
    ]


def test_a_steps_due_moment_never_falls_after_the_dossiers(client, agency, desk_officer):
    dossier = _received(agency)
    dossier.due_at = at(24, 9)
    dossier.save(update_fields=["due_at"])
    _define(agency, dossier.case, *THREE_STEPS)

    _forward(client, desk_officer, dossier)

    assert dossier.steps.get(position=1).due_at == at(24, 9)


def test_the_current_step_goes_on_after_a_supplement_and_a_payment(
    agency, citizen, desk_officer, specialist
):
    dossier = _received(agency)
    dossier.applicant = citizen
    dossier.save(update_fields=["applicant"])
    _define(agency, dossier.case, *THREE_STEPS)
    actions.forward_for_processing(dossier=dossier, by=desk_officer, now=NOW)
    actions.complete_step(dossier=dossier, by=specialist, now=NOW + timedelta(minutes=5))
    before = _steps(dossier)

    reasons = [{"component": None, "code": "MISSING", "note": ""}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=at(24, 9))
    actions.resubmit_supplement(dossier=dossier, by=citizen, now=at(24, 14))
    actions.request_financial_obligation(dossier=dossier, by=specialist, now=at(24, 15))
    actions.confirm_payment(dossier=dossier, by=desk_officer, now=at(24, 16))

    assert dossier.status == Status.PROCESSING
    assert _steps(dossier) == before
    assert actions.current_step(dossier).position == 2


# --- completing a step -----------------------------------------------------------------------


def test_specialist_completes_the_current_step_and_the_next_starts(client, agency, specialist):
    dossier = _processing(agency, *THREE_STEPS)

    response = _post(client, specialist, dossier, "complete", note="Hồ sơ đủ điều kiện")

    assert response.status_code == 302
    assert response.url == reverse("dossiers:staff_detail", args=[dossier.code]) + "#h-steps"
    assert "Đã hoàn thành bước xử lý" in _messages(response)[0]
    first, second, third = dossier.steps.order_by("position")
    assert (first.completed_at, first.completed_by, first.note) == (
        NOW,
        specialist,
        "Hồ sơ đủ điều kiện",
    )
    assert (second.started_at, second.due_at, second.completed_at) == (NOW, at(25, 17), None)
    assert third.started_at is None
    entry = AuditEntry.objects.get(action="dossiers.complete_step")
    assert (entry.actor_id, entry.target_id) == (specialist.pk, str(dossier.pk))
    assert entry.payload["step"] == 1 and entry.payload["note"] == "Hồ sơ đủ điều kiện"


def test_a_leader_cannot_complete_the_specialists_step(client, agency, leader):
    dossier = _processing(agency, *THREE_STEPS)
    before = _steps(dossier)

    response = _post(client, leader, dossier, "complete")

    assert response.status_code == 302
    assert "chuyên viên thực hiện" in _messages(response)[0]
    assert _steps(dossier) == before
    assert not AuditEntry.objects.filter(action="dossiers.complete_step").exists()


def test_a_desk_officer_cannot_complete_a_step(client, agency, desk_officer):
    dossier = _processing(agency, *THREE_STEPS)
    before = _steps(dossier)

    response = _post(client, desk_officer, dossier, "complete")

    assert _messages(response) == ["Bạn không có quyền xử lý hồ sơ này."]
    assert _steps(dossier) == before


def test_a_step_cannot_be_completed_outside_processing(client, agency, specialist):
    dossier = _processing(agency, *THREE_STEPS)
    dossier.status = Status.FINANCIAL_OBLIGATION
    dossier.save(update_fields=["status"])
    before = _steps(dossier)

    response = _post(client, specialist, dossier, "complete")

    assert "Yêu cầu thực hiện nghĩa vụ tài chính" in _messages(response)[0]
    assert _steps(dossier) == before
    assert not AuditEntry.objects.filter(action="dossiers.complete_step").exists()


def test_the_leaders_step_is_closed_by_the_decision_not_by_complete(client, agency, leader):
    dossier = _processing(agency, *THREE_STEPS, current=3)
    before = _steps(dossier)

    response = _post(client, leader, dossier, "complete")

    assert "Hoàn thành xử lý" in _messages(response)[0]
    assert _steps(dossier) == before


def test_a_dossier_without_steps_has_no_step_to_complete(client, agency, specialist):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)

    response = _post(client, specialist, dossier, "complete")

    assert _messages(response) == ["Hồ sơ không có bước xử lý nào đang thực hiện."]
    assert not dossier.steps.exists()
    assert not AuditEntry.objects.filter(action="dossiers.complete_step").exists()


def test_an_officer_of_another_agency_gets_404(client, agency, other_agency_officer):
    dossier = _processing(agency, *THREE_STEPS)

    for what in ("complete", "return"):
        assert _post(client, other_agency_officer, dossier, what, note="x").status_code == 404
    assert not dossier.steps.filter(completed_at__isnull=False).exists()


def test_step_pages_take_posts_only(client, agency, specialist):
    dossier = _processing(agency, *THREE_STEPS)
    client.force_login(specialist)

    response = client.get(reverse("dossiers:step_complete", args=[dossier.code]))

    assert response.status_code == 405


# --- returning a step ------------------------------------------------------------------------


def test_the_leader_returns_the_dossier_to_the_specialist(client, agency, specialist, leader):
    dossier = _processing(agency, *THREE_STEPS, current=3)

    response = _post(client, leader, dossier, "return", note="Bổ sung ý kiến thẩm định")

    assert response.status_code == 302
    assert _messages(response) == ["Đã trả hồ sơ về bước trước."]
    second, third = dossier.steps.filter(position__gte=2).order_by("position")
    assert (second.started_at, second.completed_at, second.completed_by) == (NOW, None, None)
    assert second.note == "Bổ sung ý kiến thẩm định"
    assert second.due_at == at(25, 17)
    assert (third.started_at, third.due_at, third.completed_at) == (None, None, None)
    entry = AuditEntry.objects.get(action="dossiers.return_step")
    assert entry.actor_id == leader.pk
    assert (entry.payload["step"], entry.payload["to"]) == (3, 2)
    # The specialist now holds the current step again.
    assert actions.current_step(dossier).role == "SPECIALIST"
    assert _post(client, specialist, dossier, "complete").status_code == 302
    assert actions.current_step(dossier).position == 3


def test_returning_needs_a_reason(client, agency, leader):
    dossier = _processing(agency, *THREE_STEPS, current=3)
    before = _steps(dossier)

    response = _post(client, leader, dossier, "return", note="   ")

    assert _messages(response) == ["Cần ghi rõ lý do trả lại bước trước."]
    assert _steps(dossier) == before
    assert not AuditEntry.objects.filter(action="dossiers.return_step").exists()


def test_the_first_step_has_nothing_to_return_to(client, agency, specialist):
    dossier = _processing(agency, *THREE_STEPS)
    before = _steps(dossier)

    response = _post(client, specialist, dossier, "return", note="Không rõ")

    assert "bước đầu tiên" in _messages(response)[0]
    assert _steps(dossier) == before


def test_only_the_holder_of_the_current_step_returns_it(client, agency, specialist):
    dossier = _processing(agency, *THREE_STEPS, current=3)
    before = _steps(dossier)

    response = _post(client, specialist, dossier, "return", note="Xem lại")

    assert "lãnh đạo thực hiện" in _messages(response)[0]
    assert _steps(dossier) == before


# --- the decision ------------------------------------------------------------------------------


def _finish(client, leader, dossier):
    client.force_login(leader)
    url = reverse("dossiers:staff_action", args=[dossier.code, "finish"])
    return client.post(url, {"finish-summary": "Cấp giấy phép số 12/GP", "finish-result_url": ""})


def test_the_leader_decides_only_once_the_approval_step_is_current(
    client, agency, specialist, leader
):
    dossier = _processing(agency, THREE_STEPS[0], THREE_STEPS[2])

    refused = _finish(client, leader, dossier)

    assert "Chưa thể phê duyệt" in _messages(refused)[0]
    dossier.refresh_from_db()
    assert dossier.status == Status.PROCESSING
    assert not AuditEntry.objects.filter(action="dossiers.finish").exists()

    _post(client, specialist, dossier, "complete")
    decided = _finish(client, leader, dossier)

    assert _messages(decided)[-1] == "Đã hoàn thành xử lý hồ sơ."
    dossier.refresh_from_db()
    assert dossier.status == Status.FINISHED
    last = dossier.steps.get(position=2)
    assert (last.completed_at, last.completed_by) == (NOW, leader)
    assert AuditEntry.objects.filter(action="dossiers.finish", actor_id=leader.pk).exists()


def test_a_dossier_without_steps_is_decided_as_before(client, agency, leader):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)

    _finish(client, leader, dossier)

    dossier.refresh_from_db()
    assert dossier.status == Status.FINISHED
    assert not dossier.steps.exists()


# --- the panel on the dossier's page ---------------------------------------------------------


def _detail(client, user, dossier):
    client.force_login(user)
    return client.get(reverse("dossiers:staff_detail", args=[dossier.code]))


def test_the_panel_shows_each_steps_state_and_offers_forms_to_the_holder(
    client, agency, specialist, leader
):
    dossier = _processing(agency, *THREE_STEPS, current=2)
    first = dossier.steps.get(position=1)
    first.completed_by = specialist
    first.save(update_fields=["completed_by"])
    complete_url = reverse("dossiers:step_complete", args=[dossier.code])
    return_url = reverse("dossiers:step_return", args=[dossier.code])

    as_specialist = _detail(client, specialist, dossier).content.decode()
    as_leader = _detail(client, leader, dossier).content.decode()

    assert "Các bước xử lý" in as_specialist
    assert "Đã xong" in as_specialist and "Phạm Thị Dung" in as_specialist
    assert 'aria-current="step"' in as_specialist and "Chờ thực hiện" in as_specialist
    assert complete_url in as_specialist and return_url in as_specialist
    assert "Các bước xử lý" in as_leader
    assert complete_url not in as_leader and return_url not in as_leader


def test_at_the_approval_step_the_leader_is_offered_return_and_pointed_to_the_decision(
    client, agency, leader
):
    dossier = _processing(agency, *THREE_STEPS, current=3)

    page = _detail(client, leader, dossier).content.decode()

    assert reverse("dossiers:step_return", args=[dossier.code]) in page
    assert reverse("dossiers:step_complete", args=[dossier.code]) not in page
    assert "Hoàn thành xử lý" in page


def test_no_panel_for_a_dossier_without_steps(client, agency, specialist):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)

    page = _detail(client, specialist, dossier).content.decode()

    assert "Các bước xử lý" not in page


def test_while_the_applicant_supplements_the_panel_shows_where_processing_stopped(
    client, agency, specialist
):
    dossier = _processing(agency, *THREE_STEPS)
    dossier.status = Status.SUPPLEMENT
    dossier.save(update_fields=["status"])

    page = _detail(client, specialist, dossier).content.decode()

    assert "Dừng ở bước này (hồ sơ “Yêu cầu bổ sung”)" in page
    assert reverse("dossiers:step_complete", args=[dossier.code]) not in page


def test_after_a_supplement_the_current_step_gets_the_working_days_it_had_left(agency, specialist):
    # Step 1 was due Thursday 26/11; the supplement asked Wednesday 25/11 left it Thursday, and
    # the applicant's answer was received again Monday 30/11 at 10:00.
    dossier = _processing(agency, *THREE_STEPS)
    dossier.steps.filter(position=1).update(due_at=at(26, 17))
    dossier.due_at = datetime(2026, 12, 3, 17, 0, tzinfo=VN)
    dossier.save(update_fields=["due_at"])
    SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=at(25, 10),
        requested_by=specialist,
        from_status=Status.PROCESSING,
        reasons=[{"component": None, "code": "MISSING", "note": ""}],
        answered_at=at(30, 10),
        resumed_at=at(30, 10),
    )

    resume_current_step(dossier)

    # Its one working day runs again from Monday 30/11: Tuesday 1/12 at the close.
    assert dossier.steps.get(position=1).due_at == datetime(2026, 12, 1, 17, 0, tzinfo=VN)


def test_a_resumed_step_is_never_due_after_the_dossier(agency, specialist):
    dossier = _processing(agency, *THREE_STEPS)
    dossier.steps.filter(position=1).update(due_at=at(27, 17))
    dossier.due_at = at(30, 12)
    dossier.save(update_fields=["due_at"])
    SupplementRequest.objects.create(
        dossier=dossier,
        requested_at=at(25, 10),
        requested_by=specialist,
        from_status=Status.PROCESSING,
        reasons=[{"component": None, "code": "MISSING", "note": ""}],
        answered_at=at(30, 10),
        resumed_at=at(30, 10),
    )

    resume_current_step(dossier)

    assert dossier.steps.get(position=1).due_at == at(30, 12)


def test_the_decision_is_offered_only_at_the_approval_step(client, agency, leader):
    at_appraisal = _processing(agency, *THREE_STEPS, current=2)
    at_approval = _processing(agency, *THREE_STEPS, current=3)
    finish = "finish-summary"

    assert finish not in _detail(client, leader, at_appraisal).content.decode()
    assert finish in _detail(client, leader, at_approval).content.decode()


def test_resubmission_runs_the_current_steps_clock_again(agency, citizen, desk_officer, specialist):
    dossier = _received(agency)
    dossier.applicant = citizen
    dossier.save(update_fields=["applicant"])
    _define(agency, dossier.case, *THREE_STEPS)
    actions.forward_for_processing(dossier=dossier, by=desk_officer, now=NOW)  # due 26/11 17:00
    reasons = [{"component": None, "code": "MISSING", "note": ""}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=at(25, 10))

    actions.resubmit_supplement(dossier=dossier, by=citizen, now=at(30, 10))

    step = actions.current_step(dossier)
    assert step.position == 1
    assert step.due_at == datetime(2026, 12, 1, 17, 0, tzinfo=VN)
