"""Public tracking without an account, through the page /tra-cuu-ho-so/."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opendvc.catalog.tests.factories import CaseFactory
from opendvc.dossiers import actions
from opendvc.dossiers.tests.factories import MONDAY

PAGE = "/tra-cuu-ho-so/"
NOT_FOUND = "Không tìm thấy hồ sơ với mã và thông tin đã nhập."
# The first code the agency of the cast gives on MONDAY.
FIRST_CODE = "T24-STP-261123-0001"
ID_NUMBER = "001099012345"
FATHER = "Nguyễn Văn Phụ"
SUMMARY = "Cấp bản sao trích lục cho ông Nguyễn Văn An"
# Everything that names a person or holds what the applicant filed or an official wrote.
PRIVATE = (
    "Nguyễn Văn An",
    "an@example.vn",
    "0912345678",
    ID_NUMBER,
    FATHER,
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Thiếu bản chụp",
    SUMMARY,
)


def case_at(agency):
    case = CaseFactory(procedure__name="Cấp bản sao trích lục hộ tịch")
    case.procedure.implementing_agencies.add(agency)
    return case


def draft_for(citizen, agency):
    return actions.create_draft(
        by=citizen,
        case=case_at(agency),
        agency=agency,
        now=MONDAY,
        applicant={"id_number": ID_NUMBER},
        form_data={"ho_ten_cha": FATHER},
    )


def submitted(citizen, agency):
    """A dossier filed online by the citizen of the cast (phone 0912345678); its secret."""
    submission = actions.submit_dossier(dossier=draft_for(citizen, agency), by=citizen, now=MONDAY)
    return submission.dossier, submission.secret


def walked_to_the_end(dossier, desk_officer, specialist, leader):
    """Received, processed, a supplement asked and given, decided and returned."""
    at = MONDAY + timedelta(hours=1)
    actions.accept_dossier(dossier=dossier, by=desk_officer, now=at)
    actions.forward_for_processing(dossier=dossier, by=desk_officer, now=at, note="Lê Văn Cường")
    reasons = [{"component": None, "code": "OTHER", "note": "Thiếu bản chụp giấy tờ"}]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=at)
    citizen = dossier.applicant
    actions.resubmit_supplement(dossier=dossier, by=citizen, now=at + timedelta(days=1))
    actions.complete_step(dossier=dossier, by=specialist, now=at + timedelta(days=1, hours=1))
    actions.finish_dossier(dossier=dossier, by=leader, summary=SUMMARY, now=at + timedelta(days=2))
    actions.return_result(dossier=dossier, by=desk_officer, now=at + timedelta(days=3))
    dossier.refresh_from_db()
    return dossier


def post(client, ip="10.0.0.1", **data):
    return client.post(PAGE, data, REMOTE_ADDR=ip)


def without_csrf_tokens(html: str) -> str:
    # Django masks the CSRF token afresh in every response, even for two identical requests.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf", html)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def test_the_form_posts_the_secret_and_keeps_it_out_of_urls(client, db):
    response = client.get(PAGE)

    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post" action="/tra-cuu-ho-so/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for name, label in [("code", "Mã hồ sơ"), ("secret", "Mã bí mật"), ("phone", "số điện thoại")]:
        assert f'name="{name}"' in html and f'for="id_{name}"' in html and label in html
    assert "no-cache" in response["Cache-Control"]


def test_a_post_without_the_csrf_token_is_refused(citizen, agency):
    dossier, secret = submitted(citizen, agency)

    response = post(Client(enforce_csrf_checks=True), code=dossier.code, secret=secret)

    assert response.status_code == 403


def test_the_receipt_secret_shows_the_public_view_and_its_timeline(
    client, citizen, agency, desk_officer, specialist, leader
):
    dossier, secret = submitted(citizen, agency)
    dossier = walked_to_the_end(dossier, desk_officer, specialist, leader)

    response = post(client, code=dossier.code, secret=secret.lower())

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Hồ sơ {dossier.code}" in html
    assert "Cấp bản sao trích lục hộ tịch" in html and dossier.procedure.code in html
    assert "Sở Tư pháp tỉnh Bắc Ninh" in html
    assert "<strong>Đã trả kết quả</strong>" in html
    for moment in (dossier.received_at, dossier.due_at, dossier.finished_at):
        assert local(moment) in html
    timeline = re.findall(r"</time> – ([^<]+)</li>", html)
    assert timeline == [
        "Mới đăng ký",
        "Được tiếp nhận",
        "Đang xử lý",
        "Yêu cầu bổ sung",
        "Đang xử lý",
        "Đã xử lý xong",
        "Đã trả kết quả",
    ]
    assert "no-cache" in response["Cache-Control"]


def test_the_page_shows_no_personal_data_and_no_officials(
    client, citizen, agency, desk_officer, specialist, leader
):
    dossier, secret = submitted(citizen, agency)
    dossier = walked_to_the_end(dossier, desk_officer, specialist, leader)

    html = post(client, code=dossier.code, secret=secret).content.decode()

    assert "Đã trả kết quả" in html
    for private in PRIVATE:
        assert private not in html
    assert dossier.secret_hash not in html and secret not in html


@pytest.mark.parametrize(
    "phone", ["0912345678", "0912 345 678", "+84 912 345 678", "84912345678", "0912.345.678"]
)
def test_the_phone_number_used_to_file_in_any_usual_format(client, citizen, agency, phone):
    dossier, _ = submitted(citizen, agency)

    response = post(client, code=f" {dossier.code.lower()} ", phone=phone)

    assert response.status_code == 200
    assert "<strong>Mới đăng ký</strong>" in response.content.decode()


def test_a_counter_dossier_is_tracked_by_the_phone_the_desk_typed(client, agency, desk_officer):
    draft = actions.create_draft(
        by=desk_officer,
        case=case_at(agency),
        agency=agency,
        now=MONDAY,
        applicant={"name": "Đỗ Văn Khách", "phone": "0909 000 111"},
    )
    dossier = actions.submit_dossier(dossier=draft, by=desk_officer, now=MONDAY).dossier

    found = post(client, code=dossier.code, phone="+84909000111")
    wrong = post(client, code=dossier.code, phone="0909000112")

    assert found.status_code == 200 and "Đỗ Văn Khách" not in found.content.decode()
    assert wrong.status_code == 404


def test_unknown_code_draft_wrong_secret_and_wrong_phone_answer_alike(client, citizen, agency):
    draft = draft_for(citizen, agency)
    # Before submission the code names nothing: a draft has no code and is not tracked.
    unknown = post(client, code=FIRST_CODE, secret="ABCDEFGH23")
    unknown_by_phone = post(client, code=FIRST_CODE, phone="0912345678")
    dossier = actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY).dossier
    assert dossier.code == FIRST_CODE

    wrong_secret = post(client, code=FIRST_CODE, secret="ABCDEFGH23")
    wrong_phone = post(client, code=FIRST_CODE, phone="0987654321")

    answers = [unknown, unknown_by_phone, wrong_secret, wrong_phone]
    assert [a.status_code for a in answers] == [404] * 4
    bodies = {without_csrf_tokens(a.content.decode()) for a in answers}
    assert len(bodies) == 1
    body = bodies.pop()
    assert NOT_FOUND in body and 'role="alert"' in body
    assert "ABCDEFGH23" not in body and "0987654321" not in body


def test_both_factors_given_must_both_match(client, citizen, agency):
    dossier, secret = submitted(citizen, agency)

    assert post(client, code=dossier.code, secret=secret, phone="0912345678").status_code == 200
    assert post(client, code=dossier.code, secret=secret, phone="0987654321").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": FIRST_CODE}, "Cần nhập mã bí mật tra cứu hoặc số điện thoại"),
        ({"code": FIRST_CODE, "secret": " ", "phone": ""}, "Cần nhập mã bí mật tra cứu"),
        ({"code": "", "secret": "ABCDEFGH23"}, "Mã hồ sơ: Vui lòng nhập thông tin này."),
        ({"code": FIRST_CODE, "phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"code": "X" * 101, "secret": "ABCDEFGH23"}, "Mã hồ sơ: Tối đa 100 ký tự."),
        ({"code": FIRST_CODE, "secret": "A" * 33}, "Mã bí mật tra cứu: Tối đa 32 ký tự."),
    ],
)
def test_bad_input_is_answered_with_a_clear_message(client, db, data, message):
    response = post(client, **data)

    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html and message in html


@pytest.mark.parametrize(
    "code",
    ["<script>alert(1)</script>", "' OR 1=1 --", "T24-STP-261123-0001'; DROP TABLE x; --"],
)
def test_html_and_sql_in_the_code_are_only_looked_up(client, citizen, agency, code):
    dossier, secret = submitted(citizen, agency)

    response = post(client, code=code, secret=secret)

    html = response.content.decode()
    assert response.status_code == 404 and NOT_FOUND in html
    assert "<script>alert" not in html
    if "<" in code:
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert post(client, code=dossier.code, secret=secret).status_code == 200
