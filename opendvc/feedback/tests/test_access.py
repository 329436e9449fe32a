"""What is not yours answers 404, like what does not exist: another citizen's item, another
agency's item, and a code without its secret."""

import pytest
import time_machine

from opendvc.audit.models import AuditEntry
from opendvc.feedback.models import Feedback

from .factories import MONDAY, sent

pytestmark = pytest.mark.django_db
FOLLOW = "/phan-anh-kien-nghi/theo-doi/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def test_another_citizen_cannot_read_or_act_on_an_item(client, citizen, other_citizen, agency):
    feedback, _ = sent(agency, citizen)
    client.force_login(other_citizen)

    read = client.get(f"{FOLLOW}{feedback.code}/")
    acted = client.post(f"{FOLLOW}{feedback.code}/mo-lai/", {"text": "Mở lại"})
    receipt = client.get(f"/phan-anh-kien-nghi/da-gui/{feedback.code}/")
    missing = client.get(f"{FOLLOW}PAKN-261123-9999/")

    assert [read.status_code, acted.status_code, receipt.status_code] == [404, 404, 404]
    assert missing.status_code == 404


def test_an_official_of_another_agency_gets_404(client, citizen, agency, other_agency_officer):
    feedback, _ = sent(agency, citizen)
    client.force_login(other_agency_officer)

    read = client.get(f"/can-bo/phan-anh-kien-nghi/{feedback.code}/")
    acted = client.post(f"/can-bo/phan-anh-kien-nghi/{feedback.code}/tiep-nhan/")
    listed = client.get("/can-bo/phan-anh-kien-nghi/").content.decode()

    assert (read.status_code, acted.status_code) == (404, 404)
    assert feedback.code not in listed
    assert Feedback.objects.get().state == "RECEIVED"


def test_a_citizen_gets_404_on_the_staff_pages(client, citizen, agency):
    feedback, _ = sent(agency, citizen)
    client.force_login(citizen)

    assert client.get(f"/can-bo/phan-anh-kien-nghi/{feedback.code}/").status_code == 404


def test_following_needs_the_secret_or_the_confirmed_address(client, agency):
    feedback, secret = sent(agency, phone="0901234567")

    code_only = client.post(FOLLOW, {"code": feedback.code})
    wrong = client.post(FOLLOW, {"code": feedback.code, "secret": "ABCDEFGH23"})
    before = client.get(f"{FOLLOW}{feedback.code}/")
    by_phone = client.post(FOLLOW, {"code": feedback.code.lower(), "contact": "+84 901 234 567"})
    page = client.get(f"{FOLLOW}{feedback.code}/")

    assert code_only.status_code == 400 and wrong.status_code == 400
    assert "Không tìm thấy phản ánh với mã và thông tin đã nhập." in wrong.content.decode()
    assert before.status_code == 404
    assert by_phone.url == f"{FOLLOW}{feedback.code}/"
    assert page.status_code == 200 and feedback.title in page.content.decode()


def test_following_with_the_secret_lets_the_sender_reply(client, agency, desk_officer):
    from opendvc.feedback import actions

    feedback, secret = sent(agency, phone="0901234567")
    actions.request_info(feedback=feedback, by=desk_officer, question="Số hồ sơ?", now=MONDAY)

    client.post(FOLLOW, {"code": feedback.code, "secret": secret.lower()})
    client.post(f"{FOLLOW}{feedback.code}/bo-sung/", {"text": "<b>Số 42</b>"})
    feedback.refresh_from_db()

    assert (feedback.state, feedback.info_reply) == ("ACCEPTED", "Số 42")
    entry = AuditEntry.objects.get(action="feedback.answer_info")
    assert (entry.actor_id, entry.actor_label) == (None, f"Người gửi {feedback.code}")


def test_lookups_are_rate_limited(client, agency):
    feedback, secret = sent(agency)
    for _ in range(10):
        client.post(FOLLOW, {"code": feedback.code, "secret": "ABCDEFGH23"})

    response = client.post(FOLLOW, {"code": feedback.code, "secret": secret})

    assert "tra cứu quá nhiều lần" in response.content.decode()
