"""The applicant rates the handling of their dossier once its result is out: once, only they,
never edited by staff; through the page and the API."""

import re

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.test import Client

from opendvc.accounts.tests.factories import bearer
from opendvc.audit.models import AuditEntry
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from opendvc.surveys.criteria import KEYS
from opendvc.surveys.models import DossierRating

from .factories import rating

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def form(overall: int = 4, comment: str = "", **scores) -> dict:
    return {**{key: 2 for key in KEYS}, "overall": overall, "comment": comment, **scores}


def returned(citizen, agency, status=Status.RETURNED):
    return DossierFactory(applicant=citizen, agency=agency, status=status)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_applicant_rates_a_returned_dossier_once_with_html_stripped(citizen, agency):
    dossier = returned(citizen, agency)
    client = signed_in(citizen)
    url = f"/ho-so/{dossier.code}/danh-gia/"

    page = client.get(url)
    response = client.post(
        url, form(comment="<b>Cán bộ</b> <script>x()</script>tận tình", contacts=1)
    )

    assert page.status_code == 200 and "Thông tư 01/2018/TT-VPCP" in page.text
    assert response.status_code == 302 and response.url == f"/ho-so/{dossier.code}/"
    saved = DossierRating.objects.get(dossier=dossier)
    assert (saved.overall, saved.contacts, saved.total, saved.rated_by) == (4, 1, 17, citizen)
    assert saved.comment == "Cán bộ x()tận tình" and saved.channel == "ONLINE"
    entry = AuditEntry.objects.get(action="surveys.dossier_rated")
    assert entry.actor_id == citizen.pk and entry.payload["code"] == dossier.code


def test_a_finished_dossier_can_be_rated_too(citizen, agency):
    dossier = returned(citizen, agency, Status.FINISHED)
    signed_in(citizen).post(f"/ho-so/{dossier.code}/danh-gia/", form())
    assert DossierRating.objects.filter(dossier=dossier).exists()


def test_a_second_rating_is_refused_and_the_database_holds_one(citizen, agency):
    dossier = returned(citizen, agency)
    client = signed_in(citizen)
    client.post(f"/ho-so/{dossier.code}/danh-gia/", form(overall=5))

    again = client.post(f"/ho-so/{dossier.code}/danh-gia/", form(overall=1))
    api = Client().post(
        f"{API}/dossiers/{dossier.pk}/rating",
        form(overall=1),
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert DossierRating.objects.get(dossier=dossier).overall == 5
    assert again.status_code == 302
    assert api.status_code == 409 and api.json()["error"]["code"] == "cannot_rate"
    with pytest.raises(IntegrityError), transaction.atomic():
        rating(dossier, overall=1)
    assert DossierRating.objects.filter(dossier=dossier).count() == 1


def test_the_rating_page_of_a_rated_dossier_goes_back_to_the_dossier(citizen, agency):
    dossier = returned(citizen, agency)
    rating(dossier)
    response = signed_in(citizen).get(f"/ho-so/{dossier.code}/danh-gia/")
    assert response.status_code == 302 and response.url == f"/ho-so/{dossier.code}/"


def test_another_citizen_can_neither_rate_nor_read(citizen, other_citizen, agency):
    dossier = returned(citizen, agency)
    rating(dossier)
    client = signed_in(other_citizen)
    headers = bearer(other_citizen)
    other = returned(citizen, agency)

    assert client.get(f"/ho-so/{other.code}/danh-gia/").status_code == 404
    assert client.post(f"/ho-so/{other.code}/danh-gia/", form()).status_code == 404
    assert Client().get(f"{API}/dossiers/{dossier.pk}/rating", headers=headers).status_code == 404
    posted = Client().post(
        f"{API}/dossiers/{other.pk}/rating",
        form(),
        content_type="application/json",
        headers=headers,
    )
    assert posted.status_code == 404
    assert not DossierRating.objects.filter(dossier=other).exists()


def test_nobody_rates_before_the_result(citizen, agency):
    dossier = returned(citizen, agency, Status.PROCESSING)
    client = signed_in(citizen)

    page = client.get(f"/ho-so/{dossier.code}/danh-gia/")
    posted = client.post(f"/ho-so/{dossier.code}/danh-gia/", form())
    api = Client().post(
        f"{API}/dossiers/{dossier.pk}/rating",
        form(),
        content_type="application/json",
        headers=bearer(citizen),
    )

    assert page.status_code == 302 and posted.status_code == 302
    assert api.status_code == 409
    assert not DossierRating.objects.exists()


def test_every_criterion_and_the_overall_level_are_required(citizen, agency):
    dossier = returned(citizen, agency)
    data = form()
    del data["attitude"]
    data["overall"] = 9

    response = signed_in(citizen).post(f"/ho-so/{dossier.code}/danh-gia/", data)

    assert response.status_code == 400
    assert "Vui lòng chọn một mức." in response.text and "Thái độ của cán bộ" in response.text
    # What was chosen stays chosen.
    assert re.search(r'name="time_legal" value="2"[^>]*checked', response.text)
    assert not DossierRating.objects.exists()


def test_the_api_rates_reads_and_lists_the_criteria(citizen, agency):
    dossier = returned(citizen, agency)
    headers = bearer(citizen)
    client = Client()

    criteria = client.get(f"{API}/ratings/criteria").json()
    before = client.get(f"{API}/dossiers/{dossier.pk}/rating", headers=headers)
    posted = client.post(
        f"{API}/dossiers/{dossier.pk}/rating",
        form(overall=5, comment="<i>Tốt</i>", reception=0),
        content_type="application/json",
        headers=headers,
    )
    mine = client.get(f"{API}/dossiers/{dossier.pk}/rating", headers=headers)
    out_of_range = client.post(
        f"{API}/dossiers/{dossier.pk}/rating",
        form(reception=3),
        content_type="application/json",
        headers=headers,
    )

    assert [c["key"] for c in criteria["criteria"]] == list(KEYS)
    assert [level["value"] for level in criteria["overall"]] == [5, 4, 3, 2, 1]
    assert before.status_code == 404
    assert posted.status_code == 201 and posted.json()["total"] == 16
    assert mine.json()["comment"] == "Tốt" and mine.json()["scores"]["reception"] == 0
    assert out_of_range.status_code == 422
    spec = client.get(f"{API}/openapi.json").json()
    assert {"/api/v1/dossiers/{dossier_id}/rating", "/api/v1/ratings/criteria"} <= set(
        spec["paths"]
    )
    # Named apart from the other apps' schemas, which would otherwise replace them.
    schemas = spec["components"]["schemas"]
    assert set(KEYS) | {"overall", "comment"} == set(schemas["DossierRatingIn"]["properties"])
    assert {"scores", "total", "overall_label"} <= set(schemas["DossierRatingOut"]["properties"])


def _hook(dossier, user) -> str:
    return render_to_string("surveys/_dossier_rating.html", {"dossier": dossier, "user": user})


def test_the_dossier_page_invites_then_shows_the_rating_in_one_query(
    citizen, agency, django_assert_num_queries
):
    dossier = returned(citizen, agency)
    in_progress = returned(citizen, agency, Status.PROCESSING)

    with django_assert_num_queries(0):
        nothing = _hook(in_progress, citizen)
    with django_assert_num_queries(1):
        invitation = _hook(dossier, citizen)
    rating(dossier, overall=4)
    with django_assert_num_queries(1):
        shown = _hook(dossier, citizen)
    page = signed_in(citizen).get(f"/ho-so/{dossier.code}/")

    assert nothing.strip() == ""
    assert f'href="/ho-so/{dossier.code}/danh-gia/"' in invitation
    assert "Hài lòng" in shown and "danh-gia/" not in shown
    assert "Đánh giá của bạn" in page.text


def test_nobody_edits_a_rating_in_the_admin(citizen, agency, superuser):
    dossier = returned(citizen, agency)
    saved = rating(dossier, overall=2)
    client = signed_in(superuser)
    url = f"/quan-tri-he-thong/surveys/dossierrating/{saved.pk}/change/"

    view = client.get(url)
    posted = client.post(url, {**form(overall=5), "dossier": dossier.pk})
    deleted = client.post(
        f"/quan-tri-he-thong/surveys/dossierrating/{saved.pk}/delete/", {"post": "yes"}
    )

    assert view.status_code == 200 and 'type="submit" value="Lưu"' not in view.text
    assert posted.status_code == 403 and deleted.status_code == 403
    assert DossierRating.objects.get(pk=saved.pk).overall == 2


def test_my_dossiers_can_list_those_to_rate_in_one_query(
    citizen, agency, django_assert_num_queries
):
    from django.template import Context, Template

    to_rate = returned(citizen, agency)
    rated = returned(citizen, agency, Status.FINISHED)
    rating(rated)
    in_progress = returned(citizen, agency, Status.PROCESSING)
    page = [to_rate, rated, in_progress]
    template = Template("{% load surveys %}{% rateable_ids page as ids %}{{ ids|join:',' }}")

    with django_assert_num_queries(1):
        shown = template.render(Context({"page": page}))

    assert shown == str(to_rate.pk)


def test_the_staff_navigation_items_follow_the_roles(rf, leader):
    request = rf.get("/")
    request.staff_roles = {"LEADER"}
    leader_items = render_to_string("surveys/_staff_nav.html", request=request)
    request.staff_roles = {"COMMUNICATION_OFFICER"}
    communication_items = render_to_string("surveys/_staff_nav.html", request=request)
    request.staff_roles = {"DESK_OFFICER"}
    desk_items = render_to_string("surveys/_staff_nav.html", request=request)

    assert "/can-bo/danh-gia-hai-long/" in leader_items and "/can-bo/khao-sat/" not in leader_items
    assert "/can-bo/khao-sat/" in communication_items and "hai-long" not in communication_items
    assert "href" not in desk_items
