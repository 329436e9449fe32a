"""Questions API v1 for officials: the questions routed to their agencies, and one endpoint per
decision. Anyone else, including an official of another agency, gets 404 `not_found`; an
official whose role may not take the decision gets 403 `forbidden`."""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router

from opendvc.accounts.models import StaffRole
from opendvc.accounts.tokens import signed_in

from . import access, actions
from . import api_schemas as s
from .models import Question

router = Router(tags=["questions and answers: staff"], auth=signed_in)


def _official_or_404(user) -> None:
    if not StaffRole.objects.filter(user=user, user__is_active=True).exists():
        raise Http404(access.NOT_FOUND)


@router.get("/staff/questions", response={200: s.StaffPageOut, **s.READ})
def staff_questions(request: HttpRequest, params: Query[s.StaffQuery]):
    """The questions of the official's agencies, the oldest deadline first."""
    _official_or_404(request.user)
    now = timezone.now()
    questions = Question.objects.for_official(request.user).select_related(
        "procedure", "agency", "asker"
    )
    if params.state:
        questions = questions.filter(state=params.state)
    if params.procedure:
        questions = questions.filter(procedure__code=params.procedure)
    if params.overdue:
        questions = questions.overdue(now=now)
    items, count = s.page_of(questions.order_by("due_at", "pk"), params)
    return {"items": [s.staff(q, now) for q in items], "count": count, "page": params.page}


def _decide(request: HttpRequest, question_id: int, act: Callable, **data) -> dict:
    question = access.get_question_for_official_or_404(request.user, question_id)
    now = timezone.now()
    act(question=question, by=request.user, now=now, **data)
    return s.staff(question, now)


@router.post(
    "/staff/questions/{int:question_id}/answer", response={200: s.StaffQuestionOut, **s.WRITE}
)
def answer_question(request: HttpRequest, question_id: int, data: s.AnswerIn):
    """Answer (specialists and leaders); `publish` also puts it on the FAQ (leaders)."""
    return _decide(
        request, question_id, actions.answer_question, answer=data.answer, publish=data.publish
    )


@router.post(
    "/staff/questions/{int:question_id}/publish", response={200: s.StaffQuestionOut, **s.WRITE}
)
def publish_question(request: HttpRequest, question_id: int):
    return _decide(request, question_id, actions.publish_question)


@router.post(
    "/staff/questions/{int:question_id}/hide", response={200: s.StaffQuestionOut, **s.WRITE}
)
def hide_question(request: HttpRequest, question_id: int):
    return _decide(request, question_id, actions.hide_question)


@router.post(
    "/staff/questions/{int:question_id}/reject", response={200: s.StaffQuestionOut, **s.WRITE}
)
def reject_question(request: HttpRequest, question_id: int, data: s.RejectIn):
    return _decide(request, question_id, actions.reject_question, reason=data.reason)
