"""Satisfaction figures on a small known set: by agency, procedure, official and month, and
the staff page that shows an agency's figures to its leaders."""

from datetime import datetime, timedelta

import pytest
from django.test import Client

from opendvc.catalog.tests.factories import CaseFactory
from opendvc.dossiers.models import DossierStep, Status, StatusChange
from opendvc.dossiers.tests.factories import VN, DossierFactory
from opendvc.surveys import aggregates

from .factories import rating

pytestmark = pytest.mark.django_db
NOV = datetime(2026, 11, 25, 10, 0, tzinfo=VN)
DEC = datetime(2026, 12, 2, 10, 0, tzinfo=VN)
START, END = datetime(2026, 11, 1, tzinfo=VN), datetime(2027, 1, 1, tzinfo=VN)


def acted(dossier, user, times: int = 1) -> None:
    for n in range(times):
        StatusChange.objects.create(
            dossier=dossier,
            from_status=2,
            to_status=4,
            action="forward",
            actor=user,
            at=NOV + timedelta(minutes=n),
        )


def completed(dossier, user) -> None:
    DossierStep.objects.create(
        dossier=dossier, position=1, name="Thẩm định", role="SPECIALIST", completed_by=user
    )


@pytest.fixture
def known(agency, other_agency, specialist, leader):
    """Three ratings in the agency (totals 18, 13, 14; overall 5, 3, 4), one elsewhere."""
    first, second = (
        CaseFactory(procedure__name="Cấp phiếu lý lịch tư pháp"),
        CaseFactory(procedure__name="Đăng ký khai sinh"),
    )
    d1 = DossierFactory(agency=agency, case=first, status=Status.RETURNED)
    d2 = DossierFactory(agency=agency, case=first, status=Status.RETURNED)
    d3 = DossierFactory(agency=agency, case=second, status=Status.FINISHED)
    d4 = DossierFactory(agency=other_agency, case=second, status=Status.RETURNED)
    rating(d1, overall=5, at=NOV)
    rating(d2, overall=3, scores={"time_legal": 0, "contacts": 1, "attitude": 0}, at=DEC)
    rating(d3, overall=4, scores={"attitude": 0, "publicity": 0}, at=NOV)
    d3.rating.comment = "Cán bộ <chưa> nhiệt tình"
    d3.rating.save()
    rating(d4, overall=1, scores={"time_legal": 0}, at=NOV)
    acted(d1, specialist, times=2)  # acted twice and completed a step: credited once
    completed(d1, specialist)
    completed(d3, specialist)
    acted(d2, leader)
    return first.procedure, second.procedure


def test_figures_by_agency(known, agency, other_agency):
    rows = {f.key: f for f in aggregates.by_agency(start=START, end=END)}
    ours = rows[agency.pk]
    assert (ours.count, ours.satisfied, ours.satisfied_percent) == (3, 2, 66.7)
    assert ours.average_total == 15.0
    assert ours.averages["time_legal"] == pytest.approx(1.33, abs=0.01)
    assert ours.averages["attitude"] == pytest.approx(0.67, abs=0.01)
    assert ours.averages["contacts"] == pytest.approx(1.67, abs=0.01)
    assert ours.averages["reception"] == 2.0
    assert (rows[other_agency.pk].count, rows[other_agency.pk].satisfied_share) == (1, 0.0)


def test_figures_by_procedure_and_month(known, agency):
    first, second = known
    by_procedure = {
        f.key: f for f in aggregates.by_procedure(start=START, end=END, agencies=[agency])
    }
    months = aggregates.by_month(start=START, end=END, agencies=[agency])

    assert (by_procedure[first.pk].count, by_procedure[first.pk].satisfied) == (2, 1)
    assert by_procedure[first.pk].average_total == 15.5
    assert (by_procedure[second.pk].count, by_procedure[second.pk].average_total) == (1, 14.0)
    assert [(m.label, m.count, m.satisfied) for m in months] == [
        ("11/2026", 2, 2),
        ("12/2026", 1, 0),
    ]


def test_figures_by_official_credit_each_dossier_once(known, agency, specialist, leader):
    rows = {f.key: f for f in aggregates.by_official(start=START, end=END, agencies=[agency])}

    assert set(rows) == {specialist.pk, leader.pk}
    assert (rows[specialist.pk].count, rows[specialist.pk].satisfied) == (2, 2)
    assert rows[specialist.pk].average_total == 16.0
    assert rows[specialist.pk].averages["attitude"] == 1.0
    assert (rows[leader.pk].count, rows[leader.pk].average_total, rows[leader.pk].label) == (
        1,
        13.0,
        leader.full_name,
    )


def test_the_period_bounds_the_ratings(known, agency):
    november = aggregates.summary(
        start=START, end=datetime(2026, 12, 1, tzinfo=VN), agencies=[agency]
    )
    empty = aggregates.summary(start=END, end=END + timedelta(days=30), agencies=[agency])
    assert (november.count, november.satisfied_share) == (2, 1.0)
    assert (empty.count, empty.satisfied_share, empty.average_total) == (0, 0.0, 0.0)


def _page(user, agency, start="2026-11-01", end="2026-12-31"):
    client = Client()
    client.force_login(user)
    return client.get(
        "/can-bo/danh-gia-hai-long/", {"agency": agency.pk, "start": start, "end": end}
    )


def test_a_leader_reads_the_figures_with_a_chart_and_tables(known, agency, leader):
    response = _page(leader, agency)
    assert response.status_code == 200
    assert "66,7%" in response.text or "66.7%" in response.text
    assert "<svg" in response.text and "Cấp phiếu lý lịch tư pháp" in response.text
    assert leader.full_name in response.text and "12/2026" in response.text
    assert "Cán bộ &lt;chưa&gt; nhiệt tình" in response.text  # escaped as text


def test_the_figures_are_not_for_others(
    known, agency, other_agency, specialist, citizen, other_agency_officer, superuser
):
    assert _page(specialist, agency).status_code == 404
    assert _page(citizen, agency).status_code == 404
    assert _page(other_agency_officer, agency).status_code == 404
    anonymous = Client().get("/can-bo/danh-gia-hai-long/")
    assert anonymous.status_code == 302 and "dang-nhap" in anonymous.url
    assert _page(superuser, other_agency).status_code == 200


def test_a_leader_cannot_ask_for_another_agency(known, other_agency, leader):
    response = _page(leader, other_agency)
    assert response.status_code == 400 and "<svg" not in response.text
