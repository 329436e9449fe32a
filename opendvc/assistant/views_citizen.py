"""The public FAQ (/hoi-dap/) and the citizen's own questions. Public pages show a question's
public wording, its answer, the answering agency and date, and the asker's initials at most:
never a name, an e-mail or a phone number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from opendvc.catalog.models import Field, Procedure

from . import access, actions, knowledge
from .forms import AskForm, FaqFilterForm
from .models import Question

PAGE_SIZE = 20
PROCEDURE_PARAM = "thu-tuc"


def _published(data: dict, *, field: Field | None = None):
    """Published questions for the FAQ list, searched (best first) or newest answered first."""
    questions = Question.objects.published().select_related("procedure", "agency", "field")
    field = field or data.get("field")
    if field:
        questions = questions.filter(field=field)
    if data.get("agency"):
        questions = questions.filter(agency=data["agency"])
    if data.get("q"):
        return knowledge.ranked(knowledge.search_ids(data["q"]), questions)
    return questions.order_by("-answered_at", "-pk")


def _faq_page(request: HttpRequest, context: dict, field: Field | None = None) -> HttpResponse:
    form = FaqFilterForm(request.GET)
    form.is_valid()  # an unknown field or agency is named by the form and left out
    page = Paginator(_published(form.cleaned_data, field=field), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context |= {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "assistant/citizen/faq_list.html", context)


@require_safe
def faq_list(request: HttpRequest) -> HttpResponse:
    return _faq_page(request, {})


@require_safe
def faq_field(request: HttpRequest, slug: str) -> HttpResponse:
    field = get_object_or_404(Field, slug=slug)
    return _faq_page(request, {"field": field}, field=field)


@require_safe
def faq_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_published_question_or_404(pk)
    actions.count_view(question)
    return render(request, "assistant/citizen/faq_detail.html", {"question": question})


def _procedure_asked_about(request: HttpRequest) -> Procedure | None:
    code = request.GET.get(PROCEDURE_PARAM, "").strip()
    if not code:
        return None
    procedure = Procedure.objects.public().filter(code=code).first()
    if procedure is None:
        raise Http404(_("Không tìm thấy thủ tục."))
    return procedure


@login_required
@require_http_methods(["GET", "POST"])
def ask(request: HttpRequest) -> HttpResponse:
    procedure = _procedure_asked_about(request)
    form = AskForm(request.POST or None, procedure=procedure)
    if request.method == "POST" and form.is_valid():
        try:
            question = actions.ask_question(
                asker=request.user, procedure=procedure, now=timezone.now(), **form.cleaned_data
            )
        except actions.QuestionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Câu hỏi của bạn đã được gửi đến cơ quan trả lời."))
            return redirect("assistant:mine_detail", pk=question.pk)
    context = {"form": form, "procedure": procedure}
    return render(request, "assistant/citizen/ask.html", context)


@login_required
@require_safe
def mine(request: HttpRequest) -> HttpResponse:
    questions = Question.objects.filter(asker=request.user).select_related("procedure", "agency")
    page = Paginator(questions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assistant/citizen/mine.html", {"page": page, "query": ""})


@login_required
@require_safe
def mine_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = access.get_question_for_asker_or_404(request.user, pk)
    return render(request, "assistant/citizen/mine_detail.html", {"question": question})
