"""The rating page, the kiosk and a survey's answer page in headless Chromium: filled in and
sent without JavaScript on a phone; axe finds no serious or critical violation."""

from datetime import timedelta

import pytest
from django.utils import timezone

from opendvc.dossiers.models import Dossier, Status
from opendvc.dossiers.tests.factories import DossierFactory
from opendvc.surveys.criteria import CRITERIA
from opendvc.surveys.models import DossierRating, SurveyResponse
from tests.browser.helpers import fits_the_screen, serious_violations, sign_in_as

from .factories import QuestionFactory, SurveyFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_the_rating_page_is_accessible_and_works_without_javascript(
    live_server, page, no_js_phone, citizen, agency
):
    dossier = DossierFactory(applicant=citizen, agency=agency, status=Status.RETURNED)
    url = f"{live_server.url}/ho-so/{dossier.code}/danh-gia/"
    sign_in_as(page, live_server.url, citizen)
    page.goto(url)
    page.get_by_role("button", name="Gửi đánh giá").click()  # nothing chosen: the errors
    found = {"errors": serious_violations(page)}
    page.goto(url)
    found["form"] = serious_violations(page)

    sign_in_as(no_js_phone, live_server.url, citizen)
    no_js_phone.goto(url)
    for criterion in CRITERIA:
        no_js_phone.get_by_role("group", name=criterion.question).get_by_label(
            criterion.levels[2]
        ).check()
    no_js_phone.get_by_label("Hài lòng", exact=True).check()
    wide = not fits_the_screen(no_js_phone)
    no_js_phone.get_by_role("button", name="Gửi đánh giá").click()

    assert found == {"errors": [], "form": []} and not wide
    assert no_js_phone.get_by_text("Cảm ơn bạn đã đánh giá").is_visible()
    assert DossierRating.objects.get(dossier=dossier).total == 18


def test_the_kiosk_is_accessible(live_server, page, agency):
    dossier = DossierFactory(
        agency=agency, status=Status.RETURNED, secret_hash=Dossier.hash_secret("ABCDEFGH23")
    )
    page.goto(f"{live_server.url}/danh-gia/")
    start = serious_violations(page)
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("Mã bí mật tra cứu").fill("ABCDEFGH23")
    page.get_by_role("button", name="Tiếp tục").click()
    page.wait_for_url("**/danh-gia/phieu/")
    assert start == [] and serious_violations(page) == []


def test_a_survey_answer_page_is_accessible_and_works_without_javascript(
    live_server, page, no_js_phone
):
    now = timezone.now()
    survey = SurveyFactory(
        is_anonymous=True, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)
    )
    first = QuestionFactory(
        survey=survey, position=1, text="Bạn đã nộp hồ sơ trực tuyến chưa?", is_required=True
    )
    QuestionFactory(
        survey=survey,
        position=2,
        kind="TEXT",
        text="Vì sao?",
        condition_question=first,
        condition_option=1,
    )
    QuestionFactory(survey=survey, position=3, kind="SCALE", text="Mức độ hài lòng")
    QuestionFactory(
        survey=survey,
        position=4,
        kind="MATRIX",
        text="Đánh giá",
        rows=["Nộp", "Nhận"],
        options=["Kém", "Tốt"],
    )
    QuestionFactory(
        survey=survey, position=5, kind="MULTIPLE", text="Kênh", options=["Cổng", "Ứng dụng"]
    )
    url = f"{live_server.url}/khao-sat/{survey.token}/"
    page.goto(url)
    found = {"form": serious_violations(page)}
    page.get_by_role("button", name="Gửi câu trả lời").click()
    found["errors"] = serious_violations(page)

    no_js_phone.goto(url)
    no_js_phone.get_by_label("Không", exact=True).check()
    no_js_phone.get_by_label("Vì sao?").fill("Chưa biết cách")
    no_js_phone.get_by_label("Nộp: Tốt").check()
    wide = not fits_the_screen(no_js_phone)
    no_js_phone.get_by_role("button", name="Gửi câu trả lời").click()

    assert found == {"form": [], "errors": []} and not wide
    assert no_js_phone.get_by_text("Cảm ơn bạn đã tham gia khảo sát.").is_visible()
    assert SurveyResponse.objects.get().answers.count() == 3


def test_the_satisfaction_and_results_pages_are_accessible(
    live_server, page, agency, leader, superuser
):
    from .factories import rating

    now = timezone.now()
    dossier = DossierFactory(agency=agency, status=Status.RETURNED)
    rating(dossier, overall=4, scores={"attitude": 1}, at=now)
    survey = SurveyFactory(
        agency=agency, opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=9)
    )
    QuestionFactory(survey=survey, position=1, text="Bạn đã nộp hồ sơ trực tuyến chưa?")
    QuestionFactory(
        survey=survey,
        position=2,
        kind="MATRIX",
        text="Đánh giá",
        rows=["Nộp"],
        options=["Kém", "Tốt"],
    )

    sign_in_as(page, live_server.url, leader)
    page.goto(f"{live_server.url}/can-bo/danh-gia-hai-long/")
    satisfaction = serious_violations(page)
    shown = page.get_by_role("img", name="Điểm trung bình từng tiêu chí (tối đa 2)").is_visible()
    page.context.clear_cookies()
    sign_in_as(page, live_server.url, superuser)
    found = {}
    base = f"{live_server.url}/can-bo/khao-sat/"
    for name, url in [
        ("detail", f"{base}{survey.pk}/"),
        ("results", f"{base}{survey.pk}/ket-qua/"),
        ("new", f"{base}tao-moi/"),
    ]:
        page.goto(url)
        found[name] = serious_violations(page)

    assert satisfaction == [] and shown
    assert found == {"detail": [], "results": [], "new": []}
