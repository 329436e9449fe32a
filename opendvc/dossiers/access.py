"""Protected fetches of dossiers, and what a user may do with one.

A dossier that is not yours answers exactly like one that does not exist: Http404.
"""

from django.http import Http404

from opendvc.accounts.models import StaffRole
from opendvc.directory.models import Agency

from . import workflow
from .actions.steps import ready_to_decide
from .models import Dossier

NOT_FOUND = "Không tìm thấy hồ sơ."


def get_dossier_for_citizen_or_404(user, code: str) -> Dossier:
    """The applicant's own submitted dossier with this code."""
    try:
        return (
            Dossier.objects.for_citizen(user).select_related("procedure", "agency").get(code=code)
        )
    except Dossier.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def get_draft_for_citizen_or_404(user, pk: int) -> Dossier:
    """The applicant's own draft (drafts have no code yet)."""
    try:
        return Dossier.objects.for_citizen(user).get(pk=pk, status=Dossier.Status.DRAFT)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def get_own_dossier_for_citizen_or_404(user, pk) -> Dossier:
    """The applicant's own dossier by id, a draft or submitted (the API addresses both so)."""
    try:
        return Dossier.objects.for_citizen(user).select_related("procedure", "agency").get(pk=pk)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def get_dossier_for_official_or_404(user, code: str) -> Dossier:
    """A submitted dossier of an agency where the official holds a role."""
    if not getattr(user, "is_official", False):
        raise Http404(NOT_FOUND)
    try:
        return (
            Dossier.objects.for_official(user)
            .select_related("procedure", "case", "agency")
            .get(code=code)
        )
    except Dossier.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def desk_agencies(user):
    """Active agencies where the user is a one-stop desk officer."""
    roles = StaffRole.objects.filter(user=user, role=StaffRole.Role.DESK_OFFICER)
    return Agency.objects.active().filter(pk__in=roles.values("agency")).order_by("name")


def open_counter_drafts(user):
    """Counter and postal drafts of the agencies where the user is at the desk."""
    return Dossier.objects.filter(
        status=Dossier.Status.DRAFT,
        applicant__isnull=True,
        channel__in=(Dossier.Channel.COUNTER, Dossier.Channel.POSTAL),
        agency__in=desk_agencies(user),
    ).select_related("procedure", "agency")


def get_counter_draft_for_desk_or_404(user, pk: int) -> Dossier:
    """A counter or postal draft of an agency where the user is at the desk."""
    try:
        return open_counter_drafts(user).select_related("case").get(pk=pk)
    except (Dossier.DoesNotExist, ValueError, TypeError):
        raise Http404(NOT_FOUND) from None


def can_view_dossier(user, dossier: Dossier) -> bool:
    roles = workflow.roles_of(user, dossier)
    if dossier.is_draft:
        return workflow.APPLICANT in roles
    return bool(roles)


def can_act(user, dossier: Dossier, action: str) -> bool:
    """Whether `user` may take `action` (a workflow action name, or "apology") now."""
    return workflow.allows(action, dossier.status) and workflow.may_act(user, dossier, action)


def available_actions(user, dossier: Dossier) -> list[str]:
    """The actions to offer this user on this dossier now, in workflow order. The decision
    ("finish") waits until the leader's approval is the dossier's current step."""
    roles = workflow.roles_of(user, dossier)
    offered = [
        action
        for action in (*workflow.ACTIONS, "apology")
        if workflow.allows(action, dossier.status)
        and workflow.may_act(user, dossier, action, roles=roles)
    ]
    if "finish" in offered and not ready_to_decide(dossier):
        offered.remove("finish")
    return offered


def can_withdraw_dossier(user, dossier: Dossier) -> bool:
    return can_act(user, dossier, "withdraw")


def can_resubmit_supplement(user, dossier: Dossier) -> bool:
    return can_act(user, dossier, "resubmit")


def can_accept_dossier(user, dossier: Dossier) -> bool:
    return can_act(user, dossier, "accept")


def can_finish_dossier(user, dossier: Dossier) -> bool:
    return can_act(user, dossier, "finish")
