"""The public answers: only public ones, without the sender's personal data, searchable and
filtered; a procedure's page lists its own in one query; the sender rates and reopens."""

from datetime import timedelta

import pytest
import time_machine

from opendvc.catalog import text_search
from opendvc.catalog.tests.factories import ProcedureFactory
from opendvc.feedback import actions

from .factories import MONDAY, answered, sent

pytestmark = pytest.mark.django_db
ANSWERS = "/phan-anh-kien-nghi/"


@pytest.fixture(autouse=True)
def frozen():
    text_search.forget()
    with time_machine.travel(MONDAY + timedelta(hours=4), tick=False) as traveller:
        yield traveller
    text_search.forget()


def published(feedback, leader, public=True):
    return actions.publish_answer(
        feedback=feedback, by=leader, public=public, now=MONDAY + timedelta(hours=4)
    )


def test_a_public_answer_shows_without_the_senders_personal_data(
    client, citizen, agency, specialist, leader
):
    feedback = answered(
        agency,
        citizen,
        specialist,
        leader,
        title="Phí chứng thực",
        content="Tôi là Nguyễn Văn An, số 0912345678, an@example.vn, bị thu phí sai.",
    )
    published(feedback, leader)

    listing = client.get(ANSWERS).content.decode()
    page = client.get(f"{ANSWERS}{feedback.code}/").content.decode()

    assert "Phí chứng thực" in listing
    assert "Cơ quan đã xem xét." in page and "bị thu phí sai" in page
    for personal in ("Nguyễn Văn An", "0912345678", "an@example.vn"):
        assert personal not in page and personal not in listing


def test_a_private_answer_is_never_public(client, citizen, agency, specialist, leader):
    feedback = answered(agency, citizen, specialist, leader, title="Riêng tư")
    published(feedback, leader, public=False)
    pending = answered(agency, citizen, specialist, leader, title="Chưa quyết định")

    listing = client.get(ANSWERS + "?q=riêng+tư").content.decode()

    assert "Riêng tư" not in listing and "Chưa quyết định" not in listing
    assert client.get(f"{ANSWERS}{feedback.code}/").status_code == 404
    assert client.get(f"{ANSWERS}{pending.code}/").status_code == 404


def test_answers_are_searched_and_filtered(
    client, citizen, other_citizen, agency, other_agency, specialist, leader
):
    from opendvc.accounts.tests.factories import OfficialFactory

    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    birth = answered(
        agency, citizen, specialist, leader, title="Khai sinh chậm", procedure=procedure
    )
    fee = answered(agency, other_citizen, specialist, leader, title="Lệ phí chứng thực bản sao")
    boss = OfficialFactory(roles=[(other_agency, "LEADER"), (other_agency, "SPECIALIST")])
    elsewhere = answered(other_agency, citizen, boss, boss, title="Giấy phép xây dựng")
    for item, by in ((birth, leader), (fee, leader), (elsewhere, boss)):
        published(item, by)

    searched = client.get(ANSWERS + "?q=chung+thuc").content.decode()
    by_agency = client.get(ANSWERS + f"?agency={other_agency.pk}").content.decode()
    by_procedure = client.get(ANSWERS + "?thu_tuc=1.001193").content.decode()

    assert "Lệ phí chứng thực" in searched and "Khai sinh chậm" not in searched
    assert "Giấy phép xây dựng" in by_agency and "Khai sinh chậm" not in by_agency
    assert "Khai sinh chậm" in by_procedure and "Lệ phí" not in by_procedure


def test_the_list_is_paginated(client, citizen, other_citizen, agency, specialist, leader):
    for n in range(21):
        item = answered(agency, [citizen, other_citizen][n % 2], specialist, leader)
        published(item, leader)
        if n % 4 == 3:
            from django.core.cache import cache

            cache.clear()  # the sending limit is not what this test is about

    first = client.get(ANSWERS).content.decode()
    second = client.get(ANSWERS + "?trang=2").content.decode()

    assert "21 câu trả lời" in first and "Trang 1/2" in first
    assert second.count('<li>\n    <h2><a href="/phan-anh-kien-nghi/PAKN') == 1


def test_the_procedure_page_lists_its_answers_in_one_query(
    client, citizen, agency, specialist, leader, django_assert_num_queries
):
    from django.template import Context, Template

    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    item = answered(
        agency, citizen, specialist, leader, title="Khai sinh trực tuyến", procedure=procedure
    )
    published(item, leader)
    template = Template('{% include "feedback/_procedure_answers.html" %}')

    with django_assert_num_queries(1):
        html = template.render(Context({"procedure": procedure}))
    page = client.get(f"/thu-tuc/{procedure.code}/").content.decode()

    assert "Khai sinh trực tuyến" in html and "?thu-tuc=1.001193" in html
    assert "Khai sinh trực tuyến" in page


def test_the_sender_rates_and_reopens_within_the_period(
    client, citizen, agency, specialist, leader, frozen
):
    feedback = answered(agency, citizen, specialist, leader)
    published(feedback, leader)
    client.force_login(citizen)
    follow = f"/phan-anh-kien-nghi/theo-doi/{feedback.code}/"

    client.post(follow + "danh-gia/", {"rating": "UNSATISFIED"})
    frozen.move_to(MONDAY + timedelta(days=3))
    client.post(follow + "mo-lai/", {"text": "Câu trả lời chưa đúng trọng tâm."})
    feedback.refresh_from_db()

    assert feedback.state == "ACCEPTED" and feedback.reopen_count == 1
    assert feedback.publication == "UNDECIDED"  # off the public pages until answered again
    assert feedback.answer_due_at > MONDAY + timedelta(days=3 + 15)
    assert feedback.due_at == feedback.answer_due_at
    assert client.get(f"{ANSWERS}{feedback.code}/").status_code == 404


def test_reopening_after_the_period_is_refused(client, citizen, agency, specialist, leader, frozen):
    feedback = answered(agency, citizen, specialist, leader)
    frozen.move_to(MONDAY + timedelta(days=30))
    client.force_login(citizen)

    response = client.post(
        f"/phan-anh-kien-nghi/theo-doi/{feedback.code}/mo-lai/", {"text": "Muộn"}
    )
    page = client.get(response.url).content.decode()

    assert "không thể mở lại" in page
    feedback.refresh_from_db()
    assert feedback.state == "ANSWERED"


def test_a_rejected_item_shows_its_reason_to_the_sender(client, citizen, agency, desk_officer):
    feedback, _ = sent(agency, citizen)
    actions.reject_feedback(feedback=feedback, by=desk_officer, reason="Trùng lặp", now=MONDAY)
    client.force_login(citizen)

    page = client.get(f"/phan-anh-kien-nghi/theo-doi/{feedback.code}/").content.decode()

    assert "Không tiếp nhận" in page and "Trùng lặp" in page
