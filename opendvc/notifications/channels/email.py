"""E-mail through Django's mail backend: SMTP in production, the outbox folder when embedded.

The Message-ID is derived from the message row, so a resend after a crash is the same e-mail
(the outbox backend replaces its file; mail clients thread or drop the repeat). Announcements
carry a one-click unsubscribe link (RFC 8058), which large mailbox providers require of bulk mail.
"""

import smtplib
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.http import HttpRequest

from .. import links
from ..models import Channel, Message
from .base import (
    ChannelError,
    DeliveryUpdate,
    PermanentFailure,
    SendResult,
    TemporaryFailure,
)


def message_id(message) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "opendvc.local"
    return f"<notification-{message.pk}@{host}>"


def _headers(message) -> dict[str, str]:
    headers = {"Message-ID": message_id(message)}
    if message.kind == Message.Kind.ANNOUNCEMENT and message.recipient_id is not None:
        headers["List-Unsubscribe"] = f"<{links.unsubscribe_url(message.recipient_id)}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _smtp_code(error: smtplib.SMTPException) -> int:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        # One recipient per message: its code is the answer.
        codes = [code for code, _ in error.recipients.values()]
        return min(codes) if codes else 0
    return getattr(error, "smtp_code", 0) or 0


class EmailAdapter:
    channel = Channel.EMAIL

    def send(self, message, connection=None) -> SendResult:
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to],
            headers=_headers(message),
            connection=connection or get_connection(fail_silently=False),
        )
        try:
            email.send()
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as error:
            # 5xx about this address or this content will be the same tomorrow; 4xx (mailbox
            # full, greylisting) may not.
            code = _smtp_code(error)
            failure = PermanentFailure if 500 <= code < 600 else TemporaryFailure
            raise failure(f"SMTP {code}: {_reason(error)}") from error
        except (smtplib.SMTPException, OSError) as error:
            # Disconnected, refused, timed out, or our own login or sender refused: the server
            # (or the operator's settings) may be fixed before the retries run out.
            raise TemporaryFailure(f"Không gửi được qua máy chủ thư: {error}"[:300]) from error
        return SendResult(provider_id=message_id(message))

    def send_batch(self, messages) -> dict:
        """Send a batch over one connection to the mail server (a connection and TLS handshake
        per message would bound the outbox). Each message's SendResult or ChannelError."""
        connection = get_connection(fail_silently=False)
        try:
            connection.open()
        except (smtplib.SMTPException, OSError) as error:
            failure = TemporaryFailure(f"Không kết nối được máy chủ thư: {error}"[:300])
            return {message.pk: failure for message in messages}
        outcomes: dict = {}
        try:
            for message in messages:
                try:
                    outcomes[message.pk] = self.send(message, connection)
                except ChannelError as error:
                    outcomes[message.pk] = error
        finally:
            try:
                connection.close()
            except (smtplib.SMTPException, OSError):
                pass  # every message already has its outcome; QUIT is a courtesy
        return outcomes

    def parse_callback(self, request: HttpRequest) -> list[DeliveryUpdate]:
        raise ValueError("E-mail has no delivery callbacks.")

    def query_status(self, provider_id: str) -> DeliveryUpdate | None:
        return None  # accepted by the mail server is all SMTP tells


def _reason(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        text = b" ".join(reply for _, reply in error.recipients.values())
    else:
        text = getattr(error, "smtp_error", b"")
    return (text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text))[:200]
