"""Who may see and act on a question. Every fetch answers the same 404 for "not yours" and
"does not exist", so a question's existence is never revealed to someone who may not see it."""

from django.db.models import Q
from django.http import Http404

from opendvc.accounts.models import StaffRole
from opendvc.catalog.models import Procedure
from opendvc.directory.models import Agency

from .models import Question

NOT_FOUND = "Không tìm thấy câu hỏi."
Role = StaffRole.Role
# Answering is the specialists' and leaders' work; what the public reads is the leaders',
# the agency administrators' and the communication officers' decision.
ANSWERERS = frozenset({Role.SPECIALIST, Role.LEADER})
PUBLISHERS = frozenset({Role.LEADER, Role.AGENCY_ADMIN, Role.COMMUNICATION_OFFICER})


def get_question_for_asker_or_404(user, pk: int) -> Question:
    """The signed-in user's own question."""
    if not getattr(user, "is_authenticated", False):
        raise Http404(NOT_FOUND)
    try:
        return Question.objects.select_related("procedure", "agency", "field").get(
            pk=pk, asker=user
        )
    except Question.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def get_question_for_official_or_404(user, pk: int) -> Question:
    """A question routed to one of the official's agencies."""
    try:
        return (
            Question.objects.for_official(user)
            .select_related("procedure", "agency", "field", "asker", "answered_by")
            .get(pk=pk)
        )
    except Question.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def get_published_question_or_404(pk: int) -> Question:
    """A question anyone may read: published, whoever asks."""
    try:
        return (
            Question.objects.published().select_related("procedure", "agency", "field").get(pk=pk)
        )
    except Question.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def roles_for(user, question: Question) -> set[str]:
    return set(
        StaffRole.objects.filter(
            user=user, user__is_active=True, agency_id=question.agency_id
        ).values_list("role", flat=True)
    )


def can_answer(roles: set[str]) -> bool:
    return bool(roles & ANSWERERS)


def can_publish(roles: set[str]) -> bool:
    return bool(roles & PUBLISHERS)


def agencies_for_procedure(procedure: Procedure | None):
    """Where a question may be routed: the procedure's implementing agencies and the concrete
    agencies standing for them; without a procedure (or when none of those has officials to
    answer), any active agency with officials."""
    staffed = Agency.objects.active().filter(staff_roles__isnull=False)
    if procedure is not None:
        generic = procedure.implementing_agencies.all()
        implementing = staffed.filter(
            Q(pk__in=generic) | Q(generic__in=generic) | Q(stands_for__in=generic)
        )
        if implementing.exists():
            return Agency.objects.filter(pk__in=implementing).order_by("name")
    return Agency.objects.filter(pk__in=staffed).order_by("name")
