"""Surveys API v1: the satisfaction criteria, the applicant's rating of their dossier, and
electronic surveys (the open ones, one survey, answering it).

A dossier that is not the caller's answers 404 like one that does not exist; a rating that
cannot be given (no result yet, already rated) answers 409 `cannot_rate`. A survey answer
with missing or invalid answers answers 422 `invalid_answers` with one detail per question;
a closed survey or a second answer answers 409."""

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router
from ninja.errors import AuthenticationError
from ninja.responses import Status

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut, error_body
from opendvc.core import ratelimit
from opendvc.core.http import client_ip

from . import access, actions, survey_page
from . import api_schemas as s
from .answering import evaluate
from .models import DossierRating, Survey

router = Router(tags=["surveys"])


def anyone(request: HttpRequest):
    """No sign-in: tried after the token and the cookie, for anonymous surveys."""
    return "anonymous"


@router.get(
    "/ratings/criteria", response=s.SatisfactionCriteriaOut, summary="Satisfaction criteria"
)
def criteria(request: HttpRequest):
    """The nine criteria of Circular 01/2018/TT-VPCP with their answer levels (0–2 points),
    and the five overall levels."""
    return s.criteria()


@router.post(
    "/dossiers/{int:dossier_id}/rating",
    auth=signed_in,
    response={
        201: s.DossierRatingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    summary="Rate my dossier",
)
def rate(request: HttpRequest, dossier_id: int, payload: s.DossierRatingIn):
    """The applicant rates the handling of their dossier once its result is out (9 or 10)."""
    dossier = access.get_dossier_by_id_for_rating_or_404(request.user, dossier_id)
    try:
        found = actions.rate_dossier(
            dossier=dossier,
            scores=payload.scores(),
            overall=payload.overall,
            comment=payload.comment,
            by=request.user,
            now=timezone.now(),
        )
    except actions.CannotRate as error:
        return Status(409, error_body("cannot_rate", str(error)))
    return Status(201, s.rating(found))


@router.get(
    "/dossiers/{int:dossier_id}/rating",
    auth=signed_in,
    response={200: s.DossierRatingOut, 401: ErrorOut, 404: ErrorOut},
    summary="My rating of my dossier",
)
def my_rating(request: HttpRequest, dossier_id: int):
    dossier = access.get_dossier_by_id_for_rating_or_404(request.user, dossier_id)
    found = DossierRating.objects.filter(dossier=dossier).select_related("dossier").first()
    if found is None:
        raise Http404
    return s.rating(found)


@router.get("/surveys", response=list[s.SurveySummaryOut], summary="Open surveys")
def open_surveys(request: HttpRequest):
    found = Survey.objects.open_at(timezone.now()).select_related("agency").order_by("closes_at")
    return [s.survey_summary(survey) for survey in found]


@router.get("/surveys/{token}", response={200: s.SurveyOut, 404: ErrorOut}, summary="One survey")
def read_survey(request: HttpRequest, token: str):
    """A published survey and its questions (a closed one too, with is_open false)."""
    survey = access.get_published_survey_or_404(token)
    questions = [s.question(q) for q in survey.questions.all()]
    opened = survey.is_open(timezone.now())
    return {**s.survey_summary(survey), "is_open": opened, "questions": questions}


@router.post(
    "/surveys/{token}/responses",
    auth=[*signed_in, anyone],
    response={
        201: s.SurveyResponseOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    summary="Answer a survey",
)
def answer(request: HttpRequest, token: str, payload: s.SurveyResponseIn):
    """One response per signed-in person; an anonymous survey takes answers without sign-in
    (and keeps no account with them), limited per IP address."""
    survey = access.get_published_survey_or_404(token)
    signed = request.auth != "anonymous"
    if not survey.is_anonymous and not signed:
        raise AuthenticationError()
    ip = client_ip(request) or "unknown"
    limit = survey_page.answers_per_ip()
    if survey.is_anonymous and not ratelimit.hit(
        "surveys:answer", ip, limit=limit, window=survey_page.WINDOW
    ):
        return Status(
            429, error_body("rate_limited", "Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau.")
        )
    outcome = evaluate(survey.questions.all(), payload.as_post())
    if not outcome.is_valid:
        details = [{"field": name, "message": message} for name, message in outcome.errors.items()]
        return Status(422, error_body("invalid_answers", "Câu trả lời chưa hợp lệ.", details))
    user = None if survey.is_anonymous else request.user
    try:
        response = actions.answer_survey(
            survey=survey, values=outcome.values, user=user, now=timezone.now()
        )
    except actions.SurveyError as error:
        return Status(409, error_body("cannot_answer", str(error)))
    return Status(201, {"id": response.pk, "submitted_at": response.submitted_at})
