"""The agency's workflow through the staff pages: take in or refuse, draft, approve and send,
publish, merge, re-route; roles and states guard each step, each step is audited."""

import pytest
import time_machine

from opendvc.audit.models import AuditEntry
from opendvc.feedback.models import Feedback
from opendvc.notifications.models import Message

from .factories import MONDAY, answered, sent

pytestmark = pytest.mark.django_db
STAFF = "/can-bo/phan-anh-kien-nghi/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def act(client, user, feedback, action, **data):
    client.force_login(user)
    return client.post(f"{STAFF}{feedback.code}/{action}/", data)


def test_take_in_draft_approve_and_publish(
    client, citizen, agency, desk_officer, specialist, leader
):
    feedback, _ = sent(agency, citizen)

    act(client, desk_officer, feedback, "tiep-nhan")
    act(client, specialist, feedback, "du-thao", text="Cơ quan sẽ rút ngắn thời hạn.")
    act(client, leader, feedback, "duyet-gui", text="")
    act(client, leader, feedback, "cong-khai", public="1")
    feedback.refresh_from_db()

    assert feedback.state == "ANSWERED" and feedback.publication == "PUBLIC"
    assert (feedback.answer, feedback.answered_by) == ("Cơ quan sẽ rút ngắn thời hạn.", leader)
    assert feedback.due_at is None
    message = Message.objects.get(event="feedback.answered")
    assert (message.recipient, message.reference) == (citizen, feedback.code)
    actions = AuditEntry.objects.filter(target_id=str(feedback.pk)).values_list("action", flat=True)
    assert list(actions) == [
        "feedback.submit",
        "feedback.accept",
        "feedback.draft",
        "feedback.approve",
        "feedback.publish",
    ]


def test_a_refusal_needs_a_reason(client, citizen, agency, desk_officer):
    feedback, _ = sent(agency, citizen)

    empty = act(client, desk_officer, feedback, "tu-choi", text="  ")
    shown = client.get(empty.url).content.decode()
    act(client, desk_officer, feedback, "tu-choi", text="Nội dung không thuộc thẩm quyền.")
    feedback.refresh_from_db()

    assert "Cần nhập lý do không tiếp nhận" in shown
    assert (feedback.state, feedback.reject_reason) == (
        "REJECTED",
        "Nội dung không thuộc thẩm quyền.",
    )


def test_only_a_leader_approves(client, citizen, agency, specialist):
    feedback, _ = sent(agency, citizen)
    act(client, specialist, feedback, "tiep-nhan")
    act(client, specialist, feedback, "du-thao", text="Dự thảo")

    response = act(client, specialist, feedback, "duyet-gui")
    feedback.refresh_from_db()

    assert "Vai trò của bạn tại cơ quan không cho phép" in client.get(response.url).content.decode()
    assert feedback.state == "DRAFTED"


def test_a_step_out_of_order_is_refused(client, citizen, agency, leader):
    feedback, _ = sent(agency, citizen)

    response = act(client, leader, feedback, "cong-khai", public="1")

    assert "không thể thực hiện thao tác này" in client.get(response.url).content.decode()
    assert Feedback.objects.get().publication == "UNDECIDED"


def test_a_duplicate_is_merged_and_follows_the_kept_answer(
    client, citizen, other_citizen, agency, desk_officer, specialist, leader
):
    kept = answered(agency, citizen, specialist, leader, title="Bản gốc")
    duplicate, secret = sent(agency, other_citizen, title="Trùng")

    act(client, desk_officer, duplicate, "gop", into=kept.code)
    duplicate.refresh_from_db()
    client.force_login(other_citizen)
    page = client.get(f"/phan-anh-kien-nghi/theo-doi/{duplicate.code}/").content.decode()

    assert (duplicate.state, duplicate.merged_into) == ("MERGED", kept)
    assert "đã được gộp vào phản ánh " + kept.code in page
    assert "Cơ quan đã xem xét." in page


def test_merging_into_another_agencys_item_is_refused(
    client, citizen, agency, other_agency, desk_officer
):
    theirs, _ = sent(other_agency, citizen)
    ours, _ = sent(agency, citizen)

    act(client, desk_officer, ours, "gop", into=theirs.code)

    assert Feedback.objects.get(pk=ours.pk).state == "RECEIVED"


def test_the_desk_reroutes_to_the_responsible_agency(
    client, citizen, agency, other_agency, desk_officer, other_agency_officer
):
    feedback, _ = sent(agency, citizen)

    response = act(client, desk_officer, feedback, "chuyen", agency=other_agency.pk)
    client.force_login(other_agency_officer)
    theirs = client.get(f"{STAFF}{feedback.code}/")

    assert response.url == STAFF  # no longer the desk's to see
    assert Feedback.objects.get().agency == other_agency
    assert theirs.status_code == 200
    assert AuditEntry.objects.filter(action="feedback.reroute").get().payload["to"] == "T24-SXD"


def test_the_staff_list_filters_by_state_and_kind(client, citizen, agency, desk_officer):
    taken, _ = sent(agency, citizen, title="Đã nhận")
    fresh, _ = sent(agency, citizen, title="Mới")
    act(client, desk_officer, taken, "tiep-nhan")

    page = client.get(STAFF + "?state=ACCEPTED&kind=REGULATION").content.decode()

    assert taken.code in page and fresh.code not in page


def test_the_staff_list_costs_the_same_queries_for_more_items(
    client, citizen, other_citizen, agency, desk_officer, django_assert_max_num_queries
):
    for n in range(8):
        sent(agency, [citizen, other_citizen][n % 2], title=f"Phản ánh {n}")
    client.force_login(desk_officer)

    with django_assert_max_num_queries(10):
        page = client.get(STAFF).content.decode()

    assert page.count(">PAKN-261123-") == 8


def test_the_desk_corrects_the_classification(client, citizen, agency, desk_officer):
    feedback, _ = sent(agency, citizen)

    act(client, desk_officer, feedback, "phan-loai", kind="CONDUCT")

    assert Feedback.objects.get().kind == "CONDUCT"
    assert AuditEntry.objects.filter(action="feedback.classify").get().payload["to"] == "CONDUCT"


def test_an_official_of_two_agencies_lists_one_of_them(
    client, citizen, agency, other_agency, desk_officer
):
    from opendvc.accounts.models import StaffRole

    StaffRole.objects.create(user=desk_officer, agency=other_agency, role="DESK_OFFICER")
    ours, _ = sent(agency, citizen, title="Của Sở Tư pháp")
    theirs, _ = sent(other_agency, citizen, title="Của Sở Xây dựng")
    client.force_login(desk_officer)

    both = client.get(STAFF).content.decode()
    one = client.get(f"{STAFF}?agency={other_agency.pk}").content.decode()

    assert ours.code in both and theirs.code in both
    assert theirs.code in one and ours.code not in one


def test_the_agency_downloads_an_attachment_and_others_get_404(
    client, citizen, agency, desk_officer, other_agency_officer
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opendvc.dossiers.tests.factories import pdf

    client.force_login(citizen)
    document = SimpleUploadedFile("don.pdf", pdf(), content_type="application/pdf")
    client.post(
        "/phan-anh-kien-nghi/gui/",
        {
            "kind": "CONDUCT",
            "title": "Tệp",
            "content": "Xem tệp",
            "name": "An",
            "agency": agency.pk,
            "files": [document],
        },
    )
    feedback = Feedback.objects.get()
    url = f"{STAFF}{feedback.code}/tep/{feedback.files.get().pk}/"

    client.force_login(desk_officer)
    mine = client.get(url)
    client.force_login(other_agency_officer)
    theirs = client.get(url)

    assert mine.status_code == 200 and b"".join(mine.streaming_content) == pdf()
    assert 'filename="don.pdf"' in mine["Content-Disposition"]
    assert theirs.status_code == 404
