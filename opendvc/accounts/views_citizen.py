"""Sign-up, sign-in, sign-out, profile and password pages of the citizen site."""

import hashlib

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opendvc.core.http import client_ip

from . import actions
from .forms import SignInForm, SignUpForm

MAX_FAILED_SIGN_INS = 5
LOCKOUT_SECONDS = 15 * 60


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = actions.sign_up_citizen(
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                password=data["password1"],
                kind=data["kind"],
                now=timezone.now(),
            )
        except actions.IdentifierTaken as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="opendvc.accounts.backends.PhoneOrEmailBackend")
            messages.success(request, _("Đăng ký tài khoản thành công."))
            return redirect("accounts:profile")
    return render(
        request, "accounts/citizen/signup.html", {"form": form}, status=400 if form.errors else 200
    )


class SignInView(auth_views.LoginView):
    """Django's sign-in, with a per-login lockout after repeated failures and audit entries."""

    template_name = "accounts/citizen/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def _lock_key(self) -> str:
        identifier = self.request.POST.get("username", "").strip().lower()
        digest = hashlib.sha256(identifier.encode()).hexdigest()[:32]
        return f"accounts:failed-sign-in:{digest}"

    def post(self, request, *args, **kwargs):
        if (cache.get(self._lock_key()) or 0) >= MAX_FAILED_SIGN_INS:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        cache.delete(self._lock_key())
        response = super().form_valid(form)
        actions.record_sign_in(user=form.get_user(), ip=client_ip(self.request), now=timezone.now())
        return response

    def form_invalid(self, form):
        key = self._lock_key()
        cache.add(key, 0, LOCKOUT_SECONDS)
        cache.incr(key)
        actions.record_failed_sign_in(
            identifier=self.request.POST.get("username", ""),
            ip=client_ip(self.request),
            now=timezone.now(),
        )
        return self.render_to_response(self.get_context_data(form=form), status=400)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        actions.record_sign_out(user=request.user, now=timezone.now())
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect("catalog:home")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    roles = request.user.roles.select_related("agency").order_by("agency__name", "role")
    return render(request, "accounts/citizen/profile.html", {"roles": roles})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/citizen/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.record_password_changed(user=self.request.user, how="change", now=timezone.now())
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/citizen/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        actions.record_password_changed(user=form.user, how="reset", now=timezone.now())
        return response
