"""The assistant's page (/tro-ly-ao/): the conversation so far and the question form, which
works as a plain form round-trip (POST, redirect, the answer in the page); the widget posts
here too. The conversation is found through the session, never through the URL. Also the
administrators' list of questions it could not answer."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from opendvc.core import ratelimit
from opendvc.core.http import client_ip

from . import chat
from .forms_chat import ChatForm
from .models import UnansweredQuestion

SESSION_KEY = "assistant_conversation"
ASKS_PER_MINUTE = 20


@require_safe
def chat_page(request: HttpRequest) -> HttpResponse:
    turns = chat.turns(request.session.get(SESSION_KEY))
    return render(request, "assistant/chat.html", {"turns": turns, "form": ChatForm()})


@require_POST
def chat_ask(request: HttpRequest) -> HttpResponse:
    form = ChatForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy nhập câu hỏi (tối đa 500 ký tự)."))
    elif not ratelimit.hit(
        "assistant-ask", client_ip(request) or "?", limit=ASKS_PER_MINUTE, window=60
    ):
        messages.error(request, _("Bạn hỏi quá nhanh, vui lòng thử lại sau ít phút."))
    else:
        _reply, conversation = chat.ask(
            question=form.cleaned_data["question"],
            conversation_id=request.session.get(SESSION_KEY),
            now=timezone.now(),
        )
        request.session[SESSION_KEY] = str(conversation.pk)
    return redirect(reverse("assistant:chat") + "#cuoi")


@require_POST
def chat_new(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("assistant:chat")


@require_safe
def unanswered(request: HttpRequest) -> HttpResponse:
    # Only the system's administrators improve the catalog and the help base from this list.
    if not request.user.is_superuser:
        raise Http404
    rows = UnansweredQuestion.objects.all()[:500]
    return render(request, "assistant/chat_unanswered.html", {"rows": rows})
