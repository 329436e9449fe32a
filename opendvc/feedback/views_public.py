"""The public pages of published answers: list with search and filters, and one answer."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import access
from .answers import published_answers
from .forms import PublicFilterForm

PER_PAGE = 20


def answers(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    found = published_answers(
        q=data.get("q", ""), agency=data.get("agency"), procedure_code=data.get("thu_tuc", "")
    )
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "feedback/public/answers.html", context)


def answer(request: HttpRequest, code: str) -> HttpResponse:
    feedback = access.get_published_or_404(code)
    return render(request, "feedback/public/answer.html", {"feedback": feedback})
