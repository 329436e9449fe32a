"""The account's page of personal access tokens for the API: make one (shown once), revoke one."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import tokens
from .models import ApiToken

SHOWN_ONCE = "accounts_new_api_token"  # the new token, kept only until the page shows it


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Tên gợi nhớ"),
        max_length=tokens.NAME_MAX,
        help_text=gettext_lazy("Ví dụ: phần mềm kế toán, máy chủ tích hợp."),
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """List the account's tokens; POST `name` makes one, POST `revoke` (an id) revokes one."""
    form = TokenForm(request.POST if "name" in request.POST else None)
    if "revoke" in request.POST:
        return _revoke(request, request.POST["revoke"])
    if form.is_valid():
        try:
            _token, raw = tokens.create_token(
                user=request.user, name=form.cleaned_data["name"], now=timezone.now()
            )
        except tokens.TokenError as error:
            form.add_error("name", str(error))
        else:
            request.session[SHOWN_ONCE] = raw
            return redirect("accounts:api_tokens")
    context = {
        "form": form,
        "tokens": ApiToken.objects.filter(user=request.user),
        "new_token": request.session.pop(SHOWN_ONCE, None),
    }
    return render(request, "accounts/citizen/api_tokens.html", context, status=_status(form))


def _revoke(request: HttpRequest, pk: str) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk if pk.isdigit() else 0, user=request.user)
    tokens.revoke_token(token=token, by=request.user, now=timezone.now())
    messages.success(request, _("Đã thu hồi mã truy cập “%(name)s”.") % {"name": token.name})
    return redirect("accounts:api_tokens")


def _status(form: forms.Form) -> int:
    return 400 if form.is_bound and form.errors else 200
