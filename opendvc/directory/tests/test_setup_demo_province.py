import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from opendvc.audit.models import AuditEntry
from opendvc.directory.models import Agency, Desk
from opendvc.directory.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


def setup(*args: str) -> str:
    out = io.StringIO()
    call_command("setup_demo_province", *args, stdout=out)
    return out.getvalue()


def generic(name: str) -> Agency:
    return AgencyFactory(name=name, kind=Agency.Kind.OTHER, level=Agency.Level.OTHER)


def snapshot():
    agencies = Agency.objects.order_by("code").values_list(
        "pk", "code", "slug", "name", "admin_unit_id", "parent_id", "generic_id", "address"
    )
    desks = Desk.objects.order_by("pk").values_list("pk", "agency_id", "name", "address")
    return list(agencies), list(desks)


def test_it_refuses_to_run_before_the_admin_units_are_imported():
    with pytest.raises(CommandError, match="import_admin_units"):
        setup()
    assert not Agency.objects.exists()
    assert not AuditEntry.objects.exists()


def test_it_creates_the_province_agencies_communes_and_desks(admin_units):
    output = setup()

    province = Agency.objects.filter(admin_unit__code="24")
    assert province.count() == 13
    assert set(province.values_list("name", flat=True)) >= {
        "Ủy ban nhân dân tỉnh Bắc Ninh",
        "Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
        "Sở Tư pháp tỉnh Bắc Ninh",
        "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh",
        "Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Ninh",
        "Công an tỉnh Bắc Ninh",
    }
    communes = Agency.objects.filter(admin_unit__parent__code="24")
    assert communes.count() == 16
    kinh_bac = Agency.objects.get(admin_unit__code="09187", kind=Agency.Kind.COMMUNE_PC)
    assert kinh_bac.name == "Ủy ban nhân dân phường Kinh Bắc"
    assert kinh_bac.slug == "uy-ban-nhan-dan-phuong-kinh-bac-bac-ninh"
    police = Agency.objects.get(admin_unit__code="09187", kind=Agency.Kind.POLICE)
    assert police.parent.name == "Công an tỉnh Bắc Ninh"
    assert "29 cơ quan tạo mới" in output

    centre_desk = Desk.objects.get(admin_unit__code="24")
    assert centre_desk.agency.kind == Agency.Kind.SERVICE_CENTRE
    assert centre_desk.serves.filter(name="Sở Tư pháp tỉnh Bắc Ninh").exists()
    commune_desk = Desk.objects.get(admin_unit__code="09187")
    assert set(commune_desk.serves.all()) == {kinh_bac, police}
    assert "phường Kinh Bắc" in commune_desk.address
    assert Desk.objects.count() == 9

    entry = AuditEntry.objects.get(action="directory.demo_province_set_up")
    assert (entry.target_id, entry.payload["created"], entry.payload["desks_created"]) == (
        str(province.first().admin_unit_id),
        29,
        9,
    )


def test_a_second_run_changes_nothing(admin_units):
    setup()
    before = snapshot()

    output = setup()

    assert snapshot() == before
    assert "0 cơ quan tạo mới, 0 cập nhật, 29 không đổi" in output
    assert "0 bộ phận một cửa tạo mới, 0 cập nhật" in output
    assert AuditEntry.objects.filter(action="directory.demo_province_set_up").count() == 2


def test_concrete_agencies_point_to_their_generic_counterparts(admin_units):
    justice = generic("Sở Tư Pháp")
    commune_pc = generic("Ủy ban nhân dân cấp xã")
    commune_pc_2 = generic("UBND cấp  xã")
    kinh_bac_pc = generic("UBND Phường Kinh Bắc, tỉnh Bắc Ninh")
    bac_giang_pc = generic("UBND Phường Bắc Giang, tỉnh Bắc Ninh")
    publisher = generic("UBND tỉnh Bắc Ninh")
    province_pc = generic("Ủy ban nhân dân cấp tỉnh")
    commune_police = generic("Công an cấp Xã")
    culture = generic("Sở Văn hóa - Thể thao và Du lịch tỉnh Bắc Ninh")
    generic("Sở Tư pháp Thanh Hóa")

    setup()

    stp = Agency.objects.get(code="T24-STP")
    assert stp.generic == justice
    assert list(stp.stands_for.all()) == [justice]
    ubnd = Agency.objects.get(code="T24-UBND")
    assert ubnd.generic == publisher
    assert set(ubnd.stands_for.all()) == {publisher, province_pc}
    kinh_bac = Agency.objects.get(code="X09187-UBND")
    assert kinh_bac.generic == commune_pc
    assert set(kinh_bac.stands_for.all()) == {commune_pc, commune_pc_2, kinh_bac_pc}
    assert bac_giang_pc not in Agency.objects.get(code="X09187-UBND").stands_for.all()
    assert Agency.objects.get(code="X09187-CA").generic == commune_police
    assert Agency.objects.get(code="T24-SVHTTDL").stands_for.get() == culture
    # Routing a generic commune-level procedure to the office of the citizen's ward:
    assert list(Agency.objects.standing_for(commune_pc).filter(admin_unit__code="09187")) == [
        kinh_bac
    ]


def test_a_run_after_the_catalog_import_fills_the_links(admin_units):
    setup()
    assert not Agency.objects.filter(generic__isnull=False).exists()
    justice = generic("Sở Tư pháp")
    commune_pc = generic("Ủy ban nhân dân xã, phường, thị trấn")

    output = setup()

    assert Agency.objects.get(code="T24-STP").generic == justice
    assert Agency.objects.filter(generic=commune_pc).count() == 8
    assert "0 cơ quan tạo mới, 9 cập nhật" in output


def test_a_catalog_agency_with_the_same_name_keeps_its_slug(admin_units):
    same = AgencyFactory(
        name="Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh",
        slug="so-nong-nghiep-va-moi-truong-tinh-bac-ninh",
    )

    setup()

    concrete = Agency.objects.get(code="T24-SNNMT")
    assert concrete.slug == "so-nong-nghiep-va-moi-truong-tinh-bac-ninh-t24-snnmt"
    assert concrete.generic == same


def test_another_province_can_be_set_up(admin_units, settings):
    settings.DEMO_PROVINCE_CODE = "01"

    setup()

    assert Agency.objects.filter(admin_unit__parent__code="01").count() == 12
    assert Agency.objects.get(code="T01-STP").name == "Sở Tư pháp thành phố Hà Nội"


def test_the_main_link_goes_to_the_spelling_most_procedures_use(admin_units):
    Procedure = apps.get_model("catalog", "Procedure")
    rare = generic("UBND cấp xã")
    common = generic("Ủy ban nhân dân cấp xã")
    for n in range(3):
        Procedure.objects.create(code=f"1.00{n}", name="Thủ tục").implementing_agencies.add(common)

    setup()

    kinh_bac = Agency.objects.get(code="X09187-UBND")
    assert kinh_bac.generic == common
    assert set(kinh_bac.stands_for.all()) == {rare, common}
