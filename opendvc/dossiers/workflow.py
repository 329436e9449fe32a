"""The dossier workflow as data: which action moves a dossier from which status to which, and who
may take it. actions.py enforces it; access.py answers "may this user do this?" from it; tests
walk it.
"""

from opendvc.accounts.models import StaffRole

from .models import Dossier, Status

Role = StaffRole.Role

# action -> {from status: to status}. Resubmission goes back to where the request came from
# (2 or 4), so its targets are read from the open supplement request.
TRANSITIONS: dict[str, dict[int, frozenset[int]]] = {
    "submit": {Status.DRAFT: frozenset({Status.NEW})},
    "accept": {Status.NEW: frozenset({Status.RECEIVED})},
    "refuse": {Status.NEW: frozenset({Status.REFUSED})},
    "forward": {Status.RECEIVED: frozenset({Status.PROCESSING})},
    "request_supplement": {
        Status.RECEIVED: frozenset({Status.SUPPLEMENT}),
        Status.PROCESSING: frozenset({Status.SUPPLEMENT}),
    },
    "resubmit": {Status.SUPPLEMENT: frozenset({Status.RECEIVED, Status.PROCESSING})},
    "request_payment": {Status.PROCESSING: frozenset({Status.FINANCIAL_OBLIGATION})},
    "confirm_payment": {Status.FINANCIAL_OBLIGATION: frozenset({Status.PROCESSING})},
    "withdraw": {
        Status.NEW: frozenset({Status.WITHDRAWN}),
        Status.RECEIVED: frozenset({Status.WITHDRAWN}),
        Status.SUPPLEMENT: frozenset({Status.WITHDRAWN}),
    },
    "stop": {Status.PROCESSING: frozenset({Status.STOPPED})},
    "finish": {Status.PROCESSING: frozenset({Status.FINISHED})},
    "return_result": {Status.FINISHED: frozenset({Status.RETURNED})},
}

# The apology letter changes the due moment, not the status: only while the clock runs.
APOLOGY_STATUSES = frozenset({Status.RECEIVED, Status.PROCESSING, Status.FINANCIAL_OBLIGATION})

APPLICANT = "APPLICANT"

# action -> who may take it: staff roles in the dossier's agency, and/or APPLICANT (the
# dossier's own account holder). Where the applicant has no account (a counter dossier), the
# desk acts for them.
ACTORS: dict[str, frozenset[str]] = {
    "submit": frozenset({APPLICANT}),
    "accept": frozenset({Role.DESK_OFFICER}),
    "refuse": frozenset({Role.DESK_OFFICER}),
    "forward": frozenset({Role.DESK_OFFICER}),
    "request_supplement": frozenset({Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER}),
    "resubmit": frozenset({APPLICANT}),
    "request_payment": frozenset({Role.SPECIALIST, Role.LEADER}),
    "confirm_payment": frozenset({Role.DESK_OFFICER, Role.SPECIALIST, Role.LEADER}),
    "withdraw": frozenset({APPLICANT}),
    "stop": frozenset({Role.LEADER}),
    "finish": frozenset({Role.LEADER}),
    "return_result": frozenset({Role.DESK_OFFICER}),
    "apology": frozenset({Role.LEADER}),
}

ACTIONS = tuple(TRANSITIONS)


def allows(action: str, status: int) -> bool:
    """Whether `action` may start from `status` (the graph alone, not who acts)."""
    if action == "apology":
        return status in APOLOGY_STATUSES
    return status in TRANSITIONS[action]


def roles_of(user, dossier: Dossier) -> set[str]:
    """The user's staff roles in the dossier's agency, plus APPLICANT if it is theirs."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles = set(
        StaffRole.objects.filter(user=user, agency_id=dossier.agency_id).values_list(
            "role", flat=True
        )
    )
    if dossier.applicant_id is not None and dossier.applicant_id == user.pk:
        roles.add(APPLICANT)
    return roles


def may_act(user, dossier: Dossier, action: str, *, roles: set[str] | None = None) -> bool:
    """Whether `user` holds a role that may take `action` on this dossier, whatever its status."""
    allowed = ACTORS[action]
    held = roles_of(user, dossier) if roles is None else roles
    if APPLICANT in allowed and dossier.applicant_id is None and Role.DESK_OFFICER in held:
        # Someone without an account filed at the counter: the desk acts on their behalf.
        return True
    return bool(allowed & held)
