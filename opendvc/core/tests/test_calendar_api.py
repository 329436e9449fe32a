"""GET /api/v1/calendar/due-date: the reception moment and the due moment, and its 422s."""

from urllib.parse import urlencode

import pytest

from opendvc.core import calendar

URL = "/api/v1/calendar/due-date"


@pytest.fixture(autouse=True)
def fresh_overrides(db):
    calendar.forget_overrides()
    yield
    calendar.forget_overrides()


def get(client, **params):
    return client.get(f"{URL}?{urlencode(params)}")


def test_the_issue_example_runs_across_tet_2026(client):
    response = get(client, received_at="2026-02-13T10:00:00+07:00", amount=3, unit="WORKING_DAY")
    assert response.status_code == 200
    assert response.json() == {
        "effective_received_at": "2026-02-13T10:00:00+07:00",
        "due_at": "2026-02-25T17:00:00+07:00",
    }


def test_a_night_submission_in_utc_is_received_next_morning_in_vietnam_time(client):
    # 11:00Z is 18:00 in Hà Nội, after closing, the Friday before Tết 2027.
    response = get(client, received_at="2027-02-05T11:00:00Z", amount=2, unit="WORKING_DAY")
    assert response.json() == {
        "effective_received_at": "2027-02-11T07:30:00+07:00",
        "due_at": "2027-02-15T17:00:00+07:00",
    }


def test_a_calendar_period_ending_on_a_holiday_moves_to_the_next_working_day(client):
    response = get(client, received_at="2026-04-20T09:00:00+07:00", amount=10, unit="DAY")
    assert response.json()["due_at"] == "2026-05-04T17:00:00+07:00"


def test_hours_and_fractions(client):
    hours = get(client, received_at="2026-03-02T15:00:00+07:00", amount="4", unit="HOUR")
    assert hours.json()["due_at"] == "2026-03-03T09:30:00+07:00"
    half = get(client, received_at="2026-03-02T10:00:00+07:00", amount="0.5", unit="WORKING_DAY")
    assert half.json()["due_at"] == "2026-03-03T12:15:00+07:00"


def test_an_unencoded_plus_in_the_offset_is_understood(client):
    response = client.get(f"{URL}?received_at=2026-08-21T10:00:00+07:00&amount=1&unit=WORKING_DAY")
    assert response.status_code == 200
    assert response.json()["due_at"] == "2026-08-22T17:00:00+07:00"  # the make-up Saturday


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"received_at": "2026-02-13T10:00:00", "amount": 3, "unit": "DAY"}, "received_at"),
        ({"received_at": "hôm qua", "amount": 3, "unit": "DAY"}, "received_at"),
        ({"received_at": "2026-02-30T10:00:00+07:00", "amount": 3, "unit": "DAY"}, "received_at"),
        ({"received_at": "2026-02-13T10:00:00+07:00", "amount": 3, "unit": "WEEK"}, "unit"),
        ({"received_at": "2026-02-13T10:00:00+07:00", "amount": -1, "unit": "DAY"}, "amount"),
        ({"received_at": "2026-02-13T10:00:00+07:00", "amount": "1e9", "unit": "DAY"}, "amount"),
        ({"received_at": "2026-02-13T10:00:00+07:00", "amount": 121, "unit": "MONTH"}, "amount"),
        ({"received_at": "2026-02-13T10:00:00+07:00", "amount": "NaN", "unit": "DAY"}, "amount"),
        ({"received_at": "2026-02-13T10:00:00+07:00", "amount": "ba", "unit": "DAY"}, "amount"),
        ({"received_at": "9999-12-31T17:30:00+07:00", "amount": 5, "unit": "DAY"}, "received_at"),
        ({"amount": 3, "unit": "DAY"}, "received_at"),
    ],
)
def test_bad_input_answers_422_with_the_error_body(client, params, field):
    response = get(client, **params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert field in [detail["field"] for detail in error["details"]]


def test_openapi_schema_describes_the_due_date(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"][URL]["get"]
    assert "Civil Code 2015 Art. 147" in operation["description"]
    assert set(operation["responses"]) == {"200", "422"}
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) == {"received_at", "amount", "unit"}
    assert all(p.get("description") for p in parameters.values())
