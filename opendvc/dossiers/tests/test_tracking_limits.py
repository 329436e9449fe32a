"""Rate limits of public tracking, per client IP and per code, and the work each lookup does."""

from datetime import timedelta
from unittest import mock

import time_machine

from opendvc.dossiers import tracking
from opendvc.dossiers.models import Dossier
from opendvc.dossiers.tests.factories import MONDAY

from .test_tracking import (
    FIRST_CODE,
    NOT_FOUND,
    post,
    submitted,
)

TRACK = "/api/v1/dossiers/track"
RATE_LIMITED = "Bạn đã tra cứu không thành công quá nhiều lần. Vui lòng thử lại sau 15 phút."


def get(client, ip="10.0.0.1", **params):
    return client.get(TRACK, params, REMOTE_ADDR=ip)


def test_ten_failures_from_one_ip_lock_it_out_even_for_a_right_pair(client, citizen, agency):
    dossier, secret = submitted(citizen, agency)
    # Distinct unknown codes, so only the per-IP limit can be reached.
    failures = [get(client, code=f"T24-STP-261123-{n:04d}0", secret="X") for n in range(10)]
    assert {f.status_code for f in failures} == {404}

    limited = get(client, code=dossier.code, secret=secret)
    page = post(client, code=dossier.code, secret=secret)
    elsewhere = get(client, ip="10.0.0.2", code=dossier.code, secret=secret)

    assert limited.status_code == 429
    assert limited.json() == {
        "error": {"code": "rate_limited", "message": RATE_LIMITED, "details": []}
    }
    assert page.status_code == 429 and RATE_LIMITED in page.content.decode()
    assert elsewhere.status_code == 200


def test_five_failures_on_one_code_lock_that_code_from_every_ip(client, citizen, agency):
    dossier, secret = submitted(citizen, agency)
    for n in range(5):
        assert get(client, ip=f"10.0.1.{n}", code=dossier.code, secret="X").status_code == 404

    # Codes are compared as typed on receipts, so the lower-case spelling is the same code.
    limited = get(client, ip="10.0.2.1", code=dossier.code.lower(), secret=secret)
    other_code = get(client, ip="10.0.2.1", code="T24-STP-261123-0002", secret="X")

    assert limited.status_code == 429
    assert other_code.status_code == 404


def test_successes_do_not_count(client, citizen, agency):
    dossier, secret = submitted(citizen, agency)

    answers = [get(client, code=dossier.code, secret=secret) for _ in range(12)]
    answers += [post(client, code=dossier.code, phone="0912345678") for _ in range(12)]

    assert {a.status_code for a in answers} == {200}


def test_the_lockout_ends_with_its_window(client, citizen, agency):
    dossier, secret = submitted(citizen, agency)
    with time_machine.travel(MONDAY, tick=False) as traveller:
        for _ in range(5):
            get(client, code=dossier.code, secret="X")
        assert get(client, code=dossier.code, secret=secret).status_code == 429

        traveller.shift(timedelta(minutes=15, seconds=1))

        assert get(client, code=dossier.code, secret=secret).status_code == 200


def test_the_limits_are_settings(client, citizen, agency, settings):
    settings.OPENDVC_TRACKING_MAX_FAILURES_PER_IP = 2
    settings.OPENDVC_TRACKING_WINDOW_SECONDS = 120
    dossier, secret = submitted(citizen, agency)

    for n in range(2):
        post(client, code=f"T24-STP-261123-9{n:03d}", secret="X")
    page = post(client, code=dossier.code, secret=secret)

    assert page.status_code == 429
    assert "Vui lòng thử lại sau 2 phút." in page.content.decode()
    assert NOT_FOUND not in page.content.decode()


def test_every_lookup_checks_one_hash_and_runs_one_query(
    citizen, agency, django_assert_num_queries
):
    dossier, secret = submitted(citizen, agency)
    real_check = Dossier.check_secret
    cases = [
        ("T24-STP-991231-9999", secret),  # unknown code: checked against the decoy hash
        (dossier.code, "ABCDEFGH23"),  # wrong secret
        (dossier.code, secret),  # right secret
    ]
    for code, typed in cases:
        with (
            mock.patch.object(
                Dossier, "check_secret", autospec=True, side_effect=real_check
            ) as verify,
            django_assert_num_queries(1),
        ):
            found = tracking.find_for_tracking(code, secret=typed)
        assert verify.call_count == 1
        assert (found == dossier) is (typed == secret and code == dossier.code)


def test_without_a_second_factor_nothing_is_found(citizen, agency):
    dossier, _ = submitted(citizen, agency)

    assert tracking.find_for_tracking(dossier.code) is None
    assert tracking.find_for_tracking(FIRST_CODE, secret="", phone="") is None
