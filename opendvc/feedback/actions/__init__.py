"""Every state change of a PAKN, once; views and the API call these."""

from .errors import FeedbackError, IllegalTransition, InvalidRequest, NotAllowed, RateLimited
from .filing import Sender, check_files, implied_agency, submit_feedback
from .overdue import flag_overdue
from .sender import answer_info_request, rate_answer, reopen_feedback
from .verification import confirm_verification, confirmed, start_verification
from .workflow import (
    accept_feedback,
    approve_answer,
    classify_feedback,
    draft_answer,
    merge_feedback,
    publish_answer,
    reject_feedback,
    request_info,
    reroute_feedback,
)

__all__ = [
    "FeedbackError",
    "IllegalTransition",
    "InvalidRequest",
    "NotAllowed",
    "RateLimited",
    "Sender",
    "accept_feedback",
    "answer_info_request",
    "approve_answer",
    "check_files",
    "classify_feedback",
    "confirm_verification",
    "confirmed",
    "draft_answer",
    "flag_overdue",
    "implied_agency",
    "merge_feedback",
    "publish_answer",
    "rate_answer",
    "reject_feedback",
    "reopen_feedback",
    "request_info",
    "reroute_feedback",
    "start_verification",
    "submit_feedback",
]
