"""Filing a complete dossier in one request: what national-portal integrations and API clients
send when they already hold everything. The same actions as the step-by-step flow
(create_draft, save_draft_form, attach_file, submit_dossier), run in one transaction by
actions.filing.file_dossier; the same checks, the same error bodies, the same idempotency.

Registered on the applicant's router (api_citizen.router)."""

import json

from django.db import IntegrityError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field
from ninja.responses import Status

from opendvc.api import error_body

from . import access
from . import api_schemas as s
from .actions import IllegalTransition
from .actions.filing import file_dossier
from .api_citizen import IDEMPOTENCY, WRITE, _form_errors, _invalid, draft_target, router
from .forms_citizen import eform_for
from .models import Dossier, SubmissionKey

FIELDS = ("procedure", "case", "agency")
PART = "component_"


class FiledDossierOut(s.DossierSummaryOut):
    case_id: int
    components: list[s.DossierComponentOut]
    secret: str | None = Field(
        description="The tracking secret, in the first answer only; null on a replay."
    )


FILING_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["procedure", "form"],
                "properties": {
                    "procedure": {"type": "string", "description": "Mã TTHC, e.g. 1.001193."},
                    "case": {
                        "type": "integer",
                        "description": "The case's id; needed when the procedure has several.",
                    },
                    "agency": {
                        "type": "string",
                        "description": "The receiving agency's code; needed when several "
                        "agencies receive the procedure.",
                    },
                    "form": {
                        "type": "string",
                        "description": "The e-form's answers: a JSON object, as PATCH …/form "
                        "takes it.",
                    },
                },
                "additionalProperties": {
                    "type": "string",
                    "format": "binary",
                    "description": "component_<id>: a file for the case's document of that "
                    "id (one part per file; a document may have several).",
                },
            }
        }
    },
}


@router.post(
    "/dossiers/filings",
    response={200: FiledDossierOut, 201: FiledDossierOut, **WRITE},
    summary="File a complete dossier in one request",
    description=(
        "Multipart: `procedure`, `case`, `agency` (as `procedure_code`, `case_id` and "
        "`agency_code` of `POST /dossiers`; `case` and `agency` may be left out when there is "
        "only one), `form` (the e-form's answers as a JSON object) and one `component_<id>` "
        "part per file, `<id>` the case's document. Needs an `Idempotency-Key` header. Starts "
        "the draft, saves the answers, attaches the files and submits, in one transaction, "
        "with the checks of the step-by-step endpoints: 201 with the dossier, its `code` and "
        "its tracking `secret`. Any failure saves nothing and answers as the failing step "
        "does: 422 `invalid_input` (a field), `invalid_form` (the answers, `details` per "
        "field), `invalid_request` (a refused file, a missing required document), 403 "
        "`forbidden` for an official's account. The same key again (same account) files "
        "nothing: 200 with the dossier it filed and `secret: null`; 409 "
        "`idempotency_key_reused` when that dossier is of another procedure or case."
    ),
    openapi_extra={"requestBody": FILING_BODY},
)
def file_in_one_request(request: HttpRequest, key: str = IDEMPOTENCY):
    replay = _replay(request, key)
    if replay is not None:
        return replay
    fields = request.POST
    target = draft_target(
        request.user,
        fields.get("procedure", ""),
        _number(fields.get("case")),
        fields.get("agency") or None,
        names=FIELDS,
    )
    if isinstance(target, Status):
        return target
    case, agency = target
    answers = _answers(fields.get("form"))
    if answers is None:
        return _invalid("form", "Tờ khai phải là một đối tượng JSON.")
    form = eform_for(Dossier(procedure=case.procedure, case=case), request.user, answers)
    if not form.is_valid():
        return _form_errors([f for f in form.errors_found() if f.is_blocking])
    files = _files(request)
    if isinstance(files, Status):
        return files
    try:
        done = file_dossier(
            by=request.user,
            case=case,
            agency=agency,
            now=timezone.now(),
            form_data=form.json_data(),
            files=files,
            idempotency_key=key,
        )
    except (IllegalTransition, IntegrityError):
        # A concurrent request with the same key may have won: answer as its replay.
        replay = _replay(request, key)
        if replay is None:
            raise
        return replay
    done.dossier.procedure = case.procedure  # read above; the action's reload dropped it
    return Status(201, _filed(done.dossier, done.secret))


def _number(raw) -> int | None:
    """The case's id; None when not given, and no case's (-1) when not a number."""
    if raw in (None, ""):
        return None
    return int(raw) if raw.strip().isdigit() else -1


def _answers(raw) -> dict | None:
    try:
        answers = json.loads(raw) if raw else {}
    except ValueError:
        return None
    if not isinstance(answers, dict):
        return None
    return {name: value for name, value in answers.items() if value is not None}


def _files(request: HttpRequest):
    """(document id, file) for each `component_<id>` part; 422 naming a part otherwise."""
    files = []
    for part in request.FILES:
        document = part.removeprefix(PART)
        if not part.startswith(PART) or not document.isdigit():
            return _invalid(part, "Tệp phải gửi trong trường component_<mã giấy tờ>.")
        files += [(int(document), uploaded) for uploaded in request.FILES.getlist(part)]
    return files


def _replay(request: HttpRequest, key: str):
    used = SubmissionKey.objects.filter(user=request.user, key=key).first()
    if used is None:
        return None
    dossier = access.get_own_dossier_for_citizen_or_404(request.user, used.dossier_id)
    fields = request.POST
    same_case = str(fields.get("case") or dossier.case_id) == str(dossier.case_id)
    if fields.get("procedure", "").strip() != dossier.procedure.code or not same_case:
        message = "Khóa Idempotency-Key này đã được dùng để nộp một hồ sơ khác."
        return Status(409, error_body("idempotency_key_reused", message))
    return Status(200, _filed(dossier, None))


def _filed(dossier: Dossier, secret: str | None) -> dict:
    components = dossier.components.prefetch_related("files")
    return {
        **s.summary(dossier),
        "case_id": dossier.case_id,
        "components": [s.component_view(component) for component in components],
        "secret": secret,
    }
