""" "Việc của tôi" (/can-bo/hang-doi/): the dossiers whose current step is the official's to do,
in their agencies only, with the step's and the dossier's due labels; paged, in a fixed number
of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.dossiers.models import DossierStep, Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(days=2)
QUEUE = reverse("dossiers:queue")
STEPS = (("Thẩm định hồ sơ", "SPECIALIST"), ("Phê duyệt, ký kết quả", "LEADER"))


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _at_step(agency, current: int, *, status=Status.PROCESSING, step_due=None, **fields):
    """A dossier with the two default steps, the `current`-th under way."""
    dossier = DossierFactory(agency=agency, status=status, **fields)
    for position, (name, role) in enumerate(STEPS, start=1):
        DossierStep.objects.create(
            dossier=dossier,
            position=position,
            name=name,
            role=role,
            started_at=MONDAY if position == current else None,
            due_at=(step_due or NOW + timedelta(days=5)) if position == current else None,
            completed_at=MONDAY if position < current else None,
        )
    return dossier


def _codes(response) -> list[str]:
    return [step.dossier.code for step in response.context["page"]]


def test_a_specialist_sees_the_dossiers_at_a_specialists_step_of_their_agency(
    client, agency, other_agency, specialist
):
    mine = _at_step(agency, 1)
    _at_step(agency, 2)  # awaits the leader
    _at_step(other_agency, 1)  # another agency's
    _at_step(agency, 1, status=Status.SUPPLEMENT)  # waiting for the applicant
    DossierFactory(agency=agency, status=Status.PROCESSING)  # no steps (forwarded long ago)
    client.force_login(specialist)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert _codes(response) == [mine.code]
    assert "Thẩm định hồ sơ" in response.content.decode()


def test_a_leader_sees_the_dossiers_awaiting_approval(client, agency, other_agency, leader):
    _at_step(agency, 1)
    awaiting = _at_step(agency, 2)
    _at_step(other_agency, 2)
    client.force_login(leader)

    response = client.get(QUEUE)

    assert _codes(response) == [awaiting.code]
    assert "Phê duyệt, ký kết quả" in response.content.decode()


def test_an_official_with_both_roles_in_two_agencies_sees_each_where_they_hold_it(
    client, agency, other_agency
):
    both = OfficialFactory(
        roles=[(agency, "SPECIALIST"), (agency, "LEADER"), (other_agency, "LEADER")]
    )
    appraise = _at_step(agency, 1, step_due=NOW + timedelta(days=1))
    approve = _at_step(agency, 2, step_due=NOW + timedelta(days=2))
    approve_elsewhere = _at_step(other_agency, 2, step_due=NOW + timedelta(days=3))
    _at_step(other_agency, 1)  # a specialist's step where they are only a leader
    client.force_login(both)

    response = client.get(QUEUE)

    # The most urgent step first.
    assert _codes(response) == [appraise.code, approve.code, approve_elsewhere.code]


def test_the_desk_sees_an_empty_queue(client, agency, desk_officer):
    _at_step(agency, 1)
    _at_step(agency, 2)
    client.force_login(desk_officer)

    response = client.get(QUEUE)

    assert _codes(response) == []
    assert "Không có hồ sơ nào đang chờ bạn xử lý." in response.content.decode()


def test_citizens_get_404_and_visitors_are_sent_to_sign_in(client, citizen):
    assert client.get(QUEUE).status_code == 302
    client.force_login(citizen)
    assert client.get(QUEUE).status_code == 404


def test_step_and_dossier_due_dates_are_labelled_in_words(client, agency, specialist):
    _at_step(agency, 1, step_due=NOW - timedelta(hours=1), due_at=NOW + timedelta(days=1))
    client.force_login(specialist)

    page = client.get(QUEUE).content.decode()

    assert 'class="due due-overdue">Quá hạn<' in page  # the step's
    assert 'class="due due-due_soon">Sắp đến hạn<' in page  # the dossier's


def test_the_queue_is_paged_by_25(client, agency, specialist):
    for _ in range(27):
        _at_step(agency, 1)
    client.force_login(specialist)

    first = client.get(QUEUE)
    second = client.get(QUEUE, {"page": 2})

    assert len(_codes(first)) == 25 and len(_codes(second)) == 2
    assert set(_codes(first)).isdisjoint(_codes(second))


def _queries(client, count: int, agency) -> int:
    for _ in range(count):
        _at_step(agency, 1)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(QUEUE)
    assert len(_codes(response)) == min(count, 25)
    return len(captured)


def test_the_queue_takes_as_many_queries_for_30_dossiers_as_for_3(
    client, agency, other_agency, specialist
):
    specialist.roles.create(agency=other_agency, role="SPECIALIST")
    client.force_login(specialist)

    few = _queries(client, 3, agency)
    many = _queries(client, 27, other_agency)

    assert few == many


def test_the_inbox_links_to_the_queue_for_specialists_and_leaders_only(
    client, specialist, leader, desk_officer
):
    inbox = reverse("dossiers:staff_inbox")
    for user, shown in ((specialist, True), (leader, True), (desk_officer, False)):
        client.force_login(user)
        page = client.get(inbox).content.decode()
        assert (f'href="{QUEUE}"' in page) is shown


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_queue_and_steps_panel_on_a_phone(live_server, phone_page, specialist, agency):
    """From the inbox to the queue to the dossier, whose step is completed through its plain
    HTML form; axe finds no serious violation and nothing scrolls sideways on the way."""
    dossier = _at_step(agency, 1)
    sign_in_as(phone_page, live_server.url, specialist)

    phone_page.goto(f"{live_server.url}{reverse('dossiers:staff_inbox')}")
    phone_page.get_by_role("link", name="Việc của tôi").click()
    assert serious_violations(phone_page) == [] and fits_the_screen(phone_page)

    phone_page.get_by_role("link", name=dossier.code).click()
    assert serious_violations(phone_page) == [] and fits_the_screen(phone_page)

    phone_page.get_by_label("Ghi chú").first.fill("Đủ điều kiện")
    phone_page.get_by_role("button", name="Hoàn thành bước").click()
    assert "Đã hoàn thành bước xử lý" in phone_page.content()
    assert serious_violations(phone_page) == []
    assert dossier.steps.get(position=1).note == "Đủ điều kiện"
