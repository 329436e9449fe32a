"""Building a survey, publishing it with its link and QR code, and reading its results:
administrators, and communication officers for their agency. To anyone else these pages
answer 404, as pages that do not exist."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from opendvc.core import qr

from . import access, actions, exports, results
from .forms import QuestionForm, SurveyForm
from .models import Survey

EXPORTS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.as_xlsx),
}


def _builder_or_404(request: HttpRequest) -> None:
    if not access.can_build_surveys(request.user):
        raise Http404(access.NOT_FOUND)


def _survey_form(request: HttpRequest, instance: Survey | None = None) -> SurveyForm:
    user = request.user
    data = request.POST if request.method == "POST" else None
    return SurveyForm(
        data, instance=instance, agencies=access.survey_agencies(user), is_admin=user.is_superuser
    )


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    _builder_or_404(request)
    surveys = access.surveys_for_owner(request.user).select_related("agency")
    return render(request, "surveys/staff/list.html", {"surveys": surveys})


@login_required
@require_http_methods(["GET", "POST"])
def survey_create(request: HttpRequest) -> HttpResponse:
    _builder_or_404(request)
    form = _survey_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            survey = actions.create_survey(by=request.user, now=timezone.now(), **form.cleaned_data)
        except actions.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("surveys:builder_detail", pk=survey.pk)
    return render(
        request, "surveys/staff/form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    form = _survey_form(request, survey)
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_survey(
                survey=survey, by=request.user, now=timezone.now(), **form.cleaned_data
            )
        except actions.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("surveys:builder_detail", pk=survey.pk)
    context = {"form": form, "survey": survey}
    return render(request, "surveys/staff/form.html", context, status=400 if form.errors else 200)


def _detail(
    request: HttpRequest, survey: Survey, form: QuestionForm, status: int = 200
) -> HttpResponse:
    link = request.build_absolute_uri(reverse("surveys:answer", kwargs={"token": survey.token}))
    context = {
        "survey": survey,
        "questions": survey.questions.select_related("condition_question"),
        "form": form,
        "link": link,
        "responses": survey.responses.count(),
    }
    return render(request, "surveys/staff/detail.html", context, status=status)


@login_required
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    return _detail(request, survey, QuestionForm(survey=survey))


@login_required
@require_POST
def question_add(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    form = QuestionForm(request.POST, survey=survey)
    if form.is_valid():
        try:
            actions.add_question(
                survey=survey, by=request.user, now=timezone.now(), **form.question_fields()
            )
        except actions.SurveyError as error:
            form.add_error(None, str(error))
        else:
            return redirect("surveys:builder_detail", pk=survey.pk)
    return _detail(request, survey, form, status=400)


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    question = survey.questions.filter(pk=question_pk).first()
    if question is None:
        raise Http404(access.NOT_FOUND)
    try:
        actions.delete_question(question=question, by=request.user, now=timezone.now())
    except actions.SurveyError as error:
        messages.error(request, str(error))
    return redirect("surveys:builder_detail", pk=survey.pk)


@login_required
@require_POST
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    try:
        actions.publish_survey(survey=survey, by=request.user, now=timezone.now())
    except actions.SurveyError as error:
        messages.error(request, str(error))
    return redirect("surveys:builder_detail", pk=survey.pk)


@login_required
@require_GET
def survey_qr(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    if fmt != "svg":
        raise Http404(access.NOT_FOUND)
    link = request.build_absolute_uri(reverse("surveys:answer", kwargs={"token": survey.token}))
    return HttpResponse(qr.svg(link), content_type="image/svg+xml")


@login_required
@require_GET
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    count, found = results.survey_results(survey)
    return render(
        request, "surveys/staff/results.html", {"survey": survey, "count": count, "results": found}
    )


@login_required
@require_GET
def survey_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = access.get_survey_for_owner_or_404(request.user, pk)
    if fmt not in EXPORTS:
        raise Http404(access.NOT_FOUND)
    content_type, write = EXPORTS[fmt]
    response = HttpResponse(write(survey), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="khao-sat-{survey.pk}.{fmt}"'
    return response
