"""The statutory clock in working days: across Tết 2027 and the make-up Saturday of 2026, the
pause while the sender is asked for information, and the overdue flags."""

import pytest
import time_machine

from opendvc.audit.models import AuditEntry
from opendvc.directory.tests.factories import AgencyFactory
from opendvc.feedback import actions
from opendvc.feedback.models import Feedback
from opendvc.notifications.models import Message

from .factories import local, sent

pytestmark = pytest.mark.django_db


def test_the_clock_skips_tet_2027(client, citizen, agency, desk_officer):
    # Tết 2027 (holidays VN): Thursday 04/02 to Wednesday 10/02 are days off.
    with time_machine.travel(local(2027, 2, 3, 10, 0), tick=False):
        client.force_login(citizen)
        response = client.post(
            "/phan-anh-kien-nghi/gui/",
            {
                "kind": "REGULATION",
                "title": "Trước Tết",
                "content": "Nội dung",
                "name": "An",
                "agency": agency.pk,
            },
        )
    feedback = Feedback.objects.get()

    assert response.status_code == 302
    assert feedback.accept_due_at == local(2027, 2, 12, 17, 0)  # Thu 11, Fri 12
    assert feedback.info_due_at == local(2027, 2, 17, 17, 0)
    assert feedback.answer_due_at == local(2027, 3, 3, 17, 0)
    assert feedback.due_at == feedback.accept_due_at


def test_the_make_up_saturday_of_2026_is_a_working_day(citizen, agency):
    # Saturday 22/08/2026 is worked in exchange for Monday 31/08; 01–02/09 are National Day.
    feedback, _ = sent(agency, citizen, at=local(2026, 8, 21, 10, 0))

    assert feedback.accept_due_at == local(2026, 8, 24, 17, 0)  # Sat 22, Mon 24
    assert feedback.answer_due_at == local(2026, 9, 15, 17, 0)


def test_sent_after_hours_counts_from_the_next_working_day(citizen, agency):
    feedback, _ = sent(agency, citizen, at=local(2026, 11, 27, 18, 0))  # Friday evening

    assert feedback.received_at == local(2026, 11, 30, 7, 30)
    assert feedback.accept_due_at == local(2026, 12, 2, 17, 0)


def test_asking_for_information_pauses_the_answer_clock(client, citizen, agency, desk_officer):
    # 24/11 is Vietnam Cultural Day (holidays VN): the answer is due 15/12.
    feedback, _ = sent(agency, citizen, at=local(2026, 11, 23, 9, 0))
    client.force_login(desk_officer)
    with time_machine.travel(local(2026, 11, 25, 10, 0), tick=False):  # Wednesday
        client.post(
            f"/can-bo/phan-anh-kien-nghi/{feedback.code}/yeu-cau-bo-sung/",
            {"text": "Cho biết số hồ sơ đã nộp."},
        )
    feedback.refresh_from_db()
    paused = (feedback.state, feedback.working_days_left, feedback.due_at)
    client.force_login(citizen)
    with time_machine.travel(local(2026, 12, 7, 9, 0), tick=False):  # twelve days later
        client.post(f"/phan-anh-kien-nghi/theo-doi/{feedback.code}/bo-sung/", {"text": "Số 123"})
    feedback.refresh_from_db()

    assert paused == ("NEEDS_INFO", 14, None)  # Thu 26/11 to Tue 15/12
    assert feedback.state == "ACCEPTED"
    assert feedback.answer_due_at == local(2026, 12, 25, 17, 0)  # 14 working days from 07/12
    assert feedback.due_at == feedback.answer_due_at
    assert feedback.info_reply == "Số 123"


def test_information_can_be_asked_only_within_five_working_days(citizen, agency, desk_officer):
    feedback, _ = sent(agency, citizen, at=local(2026, 11, 23, 9, 0))

    with pytest.raises(actions.IllegalTransition, match="5 ngày làm việc"):
        actions.request_info(
            feedback=feedback, by=desk_officer, question="?", now=local(2026, 12, 2, 9, 0)
        )


def test_overdue_items_are_flagged_once_and_listed_for_the_agency(
    client, citizen, agency, desk_officer
):
    late, _ = sent(agency, citizen, at=local(2026, 11, 23, 9, 0), title="Quá hạn tiếp nhận")
    on_time, _ = sent(agency, citizen, at=local(2026, 11, 25, 9, 0), title="Còn hạn")
    now = local(2026, 11, 27, 9, 0)  # late's taking-in time ended 26/11 17:00

    first, again = actions.flag_overdue(now=now), actions.flag_overdue(now=now)
    client.force_login(desk_officer)
    with time_machine.travel(now, tick=False):
        listed = client.get("/can-bo/phan-anh-kien-nghi/?overdue=1").content.decode()
    late.refresh_from_db()

    assert (first, again) == (1, 0)
    assert late.overdue_flagged_at == now
    assert AuditEntry.objects.filter(
        action="feedback.flag_overdue", target_id=str(late.pk)
    ).exists()
    assert late.code in listed and on_time.code not in listed


def test_an_overdue_item_is_emailed_to_the_agency_and_its_supervisor_once(citizen, agency):
    supervisor = AgencyFactory(name="UBND tỉnh Bắc Ninh", email="ubnd@bacninh.gov.vn")
    agency.parent, agency.email = supervisor, "stp@bacninh.gov.vn"
    agency.save()
    late, _ = sent(agency, citizen, at=local(2026, 11, 23, 9, 0))
    now = local(2026, 11, 27, 9, 0)

    actions.flag_overdue(now=now)
    actions.flag_overdue(now=now)

    told = Message.objects.filter(event="feedback.overdue").order_by("to")
    assert [(m.to, m.agency_id, m.channel) for m in told] == [
        ("stp@bacninh.gov.vn", agency.pk, "email"),
        ("ubnd@bacninh.gov.vn", supervisor.pk, "email"),
    ]
    assert told[0].subject == f"Phản ánh, kiến nghị {late.code} đã quá hạn xử lý"
    assert "Tiếp nhận hoặc từ chối phản ánh, kiến nghị" in told[0].body
    assert f"/can-bo/phan-anh-kien-nghi/{late.code}/" in told[0].body


def test_the_supervisor_sees_the_overdue_items_of_its_child_agencies(
    client, citizen, leader, agency
):
    child = AgencyFactory(name="Phòng Tư pháp", parent=agency)
    stranger = AgencyFactory(name="Cơ quan không trực thuộc")
    late_child, _ = sent(child, citizen, at=local(2026, 11, 23, 9, 0))
    late_other, _ = sent(stranger, citizen, at=local(2026, 11, 23, 9, 0))
    client.force_login(leader)

    with time_machine.travel(local(2026, 11, 30, 9, 0), tick=False):
        page = client.get("/can-bo/phan-anh-kien-nghi/qua-han-don-vi-truc-thuoc/")
        own_detail = client.get(f"/can-bo/phan-anh-kien-nghi/{late_child.code}/")

    assert late_child.code in page.content.decode()
    assert late_other.code not in page.content.decode()
    assert own_detail.status_code == 404  # the supervisor sees the list, the agency acts


def test_publication_due_two_working_days_after_the_answer(citizen, agency, specialist, leader):
    feedback, _ = sent(agency, citizen, at=local(2026, 11, 23, 9, 0))
    actions.accept_feedback(feedback=feedback, by=specialist, now=local(2026, 11, 23, 10, 0))
    actions.draft_answer(
        feedback=feedback, by=specialist, answer="Trả lời", now=local(2026, 11, 24, 9, 0)
    )
    actions.approve_answer(feedback=feedback, by=leader, now=local(2026, 11, 27, 15, 0))

    assert feedback.publish_due_at == local(2026, 12, 1, 17, 0)
    assert feedback.due_at == feedback.publish_due_at
    assert Feedback.objects.overdue(now=local(2026, 12, 2, 8, 0)).get() == feedback
    assert feedback.reopen_until == local(2026, 12, 14, 17, 0)
