"""Protected fetches in the surveys app, and who may do what.

What is not yours answers exactly like what does not exist: Http404. A dossier's rating
belongs to its applicant alone; a survey to the administrators and to the communication
officers of its agency; an agency's satisfaction figures to its leaders and administrators.
"""

from django.db.models import QuerySet
from django.http import Http404

from opendvc.accounts.models import StaffRole
from opendvc.directory.models import Agency
from opendvc.dossiers import access as dossier_access
from opendvc.dossiers.models import Dossier

from .models import Survey

NOT_FOUND = "Không tìm thấy."
Role = StaffRole.Role
REPORT_ROLES = (Role.LEADER, Role.AGENCY_ADMIN)


def get_dossier_for_rating_or_404(user, code: str) -> Dossier:
    """The applicant's own submitted dossier with this code (another citizen's: 404)."""
    return dossier_access.get_dossier_for_citizen_or_404(user, code)


def get_dossier_by_id_for_rating_or_404(user, pk) -> Dossier:
    """The applicant's own submitted dossier by id, as the API addresses it."""
    dossier = dossier_access.get_own_dossier_for_citizen_or_404(user, pk)
    if dossier.is_draft:
        raise Http404(NOT_FOUND)
    return dossier


def _agencies_with(user, roles) -> QuerySet[Agency]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    held = StaffRole.objects.filter(user=user, role__in=roles).values("agency")
    return Agency.objects.filter(pk__in=held)


def survey_agencies(user) -> QuerySet[Agency]:
    """Agencies whose surveys the user builds: all for an administrator, else those where
    they are the communication officer."""
    return _agencies_with(user, [Role.COMMUNICATION_OFFICER])


def can_build_surveys(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or survey_agencies(user).exists()


def surveys_for_owner(user) -> QuerySet[Survey]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Survey.objects.none()
    if user.is_superuser:
        return Survey.objects.all()
    return Survey.objects.filter(agency__in=survey_agencies(user))


def get_survey_for_owner_or_404(user, pk) -> Survey:
    """A survey the user owns (administrator, or communication officer of its agency)."""
    try:
        return surveys_for_owner(user).select_related("agency").get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def get_published_survey_or_404(token: str) -> Survey:
    """A published survey by its link, open or not (a closed one says so); a draft: 404."""
    try:
        return Survey.objects.get(token=token, is_published=True)
    except Survey.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def report_agencies(user) -> QuerySet[Agency]:
    """Agencies whose satisfaction figures the user reads: all for an administrator, else
    those where they are a leader or the agency's administrator."""
    return _agencies_with(user, REPORT_ROLES)
