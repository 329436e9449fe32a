"""Answering a survey through its public link; the list of open surveys."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from opendvc.core import ratelimit
from opendvc.core.http import client_ip

from . import access, actions, survey_page
from .answering import evaluate
from .models import Survey


@require_GET
def open_surveys(request: HttpRequest) -> HttpResponse:
    surveys = Survey.objects.open_at(timezone.now()).select_related("agency").order_by("closes_at")
    return render(request, "surveys/public/list.html", {"surveys": surveys})


def _page(request, survey, device, data=None, errors=None, status=200) -> HttpResponse:
    questions = list(survey.questions.select_related("condition_question"))
    context = {
        "survey": survey,
        "is_open": survey.is_open(timezone.now()),
        "answered": survey_page.has_answered(survey, request.user, device),
        "items": survey_page.items(questions, data or {}, errors or {}),
        "errors": errors or {},
    }
    response = render(request, "surveys/public/answer.html", context, status=status)
    if survey.is_anonymous and device != survey_page.device_of(request):
        survey_page.remember_device(response, device)
    return response


def _limited(request: HttpRequest, survey: Survey) -> bool:
    if not survey.is_anonymous:
        return False  # one person, one response: the constraint is the limit
    ip = client_ip(request) or "unknown"
    limit = survey_page.answers_per_ip()
    if ratelimit.hit("surveys:answer", ip, limit=limit, window=survey_page.WINDOW):
        return False
    messages.error(request, _("Bạn đã gửi quá nhiều lần. Vui lòng thử lại sau."))
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    survey = access.get_published_survey_or_404(token)
    if not survey.is_anonymous and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    device = survey_page.device_of(request) or survey_page.new_device()
    if request.method == "GET":
        return _page(request, survey, device)
    data = survey_page.posted(request)
    if _limited(request, survey):
        return _page(request, survey, device, data, status=429)
    outcome = evaluate(survey.questions.select_related("condition_question"), data)
    if not outcome.is_valid:
        return _page(request, survey, device, data, outcome.errors, status=400)
    user = None if survey.is_anonymous else request.user
    try:
        actions.answer_survey(
            survey=survey, values=outcome.values, user=user, device=device, now=timezone.now()
        )
    except actions.SurveyError as error:
        messages.error(request, str(error))
        return _page(request, survey, device, data, status=409)
    messages.success(request, _("Cảm ơn bạn đã tham gia khảo sát."))
    response = redirect("surveys:answer", token=survey.token)
    if survey.is_anonymous:
        survey_page.remember_device(response, device)
    return response
