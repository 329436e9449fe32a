"""A person keeps their own details (thông tin cá nhân) on their account: date of birth,
gender, CCCD, and two addresses in the current (post-1/7/2025) units, an old address being
converted through the directory, and a split old commune chosen by the person."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opendvc.accounts.models import Profile
from opendvc.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
URL = reverse("accounts:profile_data")


@pytest.fixture
def admin_units(db):
    """The real 34 provinces and 3,321 communes."""
    call_command("import_admin_units", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())


def details(**changes) -> dict:
    data = {
        "birth_date": "1990-05-01",
        "gender": "Nam",
        "id_number": "001 090 012 345",
        "permanent_street": "",
        "permanent_commune": "",
        "permanent_district": "",
        "permanent_province": "",
        "current_street": "Số 5 đường Lý Thái Tổ",
        "current_commune": "Phường Kinh Bắc",
        "current_district": "",
        "current_province": "Tỉnh Bắc Ninh",
    }
    return {**data, **changes}


def test_the_page_asks_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_account_page_links_to_the_details(client, citizen):
    client.force_login(citizen)

    assert URL in client.get(reverse("accounts:profile")).text


def test_a_citizen_saves_their_details(client, citizen, admin_units):
    client.force_login(citizen)

    response = client.post(URL, details())

    assert response.status_code == 302 and response.url == URL
    profile = Profile.objects.get(user=citizen)
    assert profile.birth_date.isoformat() == "1990-05-01"
    assert profile.gender == "Nam"
    assert profile.id_number == "001090012345"  # the card's spacing dropped
    assert profile.current_street == "Số 5 đường Lý Thái Tổ"
    assert profile.current_commune.name == "Phường Kinh Bắc"
    assert profile.current_commune.parent.name == "Tỉnh Bắc Ninh"  # derived, not stored
    assert profile.current_old_name == ""
    assert profile.permanent_commune is None
    entry = AuditEntry.objects.get(action="accounts.profile_updated")
    assert entry.actor_id == citizen.pk
    assert "birth_date" in entry.payload["fields"] and "id_number" in entry.payload["fields"]
    assert "001090012345" not in str(entry.payload)  # the audit names fields, not values

    page = client.get(URL).text
    assert "Đã lưu thông tin cá nhân." in page
    assert "•••••••••345" in page  # the summary masks all but the last 3 digits
    assert "Số 5 đường Lý Thái Tổ, Phường Kinh Bắc, Tỉnh Bắc Ninh" in page


@pytest.mark.parametrize("number", ["12345", "0010900123456", "00109001234A"])
def test_an_id_number_that_is_not_12_digits_is_refused(client, citizen, admin_units, number):
    client.force_login(citizen)

    response = client.post(URL, details(id_number=number))

    assert response.status_code == 400
    assert "Số CCCD phải gồm đúng 12 chữ số." in response.text
    assert not Profile.objects.filter(user=citizen).exists()


def test_a_date_of_birth_in_the_future_is_refused(client, citizen, admin_units):
    client.force_login(citizen)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(URL, details(birth_date=tomorrow.isoformat()))

    assert response.status_code == 400
    assert "Ngày sinh không được là một ngày trong tương lai." in response.text
    assert not Profile.objects.filter(user=citizen).exists()


def test_an_unknown_commune_is_refused_with_its_name(client, citizen, admin_units):
    client.force_login(citizen)

    response = client.post(URL, details(current_commune="Phường Không Có"))

    assert response.status_code == 400
    assert "Không tìm thấy xã/phường “Phường Không Có” thuộc Tỉnh Bắc Ninh." in response.text


def test_a_street_without_its_commune_is_refused(client, citizen, admin_units):
    client.force_login(citizen)

    response = client.post(URL, details(permanent_street="Thôn Đông"))

    assert response.status_code == 400
    assert "Vui lòng nhập xã/phường và tỉnh/thành phố." in response.text


def test_an_old_commune_is_converted_to_the_one_it_merged_into(client, citizen, admin_units):
    # Phường Thọ Xương of Thành phố Bắc Giang merged into Phường Bắc Giang, Tỉnh Bắc Ninh.
    client.force_login(citizen)
    old = {
        "permanent_street": "Số 12 đường Nguyễn Văn Cừ",
        "permanent_commune": "Phường Thọ Xương",
        "permanent_district": "Thành phố Bắc Giang",
        "permanent_province": "Tỉnh Bắc Giang",
    }

    response = client.post(URL, details(**old))

    assert response.status_code == 302
    profile = Profile.objects.get(user=citizen)
    assert profile.permanent_commune.code == "07210"
    assert profile.permanent_commune.name == "Phường Bắc Giang"
    assert profile.permanent_old_name == ("Phường Thọ Xương, Thành phố Bắc Giang, Tỉnh Bắc Giang")
    page = client.get(URL).text
    assert "Số 12 đường Nguyễn Văn Cừ, Phường Bắc Giang, Tỉnh Bắc Ninh" in page
    assert "trước đây: Phường Thọ Xương, Thành phố Bắc Giang, Tỉnh Bắc Giang" in page


def test_saving_the_converted_address_again_keeps_its_old_name(client, citizen, admin_units):
    client.force_login(citizen)
    client.post(
        URL,
        details(
            permanent_commune="Phường Thọ Xương",
            permanent_district="Thành phố Bắc Giang",
            permanent_province="Tỉnh Bắc Giang",
        ),
    )
    form = client.get(URL).context["form"]
    assert form["permanent_commune"].value() == "Phường Bắc Giang"  # shown with current names

    client.post(URL, {**details(), **{k: v or "" for k, v in form.initial.items()}})

    profile = Profile.objects.get(user=citizen)
    assert profile.permanent_commune.code == "07210"
    assert profile.permanent_old_name.startswith("Phường Thọ Xương")


SPLIT = {  # Xã Tân Thạnh of Huyện Thới Lai was split between two new communes.
    "current_street": "Ấp Thới Bình",
    "current_commune": "Xã Tân Thạnh",
    "current_district": "Huyện Thới Lai",
    "current_province": "Thành phố Cần Thơ",
}


def test_a_split_old_commune_asks_the_person_to_choose(client, citizen, admin_units):
    client.force_login(citizen)

    response = client.post(URL, details(**SPLIT))

    assert response.status_code == 400
    assert not Profile.objects.filter(user=citizen).exists()  # nothing guessed
    assert "nay thuộc nhiều xã/phường. Vui lòng chọn nơi bạn ở." in response.text
    offered = dict(response.context["form"].fields["current_choice"].widget.choices)
    assert offered == {"31288": "Xã Trường Thành", "31666": "Xã Tân Thạnh"}
    assert 'name="current_choice" value="31666"' in response.text

    response = client.post(URL, details(**SPLIT, current_choice="31666"))

    assert response.status_code == 302
    profile = Profile.objects.get(user=citizen)
    assert profile.current_commune.code == "31666"
    assert profile.current_old_name == "Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ"


def test_a_choice_outside_the_split_communes_is_refused(client, citizen, admin_units):
    client.force_login(citizen)

    response = client.post(URL, details(**SPLIT, current_choice="07210"))

    assert response.status_code == 400
    assert not Profile.objects.filter(user=citizen).exists()


def test_each_person_sees_and_changes_only_their_own_details(
    client, citizen, other_citizen, admin_units
):
    client.force_login(other_citizen)
    client.post(URL, details(id_number="079190054321"))
    client.force_login(citizen)

    page = client.get(URL).text

    assert "54321" not in page and "321" not in page
    client.post(URL, details())
    assert Profile.objects.get(user=other_citizen).id_number == "079190054321"


@pytest.mark.browser
def test_the_details_page_passes_axe_on_a_phone(live_server, phone_page, citizen, admin_units):
    from tests.browser.helpers import fits_the_screen, serious_violations, shoot, sign_in_as

    page = phone_page
    Profile.objects.create(user=citizen, id_number="001090012345")
    sign_in_as(page, live_server.url, citizen)
    page.goto(live_server.url + URL)
    assert serious_violations(page) == []
    page.get_by_label("Xã/Phường/Đặc khu").last.fill("Xã Tân Thạnh")
    page.locator("#id_current_district").fill("Huyện Thới Lai")
    page.locator("#id_current_province").fill("Thành phố Cần Thơ")
    page.get_by_role("button", name="Lưu thông tin").click()

    assert page.get_by_role("radio").count() == 2  # the communes the old one became
    shoot(page, "profile-data-split-choice")
    assert serious_violations(page) == []  # the errors and the choice of communes too
    assert fits_the_screen(page)
    page.get_by_role("radio", name="Xã Tân Thạnh").check()
    page.get_by_role("button", name="Lưu thông tin").click()

    assert "trước đây: Xã Tân Thạnh, Huyện Thới Lai, Thành phố Cần Thơ" in page.content()
    assert Profile.objects.get(user=citizen).current_commune.code == "31666"
