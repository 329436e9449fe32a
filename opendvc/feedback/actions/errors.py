"""What the feedback actions raise; str(error) is a Vietnamese sentence for the user."""


class FeedbackError(Exception):
    """Base of the feedback domain errors."""


class NotAllowed(FeedbackError):
    """The user's role at the agency does not allow this action."""


class IllegalTransition(FeedbackError):
    """The item is not in a state where this action applies."""


class InvalidRequest(FeedbackError):
    """What was sent is incomplete or wrong."""


class RateLimited(FeedbackError):
    """Too many attempts from this address or this client."""
