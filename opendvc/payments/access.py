"""Protected fetches of payments, and who may act on them.

A payment (or dossier) that is not yours answers exactly like one that does not exist: Http404.
"""

from django.db.models import QuerySet
from django.http import Http404

from opendvc.accounts.models import StaffRole
from opendvc.directory.models import Agency
from opendvc.dossiers import access as dossier_access
from opendvc.dossiers.models import Dossier

from .models import Payment

NOT_FOUND = "Không tìm thấy thông tin thanh toán."
Role = StaffRole.Role
# Who may refund a payment of their agency.
REFUNDERS = frozenset({Role.LEADER, Role.AGENCY_ADMIN})


def get_dossier_for_payer_or_404(user, code: str) -> Dossier:
    """The applicant's own submitted dossier with this code (the only one they may pay)."""
    dossier = dossier_access.get_dossier_for_citizen_or_404(user, code)
    if dossier.is_draft:
        raise Http404(dossier_access.NOT_FOUND)
    return dossier


def get_payment_for_citizen_or_404(user, pk, *, code: str | None = None) -> Payment:
    """A payment of the applicant's own dossier (of the dossier `code`, when given)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404(NOT_FOUND)
    payments = Payment.objects.filter(dossier__applicant=user).select_related("dossier", "agency")
    if code is not None:
        payments = payments.filter(dossier__code=code)
    try:
        return payments.get(pk=pk)
    except (Payment.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def agency_ids_of(user) -> list[int]:
    """The agencies where the official holds a role."""
    roles = StaffRole.objects.filter(user=user, user__is_active=True)
    return sorted(set(roles.values_list("agency_id", flat=True)))


def payments_for_official(user) -> QuerySet[Payment]:
    return Payment.objects.filter(agency_id__in=agency_ids_of(user))


def get_payment_for_official_or_404(user, payment_id: int) -> Payment:
    """A payment of an agency where the official holds a role."""
    payment = (
        payments_for_official(user)
        .select_related("dossier__procedure", "agency", "payer", "refunded_by")
        .filter(pk=payment_id)
        .first()
    )
    if payment is None:
        raise Http404(NOT_FOUND)
    return payment


def roles_in(user, agency_id: int) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    return set(
        StaffRole.objects.filter(user=user, agency_id=agency_id).values_list("role", flat=True)
    )


def can_refund(user, payment: Payment) -> bool:
    return bool(REFUNDERS & roles_in(user, payment.agency_id))


def admin_agencies(user):
    """The agencies where the user is the agency administrator (they set its fee amounts)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    ids = StaffRole.objects.filter(user=user, role=Role.AGENCY_ADMIN).values_list(
        "agency_id", flat=True
    )
    return Agency.objects.filter(pk__in=list(ids)).order_by("name")


def get_admin_agency_or_404(user, pk) -> Agency:
    """An agency the user administers."""
    try:
        return admin_agencies(user).get(pk=pk)
    except (Agency.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None
