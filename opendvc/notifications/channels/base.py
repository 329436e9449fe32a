"""The one interface every channel adapter speaks, and the errors it raises.

An adapter turns a queued message into a provider request (`send`), reads the provider's
delivery callbacks (`parse_callback`) and asks for a message's state (`query_status`). It does
not touch the database's messages: the outbox decides what a result means.
"""

from dataclasses import dataclass, field
from typing import Protocol

from django.http import HttpRequest


class ChannelError(Exception):
    """Sending failed."""


class TemporaryFailure(ChannelError):
    """Worth trying again later: the provider is down, busy or timed out."""


class PermanentFailure(ChannelError):
    """Trying again will not help: a wrong number, a phone without Zalo, a rejected template.
    The outbox falls back to the next channel."""


class ForgedCallback(Exception):
    """A callback whose signature or shared secret does not check out."""


@dataclass(frozen=True)
class SendResult:
    provider_id: str  # the provider's id of the message, which its callbacks name
    # True when the provider said it had this request id already (a resend after a crash).
    was_duplicate: bool = False


@dataclass(frozen=True)
class DeliveryUpdate:
    """One verified statement from a provider about one message."""

    provider_id: str
    delivered: bool
    error_code: str = ""
    request_id: str = ""  # our Message.request_id, when the provider echoes it
    payload: dict = field(default_factory=dict)


class Adapter(Protocol):
    channel: str

    def send(self, message) -> SendResult:
        """Send one `Message` (its `to`, `subject`, `body`, `data`, `request_id`). Raises
        TemporaryFailure or PermanentFailure."""

    def parse_callback(self, request: HttpRequest) -> list[DeliveryUpdate]:
        """The delivery reports in a provider's callback request. Raises ForgedCallback when
        it is not signed by the provider, ValueError when it is malformed."""

    def query_status(self, provider_id: str) -> DeliveryUpdate | None:
        """Ask the provider what became of a message; None while it does not know yet."""
