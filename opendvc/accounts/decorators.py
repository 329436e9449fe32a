"""Who may open a staff page: the guards every app's staff views share.

Anonymous visitors are sent to sign in; anyone signed in without the right gets the same 404
as a page that does not exist, so the staff site stays unseen (DESIGN: a denied object answers
exactly like a missing one).
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest

from .models import StaffRole

NOT_FOUND = "Không tìm thấy trang."


def official_required(view=None, *, or_superuser: bool = False):
    """Signed in and holding at least one staff role (or, with `or_superuser`, a superuser).
    Sets `request.staff_roles` (role names, read by templates to offer actions) and
    `request.agency_ids` (the agencies of those roles)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            held = list(
                StaffRole.objects.filter(user=user, user__is_active=True).values_list(
                    "role", "agency_id"
                )
            )
            if not held and not (or_superuser and user.is_active and user.is_superuser):
                raise Http404(NOT_FOUND)
            request.staff_roles = {role for role, _ in held}
            request.agency_ids = {agency for _, agency in held}
            return view(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def superuser_required(view):
    """The portal's administrators only."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_superuser):
            raise Http404(NOT_FOUND)
        return view(request, *args, **kwargs)

    return wrapper
