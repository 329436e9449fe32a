"""What the answer page shows for each question, with what was typed kept after an error.

Anonymous surveys allow one response per device: the device is a random id in a signed
cookie. Clearing cookies or using another browser makes a new device, so this only stops
accidental repeats; a rate limit per IP address bounds deliberate ones (and, behind one
shared address such as an office network, may refuse honest people: OPENDVC_SURVEY_ANSWERS_PER_IP
sets it). Surveys that must count each person once ask people to sign in.
"""

import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest

from .answering import condition_text, row_field
from .models import Question, Survey, SurveyResponse

DEVICE_COOKIE = "surveys_device"
DEVICE_SALT = "opendvc.surveys.device"
DEVICE_MAX_AGE = 2 * 365 * 24 * 3600
ANSWERS_PER_IP = 30  # per hour, anonymous surveys
WINDOW = 3600


def answers_per_ip() -> int:
    return int(getattr(settings, "OPENDVC_SURVEY_ANSWERS_PER_IP", ANSWERS_PER_IP))


def device_of(request: HttpRequest) -> str:
    """The device id from the signed cookie; empty when absent or forged."""
    return request.get_signed_cookie(DEVICE_COOKIE, default="", salt=DEVICE_SALT)


def new_device() -> str:
    return secrets.token_urlsafe(16)


def remember_device(response, device: str) -> None:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
    )


def has_answered(survey: Survey, user, device: str) -> bool:
    if survey.is_anonymous:
        return bool(device) and SurveyResponse.objects.filter(survey=survey, device=device).exists()
    return SurveyResponse.objects.filter(survey=survey, user=user).exists()


def posted(request: HttpRequest) -> dict[str, list[str]]:
    return {key: request.POST.getlist(key) for key in request.POST if key.startswith("q")}


@dataclass
class Item:
    question: Question
    name: str
    error: str
    condition: str
    chosen: set[str] = field(default_factory=set)
    text: str = ""
    choices: list[tuple[str, str]] = field(default_factory=list)  # value, label
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # label, field name, chosen


def items(
    questions: list[Question], data: dict[str, list[str]], errors: dict[str, str]
) -> list[Item]:
    found = []
    for q in questions:
        item = Item(q, q.field_name, errors.get(q.field_name, ""), condition_text(q))
        given = data.get(q.field_name, [])
        item.chosen = set(given)
        item.text = given[0] if given and q.kind == Question.Kind.TEXT else ""
        offset = 1 if q.kind == Question.Kind.SCALE else 0
        item.choices = [(str(i + offset), label) for i, label in enumerate(q.scale)]
        for r, label in enumerate(q.rows if q.kind == Question.Kind.MATRIX else []):
            name = row_field(q, r)
            item.rows.append((label, name, (data.get(name) or [""])[0]))
        found.append(item)
    return found
