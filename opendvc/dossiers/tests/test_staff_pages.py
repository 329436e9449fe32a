"""The staff site for dossiers, through its pages: inbox, dossier page, files and actions."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import Apology, ComponentFile, Dossier, Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory
from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _act(client, dossier, action, data=None):
    url = reverse("dossiers:staff_action", args=[dossier.code, action])
    return client.post(url, {f"{action}-{k}": v for k, v in (data or {}).items()})


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _inbox_codes(response) -> list[str]:
    return [d.code for d in response.context["page"]]


# --- who gets in ---------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    for url in (
        reverse("dossiers:staff_inbox"),
        reverse("dossiers:staff_detail", args=[dossier.code]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_citizen_gets_404_on_staff_pages(client, citizen, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW, applicant=citizen)
    client.force_login(citizen)
    assert client.get(reverse("dossiers:staff_inbox")).status_code == 404
    assert client.get(reverse("dossiers:staff_detail", args=[dossier.code])).status_code == 404
    assert _act(client, dossier, "accept").status_code == 404
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


def test_inbox_shows_only_the_officials_agencies_and_no_drafts(
    client, desk_officer, agency, other_agency
):
    mine = DossierFactory(agency=agency, status=Status.NEW)
    DossierFactory(agency=other_agency, status=Status.NEW)
    DossierFactory(agency=agency, status=Status.DRAFT)
    client.force_login(desk_officer)
    response = client.get(reverse("dossiers:staff_inbox"))
    assert response.status_code == 200
    assert _inbox_codes(response) == [mine.code]


def test_other_agency_officer_gets_404_everywhere(client, other_agency_officer, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    component = DossierComponentFactory(dossier=dossier)
    stored = _file(component)
    client.force_login(other_agency_officer)
    assert client.get(reverse("dossiers:staff_detail", args=[dossier.code])).status_code == 404
    file_url = reverse("dossiers:staff_file", args=[dossier.code, stored.pk])
    assert client.get(file_url).status_code == 404
    for action in (
        "accept",
        "refuse",
        "forward",
        "request_supplement",
        "request_payment",
        "confirm_payment",
        "stop",
        "finish",
        "return_result",
        "apology",
    ):
        assert _act(client, dossier, action).status_code == 404, action
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW
    assert not StatusChange.objects.exists()


def test_inbox_bulk_accept_refuses_other_agencies_dossiers(client, other_agency_officer, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(other_agency_officer)
    response = client.post(reverse("dossiers:staff_bulk_accept"), {"codes": [dossier.code]})
    assert response.status_code == 302
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


# --- files ---------------------------------------------------------------------------------


def _file(component) -> ComponentFile:
    stored = ComponentFile(
        component=component,
        original_name="Giấy khai sinh.pdf",
        size=8,
        content_type="application/pdf",
        sha256="a" * 64,
        uploaded_at=MONDAY,
    )
    stored.file.save("x.pdf", ContentFile(b"%PDF-1.4"), save=False)
    stored.save()
    return stored


def test_official_downloads_a_component_file_as_attachment(client, specialist, agency):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)
    stored = _file(DossierComponentFactory(dossier=dossier))
    client.force_login(specialist)
    response = client.get(reverse("dossiers:staff_file", args=[dossier.code, stored.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.4"


def test_file_of_another_dossier_is_404(client, specialist, agency):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)
    other = DossierFactory(agency=agency, status=Status.PROCESSING)
    stored = _file(DossierComponentFactory(dossier=other))
    client.force_login(specialist)
    response = client.get(reverse("dossiers:staff_file", args=[dossier.code, stored.pk]))
    assert response.status_code == 404


# --- the dossier page ----------------------------------------------------------------------


def test_dossier_page_offers_only_this_roles_actions(client, desk_officer, specialist, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW, form_data={"ho_ten": "Đỗ Văn K"})
    DossierComponentFactory(dossier=dossier, name="Đơn đề nghị")
    url = reverse("dossiers:staff_detail", args=[dossier.code])
    client.force_login(desk_officer)
    response = client.get(url)
    assert [name for name, _t, _f in response.context["action_forms"]] == ["accept", "refuse"]
    page = response.content.decode()
    assert "Đơn đề nghị" in page
    # The answer under the e-form's label, not the stored key.
    assert "<dt>Họ, chữ đệm và tên</dt><dd>Đỗ Văn K</dd>" in page
    client.force_login(specialist)
    assert client.get(url).context["action_forms"] == []


# --- each action through its page ----------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "start", "action", "data", "end"),
    [
        ("desk_officer", Status.NEW, "accept", {}, Status.RECEIVED),
        (
            "desk_officer",
            Status.NEW,
            "refuse",
            {"reason_code": "INCOMPLETE", "note": "Thiếu tờ khai"},
            Status.REFUSED,
        ),
        ("desk_officer", Status.RECEIVED, "forward", {"note": ""}, Status.PROCESSING),
        (
            "specialist",
            Status.PROCESSING,
            "request_supplement",
            {"code_all": "MISSING", "note_all": "Thiếu bản sao"},
            Status.SUPPLEMENT,
        ),
        ("specialist", Status.PROCESSING, "request_payment", {}, Status.FINANCIAL_OBLIGATION),
        ("desk_officer", Status.FINANCIAL_OBLIGATION, "confirm_payment", {}, Status.PROCESSING),
        (
            "leader",
            Status.PROCESSING,
            "stop",
            {"reason_code": "LEGAL_CHANGE", "note": "Văn bản mới"},
            Status.STOPPED,
        ),
        ("leader", Status.PROCESSING, "finish", {"summary": "Đã cấp giấy"}, Status.FINISHED),
        ("desk_officer", Status.FINISHED, "return_result", {}, Status.RETURNED),
    ],
)
def test_each_action_changes_status_and_is_audited(
    request, client, agency, role, start, action, data, end
):
    official = request.getfixturevalue(role)
    dossier = DossierFactory(agency=agency, status=start)
    client.force_login(official)
    response = _act(client, dossier, action, data)
    assert response.status_code == 302
    assert response.url == reverse("dossiers:staff_detail", args=[dossier.code])
    assert Dossier.objects.get(pk=dossier.pk).status == end
    change = StatusChange.objects.get(dossier=dossier, to_status=end, action=action)
    assert change.actor == official
    assert AuditEntry.objects.filter(action=f"dossiers.{action}", actor_id=official.pk).exists()
    assert [m.level_tag for m in get_messages(response.wsgi_request)] == ["success"]


def test_supplement_per_component_records_each_reason(client, specialist, agency):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)
    first = DossierComponentFactory(dossier=dossier)
    DossierComponentFactory(dossier=dossier)
    client.force_login(specialist)
    _act(client, dossier, "request_supplement", {f"code_{first.pk}": "ILLEGIBLE"})
    request = Dossier.objects.get(pk=dossier.pk).supplements.get()
    assert request.reasons == [{"component": first.pk, "code": "ILLEGIBLE", "note": ""}]
    page = client.get(reverse("dossiers:staff_detail", args=[dossier.code])).content.decode()
    assert f"{first.name}: Bản chụp, bản quét không đọc được" in page


def test_apology_sets_a_new_due_date(client, leader, agency):
    dossier = DossierFactory(agency=agency, status=Status.PROCESSING)
    client.force_login(leader)
    data = {"reason": "Cần xác minh thêm", "amount": "10", "unit": "WORKING_DAY"}
    response = _act(client, dossier, "apology", data)
    assert response.status_code == 302
    apology = Apology.objects.get(dossier=dossier)
    assert Dossier.objects.get(pk=dossier.pk).due_at == apology.new_due_at > dossier.due_at
    assert AuditEntry.objects.filter(action="dossiers.issue_apology").exists()


# --- illegal actions and bad input ---------------------------------------------------------


def test_accepting_twice_shows_the_error_and_changes_nothing(client, desk_officer, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(desk_officer)
    _act(client, dossier, "accept")
    received = Dossier.objects.get(pk=dossier.pk)
    response = _act(client, dossier, "accept")
    assert response.status_code == 302
    assert "không thể thực hiện" in " ".join(_messages(response))
    again = Dossier.objects.get(pk=dossier.pk)
    assert (again.status, again.due_at) == (Status.RECEIVED, received.due_at)
    assert StatusChange.objects.filter(dossier=dossier).count() == 1


def test_specialist_may_not_accept(client, specialist, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(specialist)
    response = _act(client, dossier, "accept")
    assert "không có quyền" in " ".join(_messages(response))
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW
    assert not AuditEntry.objects.filter(action="dossiers.accept").exists()


@pytest.mark.parametrize(
    ("action", "data", "says"),
    [
        ("refuse", {"reason_code": "NO_SUCH_CODE"}, "Lý do từ chối"),
        ("refuse", {"reason_code": "OTHER", "note": "x" * 2001}, "2000"),
        ("refuse", {"reason_code": "OTHER", "note": " "}, "Cần ghi rõ lý do"),
        ("request_supplement", {}, "ít nhất một"),
        ("request_supplement", {"code_all": "BOGUS"}, "Toàn bộ hồ sơ"),
    ],
)
def test_bad_input_gives_a_clear_message(client, desk_officer, agency, action, data, says):
    status = Status.NEW if action == "refuse" else Status.RECEIVED
    dossier = DossierFactory(agency=agency, status=status)
    client.force_login(desk_officer)
    response = _act(client, dossier, action, data)
    assert response.status_code == 302
    shown = _messages(response)
    assert any(says in m for m in shown), shown
    assert Dossier.objects.get(pk=dossier.pk).status == status


def test_unknown_action_is_404(client, desk_officer, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(desk_officer)
    assert _act(client, dossier, "delete").status_code == 404


def test_actions_are_post_only(client, desk_officer, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(desk_officer)
    url = reverse("dossiers:staff_action", args=[dossier.code, "accept"])
    assert client.get(url).status_code == 405
    assert Dossier.objects.get(pk=dossier.pk).status == Status.NEW


# --- bulk accept ---------------------------------------------------------------------------


def test_bulk_accept_reports_each_code(client, desk_officer, agency, other_agency):
    new = DossierFactory(agency=agency, status=Status.NEW)
    new_too = DossierFactory(agency=agency, status=Status.NEW)
    processing = DossierFactory(agency=agency, status=Status.PROCESSING)
    foreign = DossierFactory(agency=other_agency, status=Status.NEW)
    client.force_login(desk_officer)
    codes = [new.code, processing.code, foreign.code, new_too.code, "KHONG-CO"]
    response = client.post(reverse("dossiers:staff_bulk_accept"), {"codes": codes})
    assert response.url == reverse("dossiers:staff_inbox")
    statuses = dict(Dossier.objects.values_list("code", "status"))
    assert statuses[new.code] == statuses[new_too.code] == Status.RECEIVED
    assert statuses[processing.code] == Status.PROCESSING
    assert statuses[foreign.code] == Status.NEW
    shown = _messages(response)
    assert any(new.code in m and new_too.code in m and "Đã tiếp nhận" in m for m in shown)
    for code in (processing.code, foreign.code, "KHONG-CO"):
        assert any(m.startswith(f"{code}: ") for m in shown), code
    assert AuditEntry.objects.filter(action="dossiers.accept").count() == 2


def test_bulk_accept_returns_to_the_same_filtered_list(client, desk_officer, agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(desk_officer)
    data = {"codes": [dossier.code], "query": "status=1&q=x y"}
    response = client.post(reverse("dossiers:staff_bulk_accept"), data)
    assert response.url == reverse("dossiers:staff_inbox") + "?status=1&q=x+y"


def test_bulk_accept_with_nothing_selected(client, desk_officer):
    client.force_login(desk_officer)
    response = client.post(reverse("dossiers:staff_bulk_accept"), {})
    assert "Chưa chọn" in " ".join(_messages(response))


# --- filters, search, paging and badges ----------------------------------------------------


def test_filters_and_search(client, desk_officer, agency):
    new = DossierFactory(agency=agency, status=Status.NEW, applicant_name="Trần Văn Hùng")
    late = DossierFactory(agency=agency, status=Status.PROCESSING, due_at=NOW - timedelta(hours=1))
    soon = DossierFactory(agency=agency, status=Status.RECEIVED, due_at=NOW + timedelta(days=1))
    fine = DossierFactory(agency=agency, status=Status.PROCESSING, due_at=NOW + timedelta(days=5))
    client.force_login(desk_officer)
    url = reverse("dossiers:staff_inbox")

    def codes(**query):
        return set(_inbox_codes(client.get(url, query)))

    assert codes(status=Status.NEW) == {new.code}
    assert codes(due="overdue") == {late.code}
    assert codes(due="due_soon") == {soon.code}
    assert codes(due="on_time") == {fine.code}
    assert codes(q="Hùng") == {new.code}
    assert codes(q=late.code) == {late.code}
    assert codes(procedure=soon.procedure.code) == {soon.code}
    assert codes(procedure=fine.procedure.name) == {fine.code}
    assert codes(channel=Dossier.Channel.ONLINE) == set()
    assert len(codes(channel=Dossier.Channel.COUNTER)) == 4
    page = client.get(url).content.decode()
    # Each badge carries its words as well as its colour (the filter's options use the same
    # words, so the badge markup is what is looked for).
    for state, words in (
        ("overdue", "Quá hạn"),
        ("due_soon", "Sắp đến hạn"),
        ("on_time", "Còn hạn"),
    ):
        assert f'<span class="due due-{state}">{words}</span>' in page


def test_garbage_filters_and_pages_never_fail(client, desk_officer, agency):
    DossierFactory(agency=agency, status=Status.NEW)
    client.force_login(desk_officer)
    url = reverse("dossiers:staff_inbox")
    for query in (
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999"},
        {"status": "zz"},
        {"status": "0"},
        {"due": "soon-ish"},
        {"q": "x" * 500},
    ):
        response = client.get(url, query)
        assert response.status_code == 200, query
    shown = client.get(url, {"status": "zz"})
    assert shown.context["form"].errors and len(_inbox_codes(shown)) == 1


def test_inbox_pages(client, desk_officer, agency):
    DossierFactory.create_batch(27, agency=agency, status=Status.NEW)
    client.force_login(desk_officer)
    url = reverse("dossiers:staff_inbox")
    assert len(_inbox_codes(client.get(url))) == 25
    assert len(_inbox_codes(client.get(url, {"page": 2}))) == 2


def test_inbox_query_count_does_not_grow(
    client, desk_officer, agency, django_assert_max_num_queries
):
    client.force_login(desk_officer)
    url = reverse("dossiers:staff_inbox")
    DossierFactory.create_batch(2, agency=agency, status=Status.NEW)
    # Session, user, roles (the view's guard), the official's agency ids, count, page.
    with django_assert_max_num_queries(6):
        client.get(url)
    DossierFactory.create_batch(23, agency=agency, status=Status.PROCESSING)
    with django_assert_max_num_queries(6):
        response = client.get(url)
    assert len(_inbox_codes(response)) == 25


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_staff_pages_on_a_phone(live_server, phone_page, desk_officer, agency):
    """axe finds no serious violation, nothing scrolls sideways, an action goes through its
    plain HTML form (the pages carry no script; axe needs JavaScript to run, so it is on)."""
    dossier = DossierFactory(agency=agency, status=Status.NEW, form_data={"ho_ten": "Đỗ Văn K"})
    DossierComponentFactory(dossier=dossier)
    DossierFactory(agency=agency, status=Status.PROCESSING)
    sign_in_as(phone_page, live_server.url, desk_officer)

    phone_page.goto(f"{live_server.url}/can-bo/ho-so/?due=bogus")
    assert serious_violations(phone_page) == []
    assert fits_the_screen(phone_page)

    phone_page.get_by_role("link", name=dossier.code).click()
    assert serious_violations(phone_page) == []
    assert fits_the_screen(phone_page)

    phone_page.get_by_role("button", name="Tiếp nhận hồ sơ").click()
    assert "Đã tiếp nhận hồ sơ." in phone_page.content()
    assert serious_violations(phone_page) == []
    assert Dossier.objects.get(pk=dossier.pk).status == Status.RECEIVED


def test_bulk_accept_is_offered_to_the_desk_only(client, desk_officer, specialist, agency):
    DossierFactory(agency=agency, status=Status.NEW)
    button = "Tiếp nhận các hồ sơ đã chọn"
    client.force_login(specialist)
    page = client.get(reverse("dossiers:staff_inbox")).content.decode()
    assert button not in page and 'name="codes"' not in page
    client.force_login(desk_officer)
    page = client.get(reverse("dossiers:staff_inbox")).content.decode()
    assert button in page and 'name="codes"' in page
