"""The agency administrator's step editor (/can-bo/quy-trinh/): the cases the agency receives,
and the steps of one case saved as data, with every rule checked and the change audited."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import CaseFactory, ProcedureFactory
from opendvc.directory.tests.factories import AgencyFactory
from opendvc.dossiers import actions
from opendvc.dossiers.models import ProcessingStep
from opendvc.dossiers.tests.factories import MONDAY
from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(hours=1)
CASES = reverse("dossiers:step_cases")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def admin(agency):
    return OfficialFactory(full_name="Đinh Văn Quản", roles=[(agency, "AGENCY_ADMIN")])


def _case(agency, amount=5, unit="WORKING_DAY", **procedure):
    case = CaseFactory(
        procedure=ProcedureFactory(**procedure), processing_amount=amount, processing_unit=unit
    )
    case.procedure.implementing_agencies.add(agency)
    return case


def _editor(case, agency=None) -> str:
    url = reverse("dossiers:step_editor", args=[case.pk])
    return f"{url}?co-quan={agency.code}" if agency else url


def _formset(*steps, initial: int | None = None, delete=()) -> dict:
    """POST data of the editor as the page sends it: each step (name, role, working days), in
    the order given, then the two blank rows offered for new steps."""
    blank = len(steps)
    data = {
        f"form-{blank}-role": "",
        f"form-{blank + 1}-role": "",
        "form-TOTAL_FORMS": str(len(steps) + 2),
        "form-INITIAL_FORMS": str(len(steps) if initial is None else initial),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "20",
    }
    for index, (name, role, days) in enumerate(steps):
        data |= {
            f"form-{index}-name": name,
            f"form-{index}-role": role,
            f"form-{index}-working_days": str(days),
            f"form-{index}-ORDER": str(index + 1),
        }
        if index in delete:
            data[f"form-{index}-DELETE"] = "on"
    return data


def _saved(agency, case) -> list[tuple]:
    return list(
        ProcessingStep.objects.filter(agency=agency, case=case)
        .order_by("position")
        .values_list("position", "name", "role", "working_days")
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- who gets in -------------------------------------------------------------------------------


def test_the_admin_sees_the_cases_the_agency_receives_with_their_state(
    client, admin, agency, other_agency
):
    defined = _case(agency, code="1.000001", name="Cấp phiếu lý lịch tư pháp")
    default = _case(agency, code="1.000002", name="Chứng thực bản sao")
    _case(other_agency, code="1.000003", name="Cấp giấy phép xây dựng")
    ProcessingStep.objects.create(
        agency=agency, case=defined, position=1, name="Phê duyệt", role="LEADER"
    )
    client.force_login(admin)

    response = client.get(CASES)

    assert response.status_code == 200
    assert [(c.pk, c.has_steps) for c in response.context["page"]] == [
        (defined.pk, True),
        (default.pk, False),
    ]
    page = response.content.decode()
    assert "Đã xác định" in page and "Mặc định" in page
    assert "Cấp giấy phép xây dựng" not in page


def test_cases_of_a_generic_agency_the_agency_stands_for_are_listed(client, admin, agency):
    generic = AgencyFactory(name="Sở Tư pháp", code="G-STP", admin_unit=None)
    agency.generic = generic
    agency.save(update_fields=["generic"])
    case = _case(generic, code="2.000001")
    client.force_login(admin)

    response = client.get(CASES)

    assert [c.pk for c in response.context["page"]] == [case.pk]
    assert client.get(_editor(case)).status_code == 200


def test_cases_are_searched_by_procedure_code_or_name(client, admin, agency):
    licence = _case(agency, code="1.000001", name="Cấp phiếu lý lịch tư pháp")
    _case(agency, code="1.000002", name="Chứng thực bản sao")
    client.force_login(admin)

    by_name = client.get(CASES, {"q": "lý lịch"})
    by_code = client.get(CASES, {"q": "1.000001"})

    assert [c.pk for c in by_name.context["page"]] == [licence.pk]
    assert [c.pk for c in by_code.context["page"]] == [licence.pk]


def test_the_case_list_is_paged_by_25(client, admin, agency):
    for _ in range(27):
        _case(agency)
    client.force_login(admin)

    first = client.get(CASES, {"q": "thử nghiệm"})
    second = client.get(CASES, {"q": "thử nghiệm", "page": 2})

    assert len(first.context["page"]) == 25 and len(second.context["page"]) == 2
    assert set(first.context["page"]).isdisjoint(second.context["page"])
    assert "?q=th%E1%BB%AD+nghi%E1%BB%87m&amp;page=2" in first.content.decode()  # search kept


def test_other_officials_get_404(client, agency, other_agency, specialist, leader):
    case = _case(agency)
    other_admin = OfficialFactory(roles=[(other_agency, "AGENCY_ADMIN")])
    for user in (specialist, leader):
        client.force_login(user)
        assert client.get(CASES).status_code == 404
        assert client.get(_editor(case)).status_code == 404
    client.force_login(other_admin)
    assert client.get(_editor(case)).status_code == 404  # not a case of their agency
    assert client.get(_editor(case, agency)).status_code == 404  # not their agency
    response = client.post(_editor(case, agency), _formset(("Phê duyệt", "LEADER", 1)))
    assert response.status_code == 404
    assert _saved(agency, case) == []


def test_visitors_are_sent_to_sign_in_and_citizens_get_404(client, citizen, agency):
    case = _case(agency)
    assert client.get(_editor(case)).status_code == 302
    client.force_login(citizen)
    assert client.get(CASES).status_code == 404
    assert client.get(_editor(case)).status_code == 404


def test_an_admin_of_two_agencies_picks_one(client, agency, other_agency):
    admin = OfficialFactory(roles=[(agency, "AGENCY_ADMIN"), (other_agency, "AGENCY_ADMIN")])
    case = _case(other_agency, name="Cấp giấy phép xây dựng")
    client.force_login(admin)

    response = client.get(CASES, {"co-quan": other_agency.code})

    assert response.context["agency"] == other_agency
    assert [c.pk for c in response.context["page"]] == [case.pk]
    assert client.get(CASES, {"co-quan": "KHONG-CO"}).status_code == 404
    client.post(_editor(case, other_agency), _formset(("Phê duyệt", "LEADER", 1)))
    assert _saved(other_agency, case) == [(1, "Phê duyệt", "LEADER", 1)]


# --- editing -------------------------------------------------------------------------------


def test_the_editor_starts_from_the_default_steps(client, admin, agency):
    case = _case(agency, amount=7)
    client.force_login(admin)

    response = client.get(_editor(case))

    formset = response.context["formset"]
    assert [f.initial for f in formset.initial_forms] == [
        {"name": "Thẩm định hồ sơ", "role": "SPECIALIST", "working_days": 6},
        {"name": "Phê duyệt, ký kết quả", "role": "LEADER", "working_days": 1},
    ]
    assert "Đang dùng quy trình mặc định" in response.content.decode()


def test_the_admin_saves_the_steps_and_the_change_is_audited(client, admin, agency):
    case = _case(agency)
    ProcessingStep.objects.create(
        agency=agency, case=case, position=1, name="Phê duyệt", role="LEADER"
    )
    client.force_login(admin)

    response = client.post(
        _editor(case),
        _formset(
            ("Thẩm định hồ sơ", "SPECIALIST", 2),
            ("Lấy ý kiến phối hợp", "SPECIALIST", 2),
            ("Phê duyệt, ký kết quả", "LEADER", 1),
        ),
    )

    assert response.status_code == 302
    assert response.url == _editor(case, agency)
    assert _messages(response) == ["Đã lưu quy trình xử lý."]
    assert _saved(agency, case) == [
        (1, "Thẩm định hồ sơ", "SPECIALIST", 2),
        (2, "Lấy ý kiến phối hợp", "SPECIALIST", 2),
        (3, "Phê duyệt, ký kết quả", "LEADER", 1),
    ]
    entry = AuditEntry.objects.get(action="dossiers.save_processing_steps")
    assert entry.actor_id == admin.pk
    assert entry.payload["agency"] == agency.code
    assert entry.payload["before"] == [{"name": "Phê duyệt", "role": "LEADER", "working_days": 1}]
    assert len(entry.payload["after"]) == 3


def test_steps_are_reordered_deleted_and_blank_rows_ignored(client, admin, agency):
    case = _case(agency)
    client.force_login(admin)
    data = _formset(
        ("Phê duyệt, ký kết quả", "LEADER", 1),
        ("Bước thừa", "SPECIALIST", 1),
        ("Thẩm định hồ sơ", "SPECIALIST", 3),
        initial=2,
        delete=(1,),
    )
    data |= {"form-0-ORDER": "2", "form-2-ORDER": "1"}

    client.post(_editor(case), data)

    assert _saved(agency, case) == [
        (1, "Thẩm định hồ sơ", "SPECIALIST", 3),
        (2, "Phê duyệt, ký kết quả", "LEADER", 1),
    ]


@pytest.mark.parametrize(
    "data,message",
    [
        (
            _formset(("Thẩm định", "SPECIALIST", 2), ("Phê duyệt", "LEADER", 1), delete=(0, 1)),
            "Quy trình cần có ít nhất một bước.",
        ),
        (
            _formset(("Phê duyệt", "LEADER", 1), ("Thẩm định", "SPECIALIST", 2)),
            "Bước cuối cùng phải do lãnh đạo thực hiện (lãnh đạo phê duyệt, ký kết quả).",
        ),
        (
            _formset(("Thẩm định", "SPECIALIST", 0), ("Phê duyệt", "LEADER", 1)),
            "Số ngày làm việc phải từ 1 trở lên.",
        ),
        (
            _formset(("Thẩm định", "SPECIALIST", 6), ("Phê duyệt", "LEADER", 1)),
            "Tổng số ngày làm việc của các bước (7) vượt quá thời hạn giải quyết "
            "của trường hợp (5 ngày làm việc).",
        ),
        (
            _formset(("", "SPECIALIST", 2), ("Phê duyệt", "LEADER", 1)),
            "Trường này là bắt buộc.",
        ),
    ],
    ids=["no-step", "last-not-leader", "zero-days", "over-legal-time", "no-name"],
)
def test_invalid_steps_are_shown_with_their_message_and_nothing_changes(
    client, admin, agency, data, message
):
    case = _case(agency, amount=5)
    ProcessingStep.objects.create(
        agency=agency, case=case, position=1, name="Phê duyệt", role="LEADER"
    )
    client.force_login(admin)

    response = client.post(_editor(case), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _saved(agency, case) == [(1, "Phê duyệt", "LEADER", 1)]
    assert not AuditEntry.objects.filter(action="dossiers.save_processing_steps").exists()


def test_any_total_fits_a_legal_time_not_in_working_days(client, admin, agency):
    case = _case(agency, amount=1, unit="MONTH")
    client.force_login(admin)

    client.post(_editor(case), _formset(("Thẩm định", "SPECIALIST", 20), ("Ký", "LEADER", 2)))

    assert [row[3] for row in _saved(agency, case)] == [20, 2]


def test_a_case_the_agency_does_not_receive_is_404(client, admin, agency):
    elsewhere = CaseFactory()
    client.force_login(admin)

    assert client.get(_editor(elsewhere)).status_code == 404
    assert client.post(_editor(elsewhere), _formset(("Ký", "LEADER", 1))).status_code == 404


def test_the_inbox_links_to_the_editor_for_agency_admins(client, admin, specialist):
    inbox = reverse("dossiers:staff_inbox")
    client.force_login(admin)
    assert f'href="{CASES}"' in client.get(inbox).content.decode()
    client.force_login(specialist)
    assert f'href="{CASES}"' not in client.get(inbox).content.decode()


def test_the_action_itself_checks_who_saves_and_what(agency, admin, specialist, other_agency):
    case = _case(agency, amount=2)
    leader_only = [{"name": "Ký", "role": "LEADER", "working_days": 1}]

    with pytest.raises(actions.NotAllowed):
        actions.save_processing_steps(
            agency=agency, case=case, steps=leader_only, by=specialist, now=NOW
        )
    with pytest.raises(actions.InvalidRequest, match="không tiếp nhận"):
        actions.save_processing_steps(
            agency=agency, case=_case(other_agency), steps=leader_only, by=admin, now=NOW
        )
    too_long = [{"name": " ", "role": "SPECIALIST", "working_days": 3}]
    with pytest.raises(actions.InvalidRequest) as raised:
        actions.save_processing_steps(agency=agency, case=case, steps=too_long, by=admin, now=NOW)
    assert str(raised.value) == (
        "Bước 1: cần nhập tên bước. "
        "Bước cuối cùng phải do lãnh đạo thực hiện (lãnh đạo phê duyệt, ký kết quả). "
        "Tổng số ngày làm việc của các bước (3) vượt quá thời hạn giải quyết "
        "của trường hợp (2 ngày làm việc)."
    )
    assert _saved(agency, case) == []
    assert not AuditEntry.objects.filter(action="dossiers.save_processing_steps").exists()


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_the_editor_on_a_phone(live_server, phone_page, admin, agency):
    """The list and the editor pass axe and fit a phone; a step is added through the blank
    row of the plain HTML form, and a wrong total is explained beside the form."""
    case = _case(agency, amount=5, name="Cấp phiếu lý lịch tư pháp")
    page = phone_page
    sign_in_as(page, live_server.url, admin)

    page.goto(f"{live_server.url}{CASES}")
    assert serious_violations(page) == [] and fits_the_screen(page)
    page.get_by_role("link", name=case.name).click()
    assert serious_violations(page) == [] and fits_the_screen(page)

    page.locator("#id_form-2-name").fill("Lấy ý kiến phối hợp")
    page.locator("#id_form-2-role").select_option("SPECIALIST")
    page.locator("#id_form-2-working_days").fill("3")
    page.locator("#id_form-2-ORDER").fill("2")
    page.locator("#id_form-1-ORDER").fill("3")
    page.get_by_role("button", name="Lưu quy trình").click()
    alert = page.get_by_role("alert").inner_text()
    assert "Tổng số ngày làm việc của các bước (8)" in alert
    assert serious_violations(page) == []

    page.locator("#id_form-2-working_days").fill("1")
    page.locator("#id_form-0-working_days").fill("3")
    page.get_by_role("button", name="Lưu quy trình").click()
    assert "Đã lưu quy trình xử lý." in page.content()
    assert _saved(agency, case) == [
        (1, "Thẩm định hồ sơ", "SPECIALIST", 3),
        (2, "Lấy ý kiến phối hợp", "SPECIALIST", 1),
        (3, "Phê duyệt, ký kết quả", "LEADER", 1),
    ]
