"""A citizen files a dossier online through the pages: start, e-form, documents, check, submit,
the receipt with its secret shown once, "Hồ sơ của tôi", the detail and withdrawal."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.catalog.models import Procedure
from opendvc.catalog.tests.factories import ProcedureFactory
from opendvc.directory.tests.factories import AgencyFactory
from opendvc.dossiers.models import ComponentFile, Dossier, Status
from opendvc.dossiers.tests.factories import DossierFactory, pdf

from .scenes import (  # noqa: F401 - the commune fixture
    answers,
    commune_of_a_province,
    criminal_record_case,
)

pytestmark = pytest.mark.django_db


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def receiving(commune):
    """A concrete agency standing for the generic one the catalog names."""
    generic = AgencyFactory(name="Sở Tư pháp")
    concrete = AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", admin_unit=commune.parent)
    concrete.stands_for.add(generic)
    return generic, concrete


@pytest.fixture
def case(receiving):
    return criminal_record_case(receiving[0])


def start(client, case) -> Dossier:
    url = reverse("dossiers:start", kwargs={"code": case.procedure.code})
    response = client.post(url, {"case": case.pk, "agency": _agency(case).pk})
    draft = Dossier.objects.get(applicant__isnull=False, procedure=case.procedure)
    assert response.url == reverse("dossiers:form", kwargs={"pk": draft.pk})
    return draft


def _agency(case):
    return case.procedure.implementing_agencies.get().concrete_agencies.get()


def attach(client, draft, component, *files):
    url = reverse("dossiers:attach", kwargs={"pk": draft.pk, "component_pk": component.pk})
    return client.post(url, {"files": list(files)}, follow=True)


def filled_draft(client, case, commune) -> Dossier:
    draft = start(client, case)
    client.post(reverse("dossiers:form", kwargs={"pk": draft.pk}), answers(commune))
    for index, component in enumerate(draft.components.order_by("position")):
        attach(client, draft, component, upload(f"giay-{index}.pdf", pdf(content=b"%d" % index)))
    return draft


def test_a_citizen_files_a_dossier_from_start_to_receipt(client, citizen, case, commune):
    client.force_login(citizen)
    page = client.get(reverse("dossiers:start", kwargs={"code": case.procedure.code}))
    assert "Sở Tư pháp tỉnh Bắc Ninh" in page.text and "checked" in page.text  # one choice

    draft = start(client, case)
    form_url = reverse("dossiers:form", kwargs={"pk": draft.pk})
    assert 'value="Nguyễn Văn An"' in client.get(form_url).text  # the account prefills
    response = client.post(form_url, answers(commune))
    assert response.url == reverse("dossiers:attachments", kwargs={"pk": draft.pk})
    draft.refresh_from_db()
    assert draft.form_data["so_dinh_danh_ca_nhan"] == "001090012345"
    assert AuditEntry.objects.filter(action="dossiers.draft_saved").count() == 1

    first, second = draft.components.order_by("position")
    page = attach(
        client, draft, first, upload("to-khai.pdf", pdf()), upload("ban-2.pdf", pdf(content=b"2"))
    )
    assert "Đã đính kèm tệp “to-khai.pdf”" in page.text
    assert first.files.count() == 2
    attach(client, draft, second, upload("can-cuoc.pdf", pdf(content=b"cc")))

    review_url = reverse("dossiers:review", kwargs={"pk": draft.pk})
    page = client.get(review_url)
    assert "001090012345" in page.text and "Kinh Bắc" in page.text and "can-cuoc.pdf" in page.text
    assert "01/05/1990" in page.text  # dates as written in Vietnam, not ISO
    response = client.post(review_url)
    draft.refresh_from_db()
    assert draft.status == Status.NEW and draft.code
    assert response.url == reverse("dossiers:receipt", kwargs={"code": draft.code})

    receipt = client.get(response.url)
    secret = receipt.context["secret"]
    assert secret and secret in receipt.text and draft.check_secret(secret)
    again = client.get(response.url)
    assert again.status_code == 200 and draft.code in again.text
    assert secret not in again.text


def test_the_form_shows_errors_next_to_fields_and_saves_nothing(client, citizen, case, commune):
    client.force_login(citizen)
    draft = start(client, case)
    bad = {**answers(commune), "so_dinh_danh_ca_nhan": "12ab", "noi_dung_yeu_cau": ""}
    page = client.post(reverse("dossiers:form", kwargs={"pk": draft.pk}), bad)
    assert page.status_code == 400
    assert 'class="error-summary"' in page.text
    assert 'href="#id_so_dinh_danh_ca_nhan"' in page.text
    assert 'id="id_noi_dung_yeu_cau_errors"' in page.text
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_a_bad_upload_is_refused_with_its_message_and_the_draft_kept(
    client, citizen, case, commune
):
    client.force_login(citizen)
    draft = filled_draft(client, case, commune)
    component = draft.components.order_by("position").first()
    page = attach(client, draft, component, upload("don.pdf", b"Khong phai PDF.\n"))
    assert "không phải PDF" in page.text
    draft.refresh_from_db()
    assert draft.is_draft and component.files.count() == 1
    assert draft.form_data["ho_ten"] == "Nguyễn Văn An"


def test_a_file_is_removed_and_submission_then_names_the_missing_document(
    client, citizen, case, commune
):
    client.force_login(citizen)
    draft = filled_draft(client, case, commune)
    stored = ComponentFile.objects.get(component__dossier=draft, original_name="giay-1.pdf")
    url = reverse("dossiers:remove_file", kwargs={"pk": draft.pk, "file_pk": stored.pk})
    assert client.get(url).status_code == 405
    client.post(url)
    assert not ComponentFile.objects.filter(pk=stored.pk).exists()

    review_url = reverse("dossiers:review", kwargs={"pk": draft.pk})
    assert "Còn thiếu" in client.get(review_url).text
    page = client.post(review_url, follow=True)
    assert "Còn thiếu giấy tờ bắt buộc: Bản chụp căn cước" in page.text
    draft.refresh_from_db()
    assert draft.is_draft and draft.code is None


def test_a_procedure_without_online_level_is_refused_with_a_message(client, citizen, case):
    client.force_login(citizen)
    Procedure.objects.filter(pk=case.procedure.pk).update(online_level="")
    url = reverse("dossiers:start", kwargs={"code": case.procedure.code})
    assert "chưa nộp được trực tuyến" in client.get(url).text
    client.post(url, {"case": case.pk, "agency": _agency(case).pk})
    assert not Dossier.objects.exists()
    assert client.get(reverse("dossiers:start", kwargs={"code": "0.000000"})).status_code == 404
    internal = ProcedureFactory(kind=Procedure.Kind.STANDARD_INTERNAL)
    assert client.get(reverse("dossiers:start", kwargs={"code": internal.code})).status_code == 404


def test_the_procedure_page_leads_to_filing_after_signing_in(client, case):
    url = reverse("dossiers:start", kwargs={"code": case.procedure.code})
    assert f'href="{url}"' in client.get(case.procedure.get_absolute_url()).text
    response = client.get(url)
    assert response.url == f"{reverse('accounts:login')}?next={url}"
    assert not Dossier.objects.exists()


def test_another_citizen_gets_404_on_every_page(client, citizen, other_citizen, case, commune):
    client.force_login(citizen)
    draft = filled_draft(client, case, commune)
    stored = ComponentFile.objects.filter(component__dossier=draft).first()
    submitted = DossierFactory(applicant=citizen, status=Status.NEW, case=case)
    client.force_login(other_citizen)
    pk = {"pk": draft.pk}
    code = {"code": submitted.code}
    for name, kwargs in [
        ("dossiers:form", pk),
        ("dossiers:attachments", pk),
        ("dossiers:review", pk),
        ("dossiers:receipt", code),
        ("dossiers:detail", code),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 404, name
    posts = [
        reverse("dossiers:form", kwargs=pk),
        reverse("dossiers:attach", kwargs={**pk, "component_pk": stored.component_id}),
        reverse("dossiers:remove_file", kwargs={**pk, "file_pk": stored.pk}),
        reverse("dossiers:review", kwargs=pk),
        reverse("dossiers:withdraw", kwargs=code),
    ]
    for url in posts:
        assert client.post(url, answers(commune)).status_code == 404, url
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.is_draft and draft.form_data["ho_ten"] == "Nguyễn Văn An"
    assert submitted.status == Status.NEW
    assert ComponentFile.objects.filter(pk=stored.pk).exists()


def test_a_citizen_withdraws_a_new_dossier_from_its_page(client, citizen, case):
    client.force_login(citizen)
    dossier = DossierFactory(applicant=citizen, status=Status.NEW, case=case)
    url = reverse("dossiers:detail", kwargs={"code": dossier.code})
    assert "Rút hồ sơ" in client.get(url).text
    withdraw = reverse("dossiers:withdraw", kwargs={"code": dossier.code})
    assert client.get(withdraw).status_code == 405
    page = client.post(withdraw, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == Status.WITHDRAWN
    assert "Đã rút hồ sơ" in page.text and "Rút hồ sơ</button>" not in page.text
    assert dossier.history.get().get_to_status_display() in page.text


def test_my_dossiers_lists_drafts_and_submitted_in_constant_queries(client, citizen, case):
    client.force_login(citizen)
    url = reverse("dossiers:mine")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    DossierFactory(applicant=citizen, case=case)
    DossierFactory(applicant=citizen, status=Status.RECEIVED, case=case)
    few = queries()
    for status in (Status.DRAFT, Status.NEW, Status.PROCESSING, Status.SUPPLEMENT):
        DossierFactory.create_batch(2, applicant=citizen, status=status, case=case)
    DossierFactory(status=Status.NEW, case=case)  # someone else's
    page = client.get(url)
    assert queries() == few
    listed = page.context["page"].object_list
    assert len(listed) == 10
    assert "Đang xử lý" in page.text and "Bản nháp" in page.text
    assert "Hạn trả kết quả" in page.text


def test_choosing_a_province_without_javascript_lists_its_communes(client, citizen, case, commune):
    client.force_login(citizen)
    draft = start(client, case)
    url = reverse("dossiers:form", kwargs={"pk": draft.pk})
    assert commune.name not in client.get(url).text
    chosen = {"ho_ten": "Nguyễn Văn An", "tinh_thanh_pho": commune.parent.code, "refresh": "1"}
    page = client.post(url, chosen)
    assert page.status_code == 200
    assert f'value="{commune.code}"' in page.text and 'class="error-summary"' not in page.text
    draft.refresh_from_db()
    assert draft.form_data == {}


def test_a_warning_is_shown_but_does_not_block(client, citizen, case, commune):
    client.force_login(citizen)
    draft = start(client, case)
    district = {**answers(commune), "dia_chi_chi_tiet": "Thôn Đông, huyện Tiên Du"}
    page = client.post(reverse("dossiers:form", kwargs={"pk": draft.pk}), district, follow=True)
    assert page.redirect_chain[-1][0] == reverse("dossiers:attachments", kwargs={"pk": draft.pk})
    assert "chỉ còn 2 cấp" in page.text
    draft.refresh_from_db()
    assert draft.form_data["dia_chi_chi_tiet"] == "Thôn Đông, huyện Tiên Du"
    review = client.get(reverse("dossiers:review", kwargs={"pk": draft.pk}))
    assert "chỉ còn 2 cấp" in review.text and not review.context["errors"]


def test_my_dossiers_are_paged(client, citizen, case):
    client.force_login(citizen)
    DossierFactory.create_batch(21, applicant=citizen, status=Status.NEW, case=case)
    first = client.get(reverse("dossiers:mine"))
    assert len(first.context["page"].object_list) == 20 and "?trang=2" in first.text
    second = client.get(reverse("dossiers:mine") + "?trang=2")
    assert len(second.context["page"].object_list) == 1
