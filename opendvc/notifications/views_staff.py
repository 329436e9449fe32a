"""The staff pages of the outbox: the messages of an official's agencies (/can-bo/tin-nhan/)
with their attempts and delivery reports, and the administrators' volumes and failures.
To anyone without access they answer 404, so the pages do not reveal themselves."""

from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from opendvc.accounts.decorators import official_required, superuser_required
from opendvc.core.paging import page_links

from . import access, labels, reports
from .forms_staff import MessageFilterForm, PeriodForm
from .models import Message

PAGE_SIZE = 25


def filtered_messages(messages: QuerySet[Message], data: dict) -> QuerySet[Message]:
    """Narrow by the person (address, name or account), the dossier code, state and channel."""
    if data.get("q"):
        q = data["q"]
        messages = messages.filter(
            Q(to__icontains=q)
            | Q(recipient__full_name__icontains=q)
            | Q(recipient__email__icontains=q)
            | Q(recipient__phone__icontains=q)
        )
    if data.get("code"):
        messages = messages.filter(reference__icontains=data["code"].strip())
    if data.get("state"):
        messages = messages.filter(state=data["state"])
    if data.get("channel"):
        messages = messages.filter(channel=data["channel"])
    return messages


def _valid(form) -> dict:
    form.is_valid()  # invalid filters are named on the page and left out
    return {k: v for k, v in form.cleaned_data.items() if k not in form.errors}


@require_GET
@official_required(or_superuser=True)
def message_list(request: HttpRequest) -> HttpResponse:
    form = MessageFilterForm(request.GET)
    visible = access.messages_for_official(request.user, request.agency_ids)
    rows = filtered_messages(visible, _valid(form)).select_related("recipient", "agency")
    page = Paginator(rows.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = labels.labelled(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "links": page_links(page.number, page.paginator.num_pages),
        "query": query.urlencode(),
    }
    return render(request, "notifications/staff/messages.html", context)


@require_GET
@official_required(or_superuser=True)
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = access.get_message_for_official_or_404(request.user, request.agency_ids, pk)
    context = {
        "message": labels.labelled([message])[0],
        "reports": message.reports.all(),
        "chain": reports.fallback_chain(message),
    }
    return render(request, "notifications/staff/message.html", context)


@require_GET
@superuser_required
def volumes(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    since, until = form.period(timezone.localdate())
    messages = reports.in_period(since, until)
    context = {
        "form": form,
        "since": since,
        "until": until,
        "channels": reports.per_channel(messages),
        "days": reports.per_day(messages, since, until),
        "failures": reports.latest_failures(messages),
        "states": labels.STATES,
    }
    return render(request, "notifications/staff/volumes.html", context)
