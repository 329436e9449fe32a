"""Every change of a dossier's state, once. Views, the API and jobs call these directly.

Each action takes keyword-only arguments (including `now`), locks the dossier row, checks who
acts and from which status against the workflow graph (workflow.py), writes the status
history and the audit entry in the same transaction, and raises a DossierError subclass
(IllegalTransition, NotAllowed, InvalidRequest) with a message fit to show the user.
"""

from .attachments import attach_file, remove_file
from .clock import issue_apology, request_supplement, resubmit_supplement
from .counter import discard_counter_draft, record_counter_components, register_counter_dossier
from .drafts import save_draft_form
from .errors import DossierError, IllegalTransition, InvalidRequest, NotAllowed
from .filing import Submission, create_draft, submit_dossier
from .payment import record_online_payment
from .processing import (
    accept_dossier,
    confirm_payment,
    finish_dossier,
    forward_for_processing,
    refuse_dossier,
    request_financial_obligation,
    return_result,
    stop_processing,
    withdraw_dossier,
)
from .results import issue_signed_result
from .steps import (
    check_ready_to_decide,
    complete_step,
    current_step,
    return_step,
    save_processing_steps,
)

__all__ = [
    "discard_counter_draft",
    "issue_signed_result",
    "record_counter_components",
    "record_online_payment",
    "register_counter_dossier",
    "DossierError",
    "IllegalTransition",
    "InvalidRequest",
    "NotAllowed",
    "Submission",
    "accept_dossier",
    "attach_file",
    "check_ready_to_decide",
    "complete_step",
    "confirm_payment",
    "create_draft",
    "current_step",
    "finish_dossier",
    "forward_for_processing",
    "issue_apology",
    "refuse_dossier",
    "request_financial_obligation",
    "remove_file",
    "request_supplement",
    "resubmit_supplement",
    "return_result",
    "return_step",
    "save_processing_steps",
    "save_draft_form",
    "stop_processing",
    "submit_dossier",
    "withdraw_dossier",
]
