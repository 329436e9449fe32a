"""`opendvc setup_demo_accounts`: one login per kind of user, with the roles a demo walk-through
needs — the desk receives the department's dossiers, its specialist and leader process them."""

from io import StringIO

import pytest
from django.core.management import call_command

from opendvc.accounts.models import StaffRole, User
from opendvc.directory.models import Agency
from opendvc.directory.tests.factories import AgencyFactory, ProvinceFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def province(settings):
    province = ProvinceFactory(code=settings.DEMO_PROVINCE_CODE, name="Tỉnh Bắc Ninh")
    justice = AgencyFactory(name="Sở Tư pháp tỉnh Bắc Ninh", admin_unit=province)
    centre = AgencyFactory(
        name="Trung tâm Phục vụ hành chính công tỉnh Bắc Ninh",
        kind=Agency.Kind.SERVICE_CENTRE,
        admin_unit=province,
    )
    return justice, centre


def roles_of(email: str) -> set[tuple[str, str]]:
    return set(StaffRole.objects.filter(user__email=email).values_list("agency__name", "role"))


def test_the_demo_cast_can_walk_a_dossier_through_the_department(province):
    justice, centre = province
    out = StringIO()

    call_command("setup_demo_accounts", stdout=out)

    assert roles_of("motcua@opendvc.local") == {
        (centre.name, Role.DESK_OFFICER),
        (justice.name, Role.DESK_OFFICER),
    }
    assert roles_of("chuyenvien@opendvc.local") == {(justice.name, Role.SPECIALIST)}
    assert roles_of("lanhdao@opendvc.local") == {
        (justice.name, Role.LEADER),
        (justice.name, Role.AGENCY_ADMIN),
    }
    assert User.objects.get(email="congdan@opendvc.local").kind == User.Kind.CITIZEN
    assert User.objects.get(email="quantri@opendvc.local").is_superuser
    assert "motcua@opendvc.local" in out.getvalue()


def test_running_it_again_changes_nothing(province):
    call_command("setup_demo_accounts", stdout=StringIO())
    before = (User.objects.count(), StaffRole.objects.count())

    call_command("setup_demo_accounts", stdout=StringIO())

    assert (User.objects.count(), StaffRole.objects.count()) == before
