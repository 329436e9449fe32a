"""Who may see which message. Every protected fetch goes through here and answers the same
404 for "not yours" as for "does not exist", so ids reveal nothing."""

from django.db.models import QuerySet
from django.http import Http404

from .models import Message

NOT_FOUND = "Không tìm thấy tin nhắn."


def get_message_for_recipient_or_404(user, pk: int) -> Message:
    """A message sent to this person."""
    try:
        return Message.objects.get(pk=pk, recipient_id=user.pk)
    except Message.DoesNotExist:
        raise Http404(NOT_FOUND) from None


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
