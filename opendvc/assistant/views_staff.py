"""The staff pages for questions (/can-bo/hoi-dap/): the officials of the agency a question is
routed to see it; to anyone else it answers 404. Each change is a POST that redirects."""

from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opendvc.accounts.decorators import official_required

from . import access, actions
from .forms import AnswerForm, RejectForm, StaffFilterForm, WordingForm
from .models import Question

PAGE_SIZE = 25


def _filtered(user, data: dict, now):
    questions = Question.objects.for_official(user).select_related("procedure", "agency")
    if data.get("state"):
        questions = questions.filter(state=data["state"])
    if data.get("procedure"):
        p = data["procedure"].strip()
        questions = questions.filter(
            Q(procedure__code__icontains=p) | Q(procedure__name__icontains=p)
        )
    if data.get("due") == "overdue":
        questions = questions.overdue(now=now)
    elif data.get("due") == "due_soon":
        questions = questions.due_soon(now=now)
    return questions.order_by("due_at", "pk") if data.get("due") else questions


@require_GET
@official_required
def staff_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    form = StaffFilterForm(request.GET)
    form.is_valid()  # invalid filters are named and left out
    page = Paginator(_filtered(request.user, form.cleaned_data, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for question in page:
        question.due = question.due_state(now)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "assistant/staff/list.html", context)


@require_GET
@official_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_for_official_or_404(request.user, pk)
    roles = access.roles_for(request.user, question)
    context = {
        "question": question,
        "due": question.due_state(timezone.now()),
        "can_answer": access.can_answer(roles),
        "can_publish": access.can_publish(roles),
        "answer_form": AnswerForm(initial={"answer": question.answer}),
        "reject_form": RejectForm(),
        "wording_form": WordingForm(
            initial={"public_title": question.shown_title, "public_text": question.shown_text}
        ),
    }
    return render(request, "assistant/staff/detail.html", context)


def _act(request: HttpRequest, pk: int, form_class, act: Callable, done: str) -> HttpResponse:
    """Fetch the question (404 if not the official's), validate the form, run the action and
    go back to the question's page with what happened."""
    question = access.get_question_for_official_or_404(request.user, pk)
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("assistant:staff_detail", pk=pk)
    data = form.cleaned_data if form is not None else {}
    try:
        act(question=question, by=request.user, now=timezone.now(), **data)
    except actions.QuestionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("assistant:staff_detail", pk=pk)


@require_POST
@official_required
def staff_answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, AnswerForm, actions.answer_question, _("Đã lưu câu trả lời."))


@require_POST
@official_required
def staff_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, None, actions.publish_question, _("Đã công khai câu hỏi."))


@require_POST
@official_required
def staff_hide(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, None, actions.hide_question, _("Đã ẩn câu hỏi khỏi trang công khai."))


@require_POST
@official_required
def staff_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, RejectForm, actions.reject_question, _("Đã từ chối câu hỏi."))


def _edit_wording(*, question, by, now, public_title: str, public_text: str):
    return actions.edit_public_wording(
        question=question, by=by, now=now, title=public_title, text=public_text
    )


@require_POST
@official_required
def staff_wording(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, WordingForm, _edit_wording, _("Đã lưu nội dung công khai."))
