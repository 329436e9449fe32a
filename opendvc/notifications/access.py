"""Who may see which message. Every protected fetch goes through here and answers the same
404 for "not yours" as for "does not exist", so ids reveal nothing."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from opendvc.accounts.models import StaffRole

from .models import Message

NOT_FOUND = "Không tìm thấy tin nhắn."


def get_message_for_recipient_or_404(user, pk: int) -> Message:
    """A message sent to this person."""
    try:
        return Message.objects.get(pk=pk, recipient_id=user.pk)
    except Message.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def official_agency_ids(user) -> set[int]:
    """The agencies the person holds any staff role in (active accounts only)."""
    return set(
        StaffRole.objects.filter(user=user, user__is_active=True).values_list(
            "agency_id", flat=True
        )
    )


def messages_for_official(user, agency_ids: set[int]) -> QuerySet[Message]:
    """The messages an official may see: those of their agencies; a superuser sees all."""
    if user.is_superuser:
        return Message.objects.all()
    return Message.objects.filter(agency_id__in=agency_ids)


def get_message_for_official_or_404(user, agency_ids: set[int], pk: int) -> Message:
    """One message of the official's agencies (any message for a superuser)."""
    try:
        return messages_for_official(user, agency_ids).get(pk=pk)
    except Message.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def official_required(view):
    """Signed in and holding a staff role (or a superuser). Anonymous users go to sign in;
    anyone else gets the 404 of a page that does not exist, so the staff site stays unseen.
    Sets `request.agency_ids` for the view."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.agency_ids = official_agency_ids(user)
        if not request.agency_ids and not user.is_superuser:
            raise Http404("Không tìm thấy trang.")
        return view(request, *args, **kwargs)

    return wrapper


def superuser_required(view):
    """Administrators of the whole portal only; to everyone else the page does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (user.is_active and user.is_superuser):
            raise Http404("Không tìm thấy trang.")
        return view(request, *args, **kwargs)

    return wrapper
