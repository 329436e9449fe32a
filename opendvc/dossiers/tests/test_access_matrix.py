"""Who reaches what: every dossier endpoint of the API and every dossier page, for the applicant,
another citizen, an official of the agency, an official of another agency and someone not
signed in. What is not yours answers exactly like what does not exist (404), and a refused
request changes nothing."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opendvc.accounts.tokens import create_token
from opendvc.dossiers.models import (
    ComponentFile,
    Dossier,
    Status,
    StatusChange,
)
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory, pdf

from .scenes import (  # noqa: F401 - the commune fixture
    answers,
    commune_of_a_province,
    stored_result,
)

pytestmark = pytest.mark.django_db
API = "/api/v1"
ACTORS = ["applicant", "other_citizen", "desk_officer", "other_agency_officer", "anonymous"]
LOGIN = "login"  # a page's answer to someone not signed in: the sign-in page


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY + timedelta(hours=2), tick=False):
        yield


@pytest.fixture
def make(agency, citizen, leader, commune):
    """A dossier of `citizen` at `agency` in `status`, with one required component holding one
    file, a valid e-form, and for a finished dossier a signed result."""

    def build(status: int) -> Dossier:
        dossier = DossierFactory(
            agency=agency, applicant=citizen, status=status, form_data=answers(commune)
        )
        component = DossierComponentFactory(dossier=dossier, name="Tờ khai")
        stored = ComponentFile(
            component=component,
            original_name="to-khai.pdf",
            size=len(pdf()),
            content_type="application/pdf",
            sha256=hashlib.sha256(pdf()).hexdigest(),
            uploaded_at=MONDAY,
        )
        stored.file.save("to-khai.pdf", ContentFile(pdf()), save=False)
        stored.save()
        if status == Status.FINISHED:
            stored_result(dossier, leader)
        return dossier

    return build


def headers_of(request, actor: str) -> dict:
    if actor == "anonymous":
        return {}
    user = request.getfixturevalue("citizen" if actor == "applicant" else actor)
    _token, raw = create_token(user=user, name="ma-tran", now=MONDAY)
    return {"Authorization": f"Bearer {raw}"}


def state(dossier: Dossier) -> tuple:
    dossier.refresh_from_db()
    files = ComponentFile.objects.filter(component__dossier=dossier).count()
    return dossier.status, dossier.form_data, files, StatusChange.objects.count()


def _file(dossier: Dossier) -> ComponentFile:
    return ComponentFile.objects.get(component__dossier=dossier)


# (name, status, method, path, what is sent, the applicant's answer)
CITIZEN_ENDPOINTS = [
    ("get", Status.NEW, "get", "/dossiers/{id}", None, 200),
    ("form", Status.DRAFT, "patch", "/dossiers/{id}/form", {"ho_ten": "Lê Văn Mới"}, 200),
    ("attach", Status.DRAFT, "post", "/dossiers/{id}/components/{component}/files", "file", 201),
    (
        "remove",
        Status.DRAFT,
        "delete",
        "/dossiers/{id}/components/{component}/files/{file}",
        None,
        204,
    ),
    ("submit", Status.DRAFT, "post", "/dossiers/{id}/submit", {}, 200),
    ("supplement", Status.SUPPLEMENT, "post", "/dossiers/{id}/supplement", {}, 200),
    ("withdraw", Status.NEW, "post", "/dossiers/{id}/withdraw", {}, 200),
    ("result", Status.FINISHED, "get", "/dossiers/{id}/result", None, 200),
]


def call_api(client, method, path, sent, headers):
    headers = {**headers, "Idempotency-Key": "ma-tran-1"}
    if sent == "file":
        upload = SimpleUploadedFile("them.pdf", pdf(content=b"them"))
        return client.post(path, {"file": upload}, headers=headers)
    if sent is None:
        return getattr(client, method)(path, headers=headers)
    return getattr(client, method)(path, sent, content_type="application/json", headers=headers)


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "status", "method", "path", "sent", "allowed"),
    CITIZEN_ENDPOINTS,
    ids=[e[0] for e in CITIZEN_ENDPOINTS],
)
def test_the_applicants_endpoints(
    client, request, make, actor, name, status, method, path, sent, allowed
):
    dossier = make(status)
    stored = _file(dossier)
    url = API + path.format(id=dossier.pk, component=stored.component_id, file=stored.pk)
    before = state(dossier)

    response = call_api(client, method, url, sent, headers_of(request, actor))

    expected = {"applicant": allowed, "anonymous": 401}.get(actor, 404)
    assert response.status_code == expected, response.content
    if expected == 401:
        assert response.json()["error"]["code"] == "unauthorized"
    if expected in (401, 404):
        assert state(dossier) == before
    if expected == 404:
        assert response.json() == {
            "error": {"code": "not_found", "message": "Không tìm thấy.", "details": []}
        }


def test_a_missing_dossier_answers_like_a_strangers(client, request, make):
    stranger = make(Status.NEW)
    headers = headers_of(request, "other_citizen")

    missing = client.get(f"{API}/dossiers/{stranger.pk + 1000}", headers=headers)
    not_mine = client.get(f"{API}/dossiers/{stranger.pk}", headers=headers)

    assert (missing.status_code, missing.content) == (not_mine.status_code, not_mine.content)


@pytest.mark.parametrize("actor", ACTORS)
def test_my_dossiers_lists_only_the_applicants(client, request, make, actor):
    dossier = make(Status.NEW)

    response = client.get(f"{API}/dossiers", headers=headers_of(request, actor))

    if actor == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    ids = [item["id"] for item in response.json()["items"]]
    assert ids == ([dossier.pk] if actor == "applicant" else [])


STAFF_ROLES = ["specialist", "leader"]


# (name, status, method, path, body, answer per actor; anyone not named gets 404)
STAFF_ENDPOINTS = [
    (
        "detail",
        Status.NEW,
        "get",
        "/staff/dossiers/{code}",
        None,
        {"desk_officer": 200, "specialist": 200, "leader": 200},
    ),
    (
        "accept",
        Status.NEW,
        "post",
        "/staff/dossiers/{code}/actions/accept",
        {},
        {"desk_officer": 200, "specialist": 403, "leader": 403},
    ),
    (
        "finish",
        Status.PROCESSING,
        "post",
        "/staff/dossiers/{code}/actions/finish",
        {"summary": "Cấp phiếu"},
        {"desk_officer": 403, "specialist": 403, "leader": 200},
    ),
    (
        "request_supplement",
        Status.PROCESSING,
        "post",
        "/staff/dossiers/{code}/actions/request_supplement",
        {"reasons": [{"code": "MISSING"}]},
        {"desk_officer": 200, "specialist": 200, "leader": 200},
    ),
]


@pytest.mark.parametrize("actor", ACTORS + STAFF_ROLES)
@pytest.mark.parametrize(
    ("name", "status", "method", "path", "sent", "answers"),
    STAFF_ENDPOINTS,
    ids=[e[0] for e in STAFF_ENDPOINTS],
)
def test_the_officials_endpoints(
    client, request, make, actor, name, status, method, path, sent, answers
):
    dossier = make(status)
    url = API + path.format(code=dossier.code)
    before = state(dossier)

    response = call_api(client, method, url, sent, headers_of(request, actor))

    expected = 401 if actor == "anonymous" else answers.get(actor, 404)
    assert response.status_code == expected, response.content
    if expected != 200:
        assert state(dossier) == before
    if expected == 403:
        assert response.json()["error"]["code"] == "forbidden"
    if expected == 404:
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("actor", ACTORS + STAFF_ROLES)
def test_the_inbox_shows_an_agencys_dossiers_to_its_officials_only(client, request, make, actor):
    dossier = make(Status.NEW)

    response = client.get(f"{API}/staff/dossiers", headers=headers_of(request, actor))

    if actor in ("applicant", "other_citizen"):
        assert response.status_code == 404
    elif actor == "anonymous":
        assert response.status_code == 401
    else:
        codes = [item["code"] for item in response.json()["items"]]
        assert codes == ([] if actor == "other_agency_officer" else [dossier.code])


# Pages: (url name, status, method, arguments, the allowed actor's answer, who is allowed)
PAGES = [
    ("dossiers:detail", Status.NEW, "get", "code", 200, "applicant"),
    ("dossiers:receipt", Status.NEW, "get", "code", 200, "applicant"),
    ("dossiers:withdraw", Status.NEW, "post", "code", 302, "applicant"),
    ("dossiers:form", Status.DRAFT, "get", "pk", 200, "applicant"),
    ("dossiers:attachments", Status.DRAFT, "get", "pk", 200, "applicant"),
    ("dossiers:review", Status.DRAFT, "get", "pk", 200, "applicant"),
    ("dossiers:attach", Status.DRAFT, "post", "pk component_pk", 302, "applicant"),
    ("dossiers:remove_file", Status.DRAFT, "post", "pk file_pk", 302, "applicant"),
    ("dossiers:staff_detail", Status.NEW, "get", "code", 200, "desk_officer"),
    ("dossiers:staff_file", Status.NEW, "get", "code file_id", 200, "desk_officer"),
    ("dossiers:staff_action", Status.NEW, "post", "code action", 302, "desk_officer"),
]


def _page_url(name: str, arguments: str, dossier: Dossier) -> str:
    stored = _file(dossier)
    values = {
        "code": dossier.code,
        "pk": dossier.pk,
        "component_pk": stored.component_id,
        "file_pk": stored.pk,
        "file_id": stored.pk,
        "action": "accept",
    }
    return reverse(name, kwargs={key: values[key] for key in arguments.split()})


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize(
    ("name", "status", "method", "arguments", "answer", "allowed"),
    PAGES,
    ids=[p[0].split(":")[1] for p in PAGES],
)
def test_the_pages(client, request, make, actor, name, status, method, arguments, answer, allowed):
    dossier = make(status)
    url = _page_url(name, arguments, dossier)
    if actor != "anonymous":
        client.force_login(request.getfixturevalue("citizen" if actor == "applicant" else actor))
    before = state(dossier)
    data = (
        {"files": [SimpleUploadedFile("them.pdf", pdf(content=b"p"))]} if method == "post" else {}
    )

    response = getattr(client, method)(url, data)

    if actor == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    elif actor == allowed:
        assert response.status_code == answer
    else:
        assert response.status_code == 404
    if actor != allowed:
        assert state(dossier) == before


def test_an_allowed_page_action_changes_the_dossier(client, make, desk_officer):
    dossier = make(Status.NEW)
    client.force_login(desk_officer)

    client.post(_page_url("dossiers:staff_action", "code action", dossier))

    dossier.refresh_from_db()
    assert dossier.status == Status.RECEIVED
