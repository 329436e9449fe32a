"""The embedded runtime's e-mail backend: a local outbox folder, one file per message.

Unlike Django's file backend (one file per connection, appended to), a message is written to a
file named after its Message-ID, through a temporary file renamed into place. A job retried
after a crash sends the same message again with the same Message-ID: its file is replaced, never
doubled, and a reader never sees half a message.
"""

import hashlib
import os
import re
import uuid
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

SAFE_NAME = re.compile(r"[A-Za-z0-9@._+-]{1,150}")


def file_name(message_id: str) -> str:
    """The outbox file of a Message-ID: the ID itself where it is a safe file name, else a
    hash of it (so two IDs never share a file)."""
    bare = message_id.strip().strip("<>")
    if SAFE_NAME.fullmatch(bare) and not bare.startswith("."):
        return f"{bare}.eml"
    return f"{hashlib.sha256(message_id.strip().encode()).hexdigest()[:40]}.eml"


class OutboxBackend(BaseEmailBackend):
    """Writes each message to `EMAIL_FILE_PATH/<Message-ID>.eml`, atomically."""

    def __init__(self, file_path: str | os.PathLike | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        path = file_path or getattr(settings, "EMAIL_FILE_PATH", None)
        if not path:
            raise ImproperlyConfigured("OutboxBackend needs EMAIL_FILE_PATH.")
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for email in email_messages:
            try:
                self._write(email)
            except OSError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _write(self, email: EmailMessage) -> None:
        message = email.message()  # adds a Message-ID when the sender gave none
        final = self.path / file_name(str(message["Message-ID"]))
        temporary = self.path / f".{final.name}.{uuid.uuid4().hex}.tmp"
        try:
            with open(temporary, "wb") as file:
                file.write(message.as_bytes(linesep="\n"))
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, final)
        finally:
            temporary.unlink(missing_ok=True)
