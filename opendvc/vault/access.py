"""Who may read what in the store. The owner reads their own; an official reads a document only
through a submitted dossier of one of their agencies that refers to it, and every such read is
written to the owner's data-use log. Everything else is the same 404 as a missing document."""

from datetime import datetime

from django.contrib.auth import get_user_model
from django.http import Http404

from opendvc.accounts.models import StaffRole
from opendvc.dossiers.models import SignedResult

from . import actions
from .models import StoredDocument, StoredDocumentUse

NOT_FOUND = "Không tìm thấy giấy tờ."


def get_document_for_owner_or_404(user, pk: int) -> StoredDocument:
    document = (
        StoredDocument.objects.select_related("document_type").filter(pk=pk, owner=user).first()
    )
    if document is None or not user.is_active:
        raise Http404(NOT_FOUND)
    return document


def get_document_for_official_or_404(
    user, *, dossier_code: str, document_pk: int, now: datetime
) -> StoredDocument:
    """The document, if a submitted dossier of an agency where the official holds a role refers
    to it; logs the read in the owner's data-use log. 404 in every other case."""
    agencies = StaffRole.objects.filter(user=user, user__is_active=True).values("agency_id")
    use = (
        StoredDocumentUse.objects.select_related("document__document_type", "dossier__agency")
        .filter(
            document_id=document_pk,
            dossier__code=dossier_code,
            dossier__agency_id__in=agencies,
            dossier__submitted_at__isnull=False,
        )
        .first()
    )
    if use is None:
        raise Http404(NOT_FOUND)
    actions.log_official_view(document=use.document, dossier=use.dossier, official=user, now=now)
    return use.document


def results_for(user):
    """The signed electronic results of the person's own dossiers, read live (never copied)."""
    return (
        SignedResult.objects.filter(dossier__applicant=user)
        .select_related("dossier__procedure", "dossier__agency")
        .order_by("-signed_at", "-pk")
    )


def get_result_for_owner_or_404(user, pk: int) -> SignedResult:
    result = results_for(user).filter(pk=pk).first()
    if result is None:
        raise Http404(NOT_FOUND)
    return result


def find_person(login: str):
    """The citizen or organisation account with this phone number or e-mail, or None: the desk
    searches by exact value only, never by name, so it cannot browse the accounts."""
    login = (login or "").strip()
    if not login:
        return None
    users = get_user_model().objects.filter(is_active=True).exclude(kind="OFFICIAL")
    found = users.filter(email=login.lower()) if "@" in login else users.filter(phone=login)
    return found.first()
