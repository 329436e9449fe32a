"""The page of a person's own details (thông tin cá nhân), which pre-fill their e-forms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import actions_profile
from .forms_profile import ADDRESSES, ProfileForm, initial_for
from .models import Profile


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def profile_data(request: HttpRequest) -> HttpResponse:
    profile = Profile.objects.with_places().filter(user=request.user).first()
    form = ProfileForm(request.POST or None, initial=initial_for(profile))
    if form.is_valid():
        data = form.cleaned_data
        actions_profile.update_profile(
            user=request.user,
            birth_date=data["birth_date"],
            gender=data["gender"],
            id_number=data["id_number"],
            addresses={kind: data[kind] for kind in ADDRESSES},
            now=timezone.now(),
        )
        messages.success(request, _("Đã lưu thông tin cá nhân."))
        return redirect("accounts:profile_data")
    context = {"form": form, "profile": profile}
    return render(
        request, "accounts/citizen/profile_data.html", context, status=400 if form.errors else 200
    )
