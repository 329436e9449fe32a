"""The kiosk at the one-stop desk: a counter dossier is rated with its code and the receipt
secret or the phone used; a wrong pair answers like an unknown code; failures are limited."""

import pytest
import time_machine
from django.test import Client

from opendvc.dossiers.models import Dossier, Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory
from opendvc.surveys.criteria import KEYS
from opendvc.surveys.models import DossierRating

pytestmark = pytest.mark.django_db
SECRET = "ABCDEFGH23"
NOT_FOUND = "Không tìm thấy hồ sơ với mã và thông tin đã nhập."
RATING = {**{key: 1 for key in KEYS}, "overall": 5, "comment": "Nhanh"}


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


def counter_dossier(agency, status=Status.RETURNED) -> Dossier:
    return DossierFactory(
        agency=agency,
        status=status,
        applicant_phone="0912345678",
        secret_hash=Dossier.hash_secret(SECRET),
    )


def test_a_counter_dossier_is_rated_with_its_receipt_secret(agency):
    dossier = counter_dossier(agency)
    client = Client()

    found = client.post("/danh-gia/", {"code": dossier.code, "secret": SECRET.lower()})
    page = client.get("/danh-gia/phieu/")
    rated = client.post("/danh-gia/phieu/", RATING)
    after = client.get("/danh-gia/phieu/")

    assert found.status_code == 302 and found.url == "/danh-gia/phieu/"
    assert page.status_code == 200 and dossier.code in page.text
    assert rated.status_code == 302 and rated.url == "/danh-gia/"
    saved = DossierRating.objects.get(dossier=dossier)
    assert (saved.channel, saved.rated_by, saved.total) == ("KIOSK", None, 9)
    # The kiosk is shared: the next person starts again from the code.
    assert after.status_code == 302 and after.url == "/danh-gia/"


def test_the_phone_used_unlocks_the_rating_too(agency):
    dossier = counter_dossier(agency)
    client = Client()
    found = client.post("/danh-gia/", {"code": dossier.code, "phone": "+84 912 345 678"})
    client.post("/danh-gia/phieu/", RATING)
    assert found.status_code == 302 and DossierRating.objects.filter(dossier=dossier).exists()


def test_a_wrong_pair_answers_like_an_unknown_code(agency):
    dossier = counter_dossier(agency)
    client = Client()

    wrong = client.post("/danh-gia/", {"code": dossier.code, "secret": "ZZZZZZZZ23"})
    unknown = client.post("/danh-gia/", {"code": "T24-STP-000000-9999", "secret": SECRET})
    form = client.get("/danh-gia/phieu/")

    assert wrong.status_code == unknown.status_code == 404
    assert NOT_FOUND in wrong.text and NOT_FOUND in unknown.text
    assert SECRET not in unknown.text and "ZZZZZZZZ23" not in wrong.text
    assert form.status_code == 302 and not DossierRating.objects.exists()


def test_failures_are_rate_limited(agency, settings):
    settings.OPENDVC_TRACKING_MAX_FAILURES_PER_IP = 3
    dossier = counter_dossier(agency)
    client = Client()

    misses = [
        client.post("/danh-gia/", {"code": dossier.code, "secret": f"WRONG{n}XYZ2"}).status_code
        for n in range(3)
    ]
    right_but_late = client.post("/danh-gia/", {"code": dossier.code, "secret": SECRET})

    assert misses == [404, 404, 404]
    assert right_but_late.status_code == 429 and "quá nhiều lần" in right_but_late.text
    assert client.get("/danh-gia/phieu/").status_code == 302


def test_a_dossier_in_progress_or_already_rated_is_not_offered(agency):
    in_progress = counter_dossier(agency, Status.PROCESSING)
    rated = counter_dossier(agency)
    client = Client()
    client.post("/danh-gia/", {"code": rated.code, "secret": SECRET})
    client.post("/danh-gia/phieu/", RATING)

    early = client.post("/danh-gia/", {"code": in_progress.code, "secret": SECRET})
    again = client.post("/danh-gia/", {"code": rated.code, "secret": SECRET})

    assert early.status_code == again.status_code == 409
    assert DossierRating.objects.count() == 1


def test_the_kiosk_asks_for_a_code_and_a_factor(agency):
    response = Client().post("/danh-gia/", {"code": ""})
    assert response.status_code == 400 and "error-summary" in response.text
