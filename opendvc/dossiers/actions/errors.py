"""The domain errors of dossier actions; str(error) is a Vietnamese message for the user."""


class DossierError(Exception):
    """Base of the domain errors; str(error) is a Vietnamese message for the user."""


class IllegalTransition(DossierError):
    """The dossier's status does not allow this action."""


class NotAllowed(DossierError):
    """This user may not take this action on this dossier."""


class InvalidRequest(DossierError):
    """The action's input is incomplete or wrong (missing reason, unknown code…)."""
