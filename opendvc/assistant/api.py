"""Questions and answers API v1: the public FAQ and the citizen's own questions; the
officials' list and decisions are in api_staff.py. A question one may not see answers 404
`not_found`, exactly like one that does not exist; domain errors answer 403 `forbidden`,
409 `illegal_state`, 422 `invalid_request` and 429 `too_many_requests` (api_schemas.py)."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Query, Router
from ninja.responses import Status

from opendvc.accounts.tokens import signed_in
from opendvc.api import ErrorOut
from opendvc.catalog.models import Procedure
from opendvc.directory.models import Agency

from . import access, actions, knowledge
from . import api_schemas as s
from .api_chat import router as chat_router
from .api_staff import router as staff_router
from .models import Question

router = Router(tags=["questions and answers"])
router.add_router("", staff_router)
router.add_router("", chat_router)


# Public ------------------------------------------------------------------------------------


@router.get("/faq", response=s.FaqPageOut, summary="Public FAQ: search and list")
def faq_list(request: HttpRequest, params: Query[s.FaqQuery]):
    """Published questions and answers; with `q`, best match first (diacritics optional),
    otherwise newest answer first."""
    questions = Question.objects.published().select_related("procedure", "agency", "field")
    for name, lookup in (("procedure", "procedure__code"), ("field", "field__slug")):
        if getattr(params, name):
            questions = questions.filter(**{lookup: getattr(params, name)})
    if params.agency:
        questions = questions.filter(agency__code=params.agency)
    if params.q.strip():
        questions = knowledge.ranked(knowledge.search_ids(params.q), questions)
    else:
        questions = questions.order_by("-answered_at", "-pk")
    items, count = s.page_of(questions, params)
    return {"items": [s.faq(q) for q in items], "count": count, "page": params.page}


@router.get(
    "/faq/{int:question_id}", response={200: s.FaqOut, 404: ErrorOut}, summary="Public FAQ: one"
)
def faq_detail(request: HttpRequest, question_id: int):
    return s.faq(access.get_published_question_or_404(question_id))


# The asker ---------------------------------------------------------------------------------


@router.post(
    "/questions",
    auth=signed_in,
    response={201: s.OwnQuestionOut, 429: ErrorOut, **s.WRITE},
    summary="Ask a question",
)
def ask_question(request: HttpRequest, data: s.AskIn):
    """Routed to `agency_code`, which must answer for the procedure when one is named."""
    procedure = None
    if data.procedure_code:
        procedure = get_object_or_404(Procedure.objects.public(), code=data.procedure_code)
    agency = get_object_or_404(Agency.objects.active(), code=data.agency_code)
    question = actions.ask_question(
        asker=request.user,
        agency=agency,
        procedure=procedure,
        title=data.title,
        text=data.question,
        now=timezone.now(),
    )
    return Status(201, s.own(question))


@router.get("/questions", auth=signed_in, response={200: list[s.OwnQuestionOut], **s.READ})
def my_questions(request: HttpRequest):
    """The signed-in user's own questions, newest first (at most 200)."""
    questions = Question.objects.filter(asker=request.user).select_related("procedure", "agency")
    return [s.own(q) for q in questions[:200]]


@router.get(
    "/questions/{int:question_id}", auth=signed_in, response={200: s.OwnQuestionOut, **s.READ}
)
def my_question(request: HttpRequest, question_id: int):
    return s.own(access.get_question_for_asker_or_404(request.user, question_id))
