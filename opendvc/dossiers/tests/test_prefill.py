"""A citizen who starts a draft online finds the e-form filled with their own details (the
account and its personal details), each value theirs to change; the desk registering someone
at the counter gets nothing of their own, and nobody gets anyone else's details."""

from datetime import date

import pytest
from django.urls import reverse

from opendvc.accounts.models import Profile
from opendvc.catalog.tests.factories import CaseFactory, DocumentFactory, ProcedureFactory
from opendvc.directory.tests.factories import CommuneFactory, ProvinceFactory
from opendvc.dossiers.eforms import get_form_spec
from opendvc.dossiers.eforms.prefill import initial_for, mapping_for
from opendvc.dossiers.eforms.spec import FORM_SLUGS
from opendvc.dossiers.models import Dossier, Status

from .scenes import answers

pytestmark = pytest.mark.django_db
ADDRESS = "Số 5 đường Lý Thái Tổ, Phường Kinh Bắc, Tỉnh Bắc Ninh"


@pytest.fixture
def commune(db):
    return CommuneFactory(parent=ProvinceFactory(), short_name="Kinh Bắc")


def profile_of(user, commune, **changes) -> Profile:
    values = {
        "birth_date": date(1990, 5, 1),
        "gender": "Nam",
        "id_number": "001090012345",
        "current_street": "Số 5 đường Lý Thái Tổ",
        "current_commune": commune,
        **changes,
    }
    return Profile.objects.create(user=user, **values)


def case_of(code: str, agency):
    """A procedure `agency` receives online (an agency with a place is a concrete one)."""
    agency.admin_unit = ProvinceFactory()
    agency.save(update_fields=["admin_unit"])
    procedure = ProcedureFactory(code=code, name=f"Thủ tục {code}")
    procedure.implementing_agencies.set([agency])
    case = CaseFactory(procedure=procedure)
    DocumentFactory(case=case, name="Tờ khai", position=0)
    return case


def start(client, case, agency) -> Dossier:
    url = reverse("dossiers:start", kwargs={"code": case.procedure.code})
    response = client.post(url, {"case": case.pk, "agency": agency.pk})
    draft = Dossier.objects.get(procedure=case.procedure, status=Status.DRAFT)
    assert response.url == reverse("dossiers:form", kwargs={"pk": draft.pk})
    return draft


def shown(client, draft) -> dict:
    """The e-form's values as the page shows them, leaving out empty ones and the form's own
    defaults ("Việt Nam" for a nationality): what the account added."""
    response = client.get(reverse("dossiers:form", kwargs={"pk": draft.pk}))
    assert response.status_code == 200
    form = response.context["form"]
    values = {name: form[name].value() for name in form.fields}
    return {
        name: str(value)
        for name, value in values.items()
        if value not in (None, "") and value != form.fields[name].initial
    }


# What each real form shows to Nguyễn Văn An, born 1 May 1990, CCCD 001090012345, living at
# Số 5 đường Lý Thái Tổ, Phường Kinh Bắc, Tỉnh Bắc Ninh; and a field about someone else that
# must stay empty.
EXPECTED = {
    "1.001193": (
        {
            "ho_ten_nguoi_yeu_cau": "Nguyễn Văn An",
            "ngay_sinh_nguoi_yeu_cau": "1990-05-01",
            "giay_to_tuy_than_loai": "Căn cước công dân",
            "giay_to_tuy_than_so": "001090012345",
            "noi_cu_tru_nguoi_yeu_cau": ADDRESS,
            "lam_tai": "Phường Kinh Bắc",
        },
        "gioi_tinh",  # the child's
    ),
    "1.004222": (
        {
            "ho_ten_khai_sinh": "Nguyễn Văn An",
            "ngay_sinh": "1990-05-01",
            "gioi_tinh": "Nam",
            "so_dinh_danh_ca_nhan": "001090012345",
            "so_dien_thoai_lien_he": "0912345678",
            "email": "an@example.vn",
        },
        "so_dinh_danh_ca_nhan_chu_ho",
    ),
    "2.001610": (
        {
            "ho_ten_chu_dntn": "NGUYỄN VĂN AN",
            "ngay_sinh_chu_dntn": "1990-05-01",
            "gioi_tinh_chu_dntn": "Nam",
            "so_dinh_danh_ca_nhan": "001090012345",
            "dia_chi_lien_lac": "Số 5 đường Lý Thái Tổ",
            "dia_chi_lien_lac_xa": "<commune>",
            "dia_chi_lien_lac_tinh": "24",
            "dien_thoai_chu_dntn": "0912345678",
            "email_chu_dntn": "an@example.vn",
        },
        "tru_so_xa",  # the business's seat
    ),
    "2.001955": (
        {
            "ho_ten_nguoi_dai_dien": "Nguyễn Văn An",
            "dien_thoai_lien_he": "0912345678",
            "email_lien_he": "an@example.vn",
        },
        "ten_doanh_nghiep",
    ),
    "1.013225": (
        {
            "ten_chu_dau_tu": "Nguyễn Văn An",
            "so_dinh_danh_ca_nhan": "001090012345",
            "so_dien_thoai": "0912345678",
            "lam_tai": "Phường Kinh Bắc",
        },
        "phuong_xa",  # the building site, not the home
    ),
}


@pytest.mark.parametrize("code", sorted(FORM_SLUGS))
def test_each_real_form_is_prefilled_from_the_account_and_its_details(
    client, citizen, agency, commune, code
):
    profile_of(citizen, commune)
    client.force_login(citizen)
    expected, not_mine = EXPECTED[code]
    expected = {k: commune.code if v == "<commune>" else v for k, v in expected.items()}

    values = shown(client, start(client, case_of(code, agency), agency))

    assert values == expected
    assert not_mine not in values


@pytest.mark.parametrize("code", sorted(FORM_SLUGS))
def test_each_real_forms_mapping_names_fields_of_that_form(code):
    spec = get_form_spec(ProcedureFactory.build(code=code))

    mapped = mapping_for(spec)

    assert set(mapped) == set(EXPECTED[code][0])


def test_the_generated_form_is_prefilled_with_the_address_in_current_units(
    client, citizen, agency, commune
):
    profile_of(citizen, commune)
    client.force_login(citizen)
    draft = start(client, case_of("9.000001", agency), agency)

    values = shown(client, draft)

    assert values == {
        "ho_ten": "Nguyễn Văn An",
        "ngay_sinh": "1990-05-01",
        "so_dinh_danh_ca_nhan": "001090012345",
        "dien_thoai": "0912345678",
        "email": "an@example.vn",
        "tinh_thanh_pho": "24",
        "phuong_xa": commune.code,
        "dia_chi_chi_tiet": "Số 5 đường Lý Thái Tổ",
    }
    page = client.get(reverse("dossiers:form", kwargs={"pk": draft.pk})).text
    assert f'<option value="{commune.code}" selected>' in page  # the commune list is there


def test_without_personal_details_only_the_account_fills_the_form(client, citizen, agency, commune):
    client.force_login(citizen)

    values = shown(client, start(client, case_of("9.000001", agency), agency))

    assert values == {
        "ho_ten": "Nguyễn Văn An",
        "dien_thoai": "0912345678",
        "email": "an@example.vn",
    }


def test_the_citizen_changes_a_prefilled_value_and_their_answer_stays(
    client, citizen, agency, commune
):
    profile_of(citizen, commune)
    client.force_login(citizen)
    draft = start(client, case_of("9.000001", agency), agency)
    form_url = reverse("dossiers:form", kwargs={"pk": draft.pk})

    response = client.post(form_url, {**answers(commune), "dia_chi_chi_tiet": "Thôn Đông"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data["dia_chi_chi_tiet"] == "Thôn Đông"
    assert shown(client, draft)["dia_chi_chi_tiet"] == "Thôn Đông"  # the saved answer wins


def test_nothing_of_the_desk_officer_fills_a_counter_registration(
    client, desk_officer, agency, commune
):
    profile_of(desk_officer, commune, id_number="001080099999")
    case = case_of("1.004222", agency)
    client.force_login(desk_officer)
    start_url = (
        reverse("dossiers:counter_start") + f"?agency={agency.pk}&q=1.004222&thu_tuc=1.004222"
    )

    form = client.get(start_url).context["form"]
    assert all(form[name].value() in (None, "") for name in ("name", "id_number", "phone"))
    client.post(
        start_url,
        {"case": case.pk, "channel": 1, "name": "Đỗ Thị Hoa", "type": "CITIZEN",
         "id_number": "001190012345", "phone": "0912 345 678", "address": "Thôn Đông"},
    )  # fmt: skip

    draft = Dossier.objects.get(status=Status.DRAFT, agency=agency)
    assert draft.applicant is None and draft.applicant_name == "Đỗ Thị Hoa"
    assert "001080099999" not in str(draft.form_data) and "1980" not in str(draft.form_data)
    assert client.get(reverse("dossiers:form", kwargs={"pk": draft.pk})).status_code == 404
    assert initial_for(get_form_spec(case.procedure), dossier=draft, user=desk_officer) == {}


def test_another_persons_details_are_never_used(client, citizen, other_citizen, agency, commune):
    profile_of(other_citizen, commune, id_number="079190054321", birth_date=date(1985, 2, 3))
    client.force_login(citizen)
    draft = start(client, case_of("1.004222", agency), agency)

    values = shown(client, draft)

    assert "079190054321" not in values.values() and "1985-02-03" not in values.values()
    assert values["ho_ten_khai_sinh"] == "Nguyễn Văn An"
    page = client.get(reverse("dossiers:form", kwargs={"pk": draft.pk})).text
    assert "079190054321" not in page and "Trần Thị Bình" not in page
    client.force_login(other_citizen)  # nor is a draft opened by anyone but its applicant
    assert client.get(reverse("dossiers:form", kwargs={"pk": draft.pk})).status_code == 404
