"""The steps panel of a dossier's staff page: its steps with their state, and whether the
signed-in official holds the current step's role (to offer "Hoàn thành bước" and "Trả lại")."""

from dataclasses import dataclass

from django import template
from django.utils import timezone

from .. import workflow
from ..actions.steps import STEP_ROLES
from ..forms_steps import CompleteStepForm, ReturnStepForm
from ..models import Dossier, DossierStep, Status
from ..views_steps import step_due_state

register = template.Library()


@dataclass
class StepsPanel:
    steps: list[DossierStep]
    current: DossierStep | None
    can_complete: bool  # the holder of the current step's role, and it is not the last
    can_return: bool  # the holder of the current step's role, and a step comes before
    is_final_current: bool  # the leader's approval is under way: "Hoàn thành xử lý" decides
    complete_form: CompleteStepForm
    return_form: ReturnStepForm


def _state(step: DossierStep, current: DossierStep | None, dossier: Dossier) -> str:
    if step.completed_at is not None:
        return "done"
    if step is not current:
        return "waiting"
    # Waiting for the applicant, or stopped: the step is where processing stands, not under way.
    return "current" if dossier.status == Status.PROCESSING else "halted"


@register.simple_tag
def dossier_steps(dossier: Dossier, user) -> StepsPanel:
    """The panel's data: two queries (the steps, the user's roles), none per step."""
    steps = list(dossier.steps.select_related("completed_by").order_by("position"))
    current = next((s for s in steps if s.completed_at is None), None)
    now = timezone.now()
    for step in steps:
        step.state = _state(step, current, dossier)
        step.due_state = step_due_state(step.due_at, now) if step.state == "current" else None
    holds = False
    if current is not None and dossier.status == Status.PROCESSING:
        roles = workflow.roles_of(user, dossier) & STEP_ROLES
        holds = current.role in roles
    is_last = current is not None and current is steps[-1]
    return StepsPanel(
        steps=steps,
        current=current,
        can_complete=holds and not is_last,
        can_return=holds and current is not steps[0],
        is_final_current=is_last and dossier.status == Status.PROCESSING,
        complete_form=CompleteStepForm(prefix="complete"),
        return_form=ReturnStepForm(prefix="return"),
    )
