"""The tracking secret's hash: keyed and quick, made before any lock, old hashes still valid."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection

from opendvc.dossiers import actions
from opendvc.dossiers.actions import filing
from opendvc.dossiers.models import Dossier, Status
from opendvc.dossiers.tests.factories import MONDAY, DossierFactory


def _submitted(citizen, agency) -> tuple[Dossier, str]:
    draft = DossierFactory(agency=agency, applicant=citizen)
    submission = actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY)
    return Dossier.objects.get(pk=draft.pk), submission.secret


def test_a_submitted_dossier_keeps_only_a_hash_of_its_secret(citizen, agency):
    dossier, secret = _submitted(citizen, agency)

    assert secret not in dossier.secret_hash
    assert dossier.check_secret(secret)


def test_the_keyed_hash_is_salted_hmac_sha256():
    encoded = Dossier.hash_secret(" abcdefghjk ")

    scheme, salt, digest = encoded.split("$")
    assert (scheme, len(salt), len(digest)) == ("hmac", 16, 64)
    assert "ABCDEFGHJK" not in encoded
    assert Dossier(secret_hash=encoded).check_secret("ABCDEFGHJK")
    assert not Dossier(secret_hash=encoded).check_secret("ABCDEFGHJL")


def test_the_secret_checks_in_any_case_and_with_spaces_around(citizen, agency):
    dossier, secret = _submitted(citizen, agency)

    assert dossier.check_secret(f"  {secret.lower()} ")
    assert dossier.check_secret(secret.capitalize())


def test_a_wrong_or_empty_secret_does_not_check(citizen, agency):
    dossier, secret = _submitted(citizen, agency)
    one_symbol_off = ("B" if secret[0] != "B" else "C") + secret[1:]

    assert not dossier.check_secret(one_symbol_off)
    assert not dossier.check_secret("")
    assert not Dossier(secret_hash="").check_secret("")


def test_two_dossiers_with_the_same_secret_have_different_hashes():
    first, second = Dossier.hash_secret("ABCDEFGHJK"), Dossier.hash_secret("ABCDEFGHJK")

    assert first != second
    assert Dossier(secret_hash=first).check_secret("abcdefghjk")
    assert Dossier(secret_hash=second).check_secret("abcdefghjk")


def test_the_hash_depends_on_the_secret_key(settings):
    encoded = Dossier.hash_secret("ABCDEFGHJK")

    settings.SECRET_KEY = "another key, another deployment, 0123456789abcdef"

    assert not Dossier(secret_hash=encoded).check_secret("ABCDEFGHJK")


def test_a_rotated_secret_key_kept_as_a_fallback_still_checks(settings):
    old_key = settings.SECRET_KEY
    encoded = Dossier.hash_secret("ABCDEFGHJK")

    settings.SECRET_KEY = "the new key of the deployment, 0123456789abcdef"
    settings.SECRET_KEY_FALLBACKS = [old_key]

    assert Dossier(secret_hash=encoded).check_secret("ABCDEFGHJK")


@pytest.mark.parametrize(
    "hasher",
    [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ],
)
def test_a_secret_hashed_before_with_the_password_hasher_still_checks(db, settings, hasher):
    # Rows submitted before the keyed hash carry make_password's hash of the secret.
    settings.PASSWORD_HASHERS = [hasher]
    dossier = DossierFactory(status=Status.NEW, secret_hash=make_password("ABCDEFGHJK"))

    assert dossier.check_secret(" abcdefghjk ")
    assert not dossier.check_secret("ABCDEFGHJL")


def test_the_secret_is_hashed_before_the_submission_takes_any_lock(citizen, agency, monkeypatch):
    draft = DossierFactory(agency=agency, applicant=citizen)
    outside = len(connection.atomic_blocks)  # the test's own transaction, if any
    depth_when_hashed = []
    new_secret = filing.new_secret

    def watched() -> tuple[str, str]:
        depth_when_hashed.append(len(connection.atomic_blocks))
        return new_secret()

    monkeypatch.setattr(filing, "new_secret", watched)

    submission = actions.submit_dossier(dossier=draft, by=citizen, now=MONDAY)

    assert depth_when_hashed == [outside]
    assert Dossier.objects.get(pk=draft.pk).check_secret(submission.secret)


def test_a_submission_stores_the_keyed_hash(citizen, agency):
    dossier, secret = _submitted(citizen, agency)

    assert dossier.secret_hash.startswith("hmac$")
    assert dossier.check_secret(secret)
