"""Protected fetches: the same 404 for a dossier that is not yours and one that does not exist."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from opendvc.dossiers import access
from opendvc.dossiers.models import Status
from opendvc.dossiers.tests.factories import DossierFactory


def _message(fetch, user, key) -> str:
    with pytest.raises(Http404) as caught:
        fetch(user, key)
    return str(caught.value)


def test_a_citizen_gets_their_own_dossier(citizen, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    assert access.get_dossier_for_citizen_or_404(citizen, dossier.code) == dossier


def test_another_citizens_dossier_answers_like_a_missing_one(citizen, other_citizen, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    fetch = access.get_dossier_for_citizen_or_404

    not_yours = _message(fetch, other_citizen, dossier.code)
    missing = _message(fetch, citizen, "T24-STP-261123-9999")

    assert not_yours == missing == access.NOT_FOUND


@pytest.mark.parametrize("who", ["desk_officer", "specialist", "leader"])
def test_an_official_does_not_fetch_as_a_citizen(who, request, citizen, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    with pytest.raises(Http404):
        access.get_dossier_for_citizen_or_404(request.getfixturevalue(who), dossier.code)


def test_anonymous_gets_404_both_ways(citizen, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    for fetch in (access.get_dossier_for_citizen_or_404, access.get_dossier_for_official_or_404):
        with pytest.raises(Http404):
            fetch(AnonymousUser(), dossier.code)


@pytest.mark.parametrize("who", ["desk_officer", "specialist", "leader"])
def test_officials_of_the_agency_get_its_dossiers(who, request, citizen, agency):
    dossier = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)
    official = request.getfixturevalue(who)
    assert access.get_dossier_for_official_or_404(official, dossier.code) == dossier


def test_an_official_of_another_agency_gets_404_like_a_missing_one(
    citizen, agency, desk_officer, other_agency_officer
):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    fetch = access.get_dossier_for_official_or_404

    assert _message(fetch, other_agency_officer, dossier.code) == access.NOT_FOUND
    assert _message(fetch, desk_officer, "T24-STP-000000-0001") == access.NOT_FOUND


def test_the_applicant_is_not_an_official_of_their_dossier(citizen, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    with pytest.raises(Http404):
        access.get_dossier_for_official_or_404(citizen, dossier.code)


def test_drafts_are_the_applicants_alone(citizen, other_citizen, agency, desk_officer):
    draft = DossierFactory(status=Status.DRAFT, agency=agency, applicant=citizen)

    assert access.get_draft_for_citizen_or_404(citizen, draft.pk) == draft
    for user in (other_citizen, desk_officer):
        with pytest.raises(Http404):
            access.get_draft_for_citizen_or_404(user, draft.pk)
    assert not access.can_view_dossier(desk_officer, draft)
    with pytest.raises(Http404):
        access.get_draft_for_citizen_or_404(citizen, "x")


def test_a_submitted_dossier_is_not_fetched_as_a_draft(citizen, agency):
    dossier = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    with pytest.raises(Http404):
        access.get_draft_for_citizen_or_404(citizen, dossier.pk)


def test_the_actions_offered_follow_role_and_status(
    citizen, other_citizen, agency, desk_officer, specialist, leader, other_agency_officer
):
    new = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)
    processing = DossierFactory(status=Status.PROCESSING, agency=agency, applicant=citizen)

    assert access.available_actions(desk_officer, new) == ["accept", "refuse"]
    assert access.available_actions(citizen, new) == ["withdraw"]
    assert access.available_actions(other_citizen, new) == []
    assert access.available_actions(other_agency_officer, processing) == []
    assert access.available_actions(specialist, processing) == [
        "request_supplement",
        "request_payment",
    ]
    assert access.available_actions(leader, processing) == [
        "request_supplement",
        "request_payment",
        "stop",
        "finish",
        "apology",
    ]
    assert access.can_accept_dossier(desk_officer, new)
    assert not access.can_accept_dossier(specialist, new)
    assert access.can_withdraw_dossier(citizen, new)
    assert not access.can_withdraw_dossier(citizen, processing)
    assert not access.can_finish_dossier(specialist, processing)
    assert access.can_finish_dossier(leader, processing)
    assert not access.can_resubmit_supplement(citizen, processing)
    assert access.can_view_dossier(citizen, new) and not access.can_view_dossier(other_citizen, new)
    assert not access.can_view_dossier(other_agency_officer, new)


def test_a_citizen_gets_their_own_draft_and_dossier_by_id(citizen, agency):
    draft = DossierFactory(agency=agency, applicant=citizen)
    submitted = DossierFactory(status=Status.NEW, agency=agency, applicant=citizen)

    fetch = access.get_own_dossier_for_citizen_or_404

    assert (fetch(citizen, draft.pk), fetch(citizen, submitted.pk)) == (draft, submitted)


@pytest.mark.parametrize("key", ["theirs", 999_999, "abc", None])
def test_by_id_another_citizens_dossier_answers_like_a_missing_one(
    key, citizen, other_citizen, agency
):
    theirs = DossierFactory(status=Status.NEW, agency=agency, applicant=other_citizen)
    pk = theirs.pk if key == "theirs" else key

    assert _message(access.get_own_dossier_for_citizen_or_404, citizen, pk) == access.NOT_FOUND
    anonymous = _message(access.get_own_dossier_for_citizen_or_404, AnonymousUser(), theirs.pk)
    assert anonymous == access.NOT_FOUND
