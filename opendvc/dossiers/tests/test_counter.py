"""The desk registers a dossier handed in at the counter or sent by post, through the pages:
the procedure and applicant, the paper received and its scans, then submission and reception
at once, with the tracking secret shown once. Desk officers only."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opendvc.accounts.tests.factories import OfficialFactory
from opendvc.audit.models import AuditEntry
from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
from opendvc.dossiers.models import ComponentFile, Dossier, Status
from opendvc.dossiers.tests.factories import MONDAY, VN, DossierFactory, pdf

pytestmark = pytest.mark.django_db
NOW = MONDAY + timedelta(hours=1)  # Monday 23 November 2026, 10:00, inside office hours
START = reverse("dossiers:counter_start")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(agency):
    """A procedure the agency receives, with two required documents and an optional one."""
    procedure = ProcedureFactory(code="1.001193", name="Đăng ký khai sinh")
    procedure.implementing_agencies.set([agency])
    case = CaseFactory(procedure=procedure, processing_amount=5, processing_unit="WORKING_DAY")
    DocumentFactory(case=case, name="Tờ khai đăng ký khai sinh", position=0)
    DocumentFactory(case=case, name="Giấy chứng sinh", position=1)
    DocumentFactory(case=case, name="Giấy ủy quyền", position=2, is_required=False)
    return case


def applicant(**changes) -> dict:
    return {
        "name": "Đỗ Thị Hoa",
        "type": "CITIZEN",
        "id_number": "001190012345",
        "phone": "0912 345 678",
        "email": "hoa@example.vn",
        "address": "Số 5 đường Lý Thái Tổ, phường Kinh Bắc",
        **changes,
    }


def start_url(agency, code: str) -> str:
    return f"{START}?agency={agency.pk}&q={code}&thu_tuc={code}"


def start(client, agency, case, channel=Dossier.Channel.COUNTER, **changes) -> Dossier:
    data = {"case": case.pk, "channel": channel, **applicant(**changes)}
    response = client.post(start_url(agency, case.procedure.code), data)
    draft = Dossier.objects.get(status=Status.DRAFT, agency=agency)
    assert response.status_code == 302
    assert response.url == reverse("dossiers:counter_documents", kwargs={"pk": draft.pk})
    return draft


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def components(draft) -> list:
    return list(draft.components.order_by("position"))


# --- the whole flow ------------------------------------------------------------------------


@pytest.mark.parametrize("channel", [Dossier.Channel.COUNTER, Dossier.Channel.POSTAL])
def test_desk_registers_a_paper_dossier_which_is_received_at_once(
    client, desk_officer, agency, case, channel
):
    # Given a desk officer who finds the procedure by words without diacritics
    client.force_login(desk_officer)
    found = client.get(START, {"q": "dang ky khai sinh"})
    assert found.status_code == 200
    assert [p.code for p in found.context["found"]] == ["1.001193"]
    form_page = client.get(start_url(agency, "1.001193"))
    assert form_page.context["procedure"] == case.procedure

    # When they register the applicant, the paper received, one scan, and confirm
    draft = start(client, agency, case, channel=channel)
    tokhai, chungsinh, uyquyen = components(draft)
    documents = reverse("dossiers:counter_documents", kwargs={"pk": draft.pk})
    saved = client.post(
        documents,
        {
            "received": [tokhai.pk],
            f"scan-{chungsinh.pk}": upload("chung-sinh.pdf", pdf()),
            "continue": "1",
        },
    )
    assert saved.url == reverse("dossiers:counter_confirm", kwargs={"pk": draft.pk})
    registered = client.post(saved.url)

    # Then the dossier is submitted and received, with its due moment and channel
    dossier = Dossier.objects.get(pk=draft.pk)
    assert registered.url == reverse("dossiers:staff_detail", kwargs={"code": dossier.code})
    assert dossier.status == Status.RECEIVED
    assert dossier.channel == channel
    assert dossier.applicant is None
    assert dossier.applicant_name == "Đỗ Thị Hoa"
    assert dossier.applicant_phone == "0912345678"
    assert dossier.applicant_id_number == "001190012345"
    assert dossier.form_data["counter"]["address"].startswith("Số 5 đường Lý Thái Tổ")
    assert dossier.received_at == NOW
    # 5 working days after Monday 23/11 (that day not counted; 24/11, Vietnam Culture Day,
    # is a day off): 25, 26, 27, 30/11 and 1/12, at the close of office hours.
    assert dossier.due_at == datetime(2026, 12, 1, 17, 0, tzinfo=VN)
    assert [c.is_digitised for c in components(dossier)] == [False, True, False]
    assert sorted(dossier.form_data["counter"]["received"]) == sorted([tokhai.pk, chungsinh.pk])
    assert uyquyen.pk not in dossier.form_data["counter"]["received"]
    actions = list(
        AuditEntry.objects.filter(target_id=str(dossier.pk)).values_list("action", flat=True)
    )
    for expected in ("dossiers.create_draft", "dossiers.submit", "dossiers.accept"):
        assert expected in actions
    assert [h.to_status for h in dossier.history.all()] == [Status.NEW, Status.RECEIVED]

    # And the tracking secret is shown once, on the staff page, and is the dossier's
    page = client.get(registered.url)
    shown = [m for m in messages_of(page) if dossier.code in m]
    assert len(shown) == 1
    secret = shown[0].split("Mã bí mật tra cứu: ")[1][:10]
    assert dossier.check_secret(secret)
    assert secret in page.content.decode()
    assert secret not in client.get(registered.url).content.decode()


def test_a_scanned_required_component_counts_as_received(client, desk_officer, agency, case):
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    tokhai, chungsinh, _ = components(draft)
    client.post(
        reverse("dossiers:counter_documents", kwargs={"pk": draft.pk}),
        {
            f"scan-{tokhai.pk}": upload("to-khai.pdf", pdf()),
            f"scan-{chungsinh.pk}": upload("chung-sinh.pdf", pdf(content=b"BT ET")),
        },
    )
    client.post(reverse("dossiers:counter_confirm", kwargs={"pk": draft.pk}))
    draft.refresh_from_db()
    assert draft.status == Status.RECEIVED
    assert [c.is_digitised for c in components(draft)] == [True, True, False]


# --- who may register ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["specialist", "leader", "citizen", "other_agency_officer"])
def test_anyone_but_a_desk_officer_gets_404(client, request, desk_officer, agency, case, who):
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    client.force_login(request.getfixturevalue(who))
    pk = {"pk": draft.pk}
    assert client.get(START).status_code == 404
    assert client.get(start_url(agency, case.procedure.code)).status_code == 404
    assert client.post(start_url(agency, case.procedure.code), applicant()).status_code == 404
    assert client.get(reverse("dossiers:counter_documents", kwargs=pk)).status_code == 404
    assert client.post(reverse("dossiers:counter_confirm", kwargs=pk)).status_code == 404
    assert client.post(reverse("dossiers:counter_discard", kwargs=pk)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_anonymous_is_sent_to_sign_in(client, agency):
    response = client.get(START)
    assert response.status_code == 302
    assert "next=" in response.url


def test_the_nav_link_is_offered_to_the_desk_only(client, desk_officer, specialist, agency):
    inbox = reverse("dossiers:staff_inbox")
    client.force_login(desk_officer)
    assert START in client.get(inbox).content.decode()
    client.force_login(specialist)
    assert START not in client.get(inbox).content.decode()


def test_an_officer_cannot_register_where_they_are_not_at_the_desk(
    client, desk_officer, agency, other_agency, case
):
    # Given a procedure the other agency also receives, where this officer is a specialist
    case.procedure.implementing_agencies.add(other_agency)
    OfficialFactory(roles=[(other_agency, "DESK_OFFICER")])
    desk_officer.roles.create(agency=other_agency, role="SPECIALIST")
    client.force_login(desk_officer)

    # When they name the other agency
    data = {"case": case.pk, "channel": Dossier.Channel.COUNTER, **applicant()}
    response = client.post(start_url(other_agency, case.procedure.code), data)

    # Then nothing is created, and the page says why
    assert response.status_code == 400
    assert "Bạn không tiếp nhận hồ sơ tại cơ quan này." in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_desk_officer_cannot_open_another_agencys_draft(
    client, desk_officer, agency, other_agency, case
):
    other_draft = DossierFactory(agency=other_agency, case=case, status=Status.DRAFT)
    client.force_login(desk_officer)
    pk = {"pk": other_draft.pk}
    assert client.get(reverse("dossiers:counter_documents", kwargs=pk)).status_code == 404
    assert client.post(reverse("dossiers:counter_confirm", kwargs=pk)).status_code == 404
    assert other_draft not in list(client.get(START).context["drafts"])


def test_a_citizens_online_draft_is_not_the_desks(client, desk_officer, citizen, agency, case):
    online = DossierFactory(agency=agency, case=case, applicant=citizen, status=Status.DRAFT)
    client.force_login(desk_officer)
    url = reverse("dossiers:counter_confirm", kwargs={"pk": online.pk})
    assert client.post(url).status_code == 404
    online.refresh_from_db()
    assert online.status == Status.DRAFT


def test_a_procedure_the_agency_does_not_receive_is_not_offered(client, desk_officer, agency):
    elsewhere = ProcedureFactory(code="2.000001", name="Cấp giấy phép xây dựng")
    CaseFactory(procedure=elsewhere)
    client.force_login(desk_officer)
    assert client.get(START, {"q": "2.000001"}).context["found"] == []
    response = client.get(start_url(agency, "2.000001"))
    assert response.context["procedure"] is None
    assert "không tiếp nhận thủ tục" in response.content.decode()


# --- refusals keep the draft ---------------------------------------------------------------


def test_a_required_paper_component_not_received_is_refused_and_the_draft_kept(
    client, desk_officer, agency, case
):
    # Given a draft where only the optional document was received
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    _, _, uyquyen = components(draft)
    client.post(
        reverse("dossiers:counter_documents", kwargs={"pk": draft.pk}), {"received": [uyquyen.pk]}
    )

    # When the desk confirms
    confirm = reverse("dossiers:counter_confirm", kwargs={"pk": draft.pk})
    response = client.post(confirm, follow=True)

    # Then it is refused, naming the missing documents, and the draft is as it was
    said = " ".join(messages_of(response))
    assert "Chưa nhận bản giấy của thành phần bắt buộc" in said
    assert "Tờ khai đăng ký khai sinh" in said and "Giấy chứng sinh" in said
    assert "Giấy ủy quyền" not in said
    assert response.redirect_chain[-1][0] == confirm
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT and draft.code is None
    assert draft.form_data["counter"]["received"] == [uyquyen.pk]
    assert not AuditEntry.objects.filter(action="dossiers.submit").exists()


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"name": "   "}, "Vui lòng nhập"),
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"phone": "0212345678"}, "Số điện thoại không hợp lệ"),
        ({"email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"id_number": "12AB"}, "Số định danh cá nhân gồm 12 chữ số"),
        ({"type": "BUSINESS", "id_number": "12345"}, "Mã số doanh nghiệp gồm 10 chữ số"),
        ({"type": "ALIEN"}, "Người nộp là công dân hoặc doanh nghiệp, tổ chức."),
        ({"channel": Dossier.Channel.ONLINE}, "chỉ tiếp nhận hồ sơ nộp trực tiếp hoặc qua bưu"),
        ({"case": 999999}, "Trường hợp đã chọn không thuộc thủ tục này."),
    ],
)
def test_invalid_applicant_data_gets_a_clear_message(
    client, desk_officer, agency, case, changes, says
):
    client.force_login(desk_officer)
    data = {"case": case.pk, "channel": Dossier.Channel.COUNTER, **applicant(**changes)}
    response = client.post(start_url(agency, case.procedure.code), data)
    assert response.status_code == 400
    errors = [str(e) for field in response.context["form"].errors.values() for e in field]
    assert any(says in error for error in errors)
    assert says in response.content.decode()
    assert not Dossier.objects.exists()


def test_a_business_with_a_branch_code_is_accepted(client, desk_officer, agency, case):
    client.force_login(desk_officer)
    draft = start(client, agency, case, type="BUSINESS", id_number="0101234567-001", phone="")
    assert draft.applicant_type == "BUSINESS"
    assert draft.applicant_id_number == "0101234567-001"


def test_a_scan_of_the_wrong_type_is_refused_and_the_rest_kept(client, desk_officer, agency, case):
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    tokhai, chungsinh, _ = components(draft)
    documents = reverse("dossiers:counter_documents", kwargs={"pk": draft.pk})
    response = client.post(
        documents,
        {
            "received": [tokhai.pk, chungsinh.pk],
            f"scan-{tokhai.pk}": upload("to-khai.pdf", pdf()),
            f"scan-{chungsinh.pk}": upload("chung-sinh.pdf", b"MZ not a document"),
            "continue": "1",
        },
        follow=True,
    )
    said = " ".join(messages_of(response))
    assert "không phải PDF, JPEG hoặc PNG" in said
    assert response.redirect_chain[-1][0] == documents  # stays to fix the scan
    assert list(ComponentFile.objects.values_list("component", flat=True)) == [tokhai.pk]
    draft.refresh_from_db()
    assert sorted(draft.form_data["counter"]["received"]) == sorted([tokhai.pk, chungsinh.pk])


# --- an unfinished draft -------------------------------------------------------------------


def test_an_unfinished_draft_is_listed_resumed_and_discarded(
    client, desk_officer, agency, case, django_capture_on_commit_callbacks
):
    # Given a draft with a scan, left unfinished
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    tokhai = components(draft)[0]
    documents = reverse("dossiers:counter_documents", kwargs={"pk": draft.pk})
    client.post(documents, {f"scan-{tokhai.pk}": upload("to-khai.pdf", pdf())})
    stored = ComponentFile.objects.get()
    storage, name = stored.file.storage, stored.file.name

    # Then the start page lists it, and its documents page shows what was kept
    assert list(client.get(START).context["drafts"]) == [draft]
    page = client.get(documents)
    assert "to-khai.pdf" in page.content.decode()

    # When the desk discards it
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        discarded = client.post(reverse("dossiers:counter_discard", kwargs={"pk": draft.pk}))

    # Then it is gone with its scan, and the discard is audited
    assert discarded.url == START
    assert not Dossier.objects.filter(pk=draft.pk).exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="dossiers.discard_draft").count() == 1


def test_a_scan_can_be_removed_before_registration(client, desk_officer, agency, case):
    # Given a draft with both required papers received, one of them scanned
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    tokhai, chungsinh, _ = components(draft)
    documents = reverse("dossiers:counter_documents", kwargs={"pk": draft.pk})
    client.post(
        documents,
        {"received": [tokhai.pk, chungsinh.pk], f"scan-{tokhai.pk}": upload("a.pdf", pdf())},
    )
    tokhai.refresh_from_db()
    assert tokhai.is_digitised

    # When the scan is removed, and the dossier registered
    stored = ComponentFile.objects.get()
    url = reverse("dossiers:counter_remove_file", kwargs={"pk": draft.pk, "file_pk": stored.pk})
    assert client.get(url).status_code == 405
    assert client.post(url).url == documents
    client.post(reverse("dossiers:counter_confirm", kwargs={"pk": draft.pk}))

    # Then the component was received on paper only: not digitised
    assert not ComponentFile.objects.exists()
    draft.refresh_from_db()
    assert draft.status == Status.RECEIVED
    assert not any(c.is_digitised for c in components(draft))


def test_a_forged_received_component_of_another_dossier_is_refused(
    client, desk_officer, agency, case
):
    client.force_login(desk_officer)
    draft = start(client, agency, case)
    stranger = DossierFactory(agency=agency, status=Status.RECEIVED).components.create(name="X")
    documents = reverse("dossiers:counter_documents", kwargs={"pk": draft.pk})
    response = client.post(documents, {"received": [stranger.pk]}, follow=True)
    assert "không thuộc hồ sơ này" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert draft.form_data["counter"]["received"] == []


def test_an_officer_at_two_desks_picks_the_agency(client, agency, other_agency, case):
    # Given an officer at both desks; only the first agency receives the procedure
    officer = OfficialFactory(roles=[(agency, "DESK_OFFICER"), (other_agency, "DESK_OFFICER")])
    client.force_login(officer)

    # Then the agency is a choice, and each agency finds only what it receives
    page = client.get(START)
    assert list(page.context["finder"].fields["agency"].queryset) == [agency, other_agency]
    assert 'name="agency"' in page.content.decode()
    here = client.get(START, {"agency": agency.pk, "q": "khai sinh"}).context["found"]
    there = client.get(START, {"agency": other_agency.pk, "q": "khai sinh"}).context["found"]
    assert here == [case.procedure] and there == []


def test_the_list_of_open_drafts_costs_the_same_queries_however_long(
    client, desk_officer, agency, case, django_assert_max_num_queries
):
    client.force_login(desk_officer)
    DossierFactory(agency=agency, case=case, status=Status.DRAFT)
    client.get(START)  # warm the session and caches
    with django_assert_max_num_queries(20) as one:
        client.get(START)
    for _ in range(10):
        DossierFactory(agency=agency, case=case, status=Status.DRAFT)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(START)
    assert len(page.context["drafts"]) == 11
