"""The outbox backend writes one file per Message-ID, atomically: a message sent again with
the same Message-ID replaces its file, so a retried job never leaves two."""

import email
from email import policy

import pytest
from django.core.mail import EmailMessage, get_connection

from opendvc.core.mail import OutboxBackend, file_name


def send(outbox, subject: str, message_id: str | None = None) -> int:
    headers = {"Message-ID": message_id} if message_id else {}
    message = EmailMessage(subject=subject, body="Nội dung", to=["an@example.vn"], headers=headers)
    return OutboxBackend(file_path=outbox).send_messages([message])


def test_a_message_sent_twice_with_one_message_id_leaves_one_file(tmp_path):
    assert send(tmp_path, "Lần một", "<dossier-status-7@opendvc.local>") == 1
    assert send(tmp_path, "Lần hai", "<dossier-status-7@opendvc.local>") == 1

    (only,) = tmp_path.iterdir()
    assert only.name == "dossier-status-7@opendvc.local.eml"
    message = email.message_from_bytes(only.read_bytes(), policy=policy.default)
    assert message["Subject"].strip() == "Lần hai"
    assert message.get_content().strip() == "Nội dung"


def test_different_messages_get_different_files_and_no_temporary_file_stays(tmp_path):
    send(tmp_path, "Một", "<a@opendvc.local>")
    send(tmp_path, "Hai", "<b@opendvc.local>")
    send(tmp_path, "Ba")  # Django gives it a Message-ID of its own

    names = sorted(path.name for path in tmp_path.iterdir())
    assert len(names) == 3
    assert {"a@opendvc.local.eml", "b@opendvc.local.eml"} < set(names)
    assert not [name for name in names if name.startswith(".")]


@pytest.mark.parametrize("message_id", ["<../../etc/passwd@x>", "<a b/c@x>", "<.hidden@x>"])
def test_a_message_id_unfit_for_a_file_name_is_hashed_into_the_outbox(tmp_path, message_id):
    send(tmp_path, "Thử", message_id)

    (only,) = tmp_path.iterdir()
    assert only.parent == tmp_path
    assert only.name == file_name(message_id)
    assert only.name.endswith(".eml") and "/" not in only.name and not only.name.startswith(".")


def test_the_outbox_is_the_embedded_default_backend(settings, tmp_path):
    settings.EMAIL_BACKEND = "opendvc.core.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"

    EmailMessage(subject="Chào", body="x", to=["an@example.vn"]).send()

    assert isinstance(get_connection(), OutboxBackend)
    assert len(list((tmp_path / "outbox").iterdir())) == 1


def test_a_write_error_is_raised_unless_told_to_fail_silently(tmp_path):
    outbox = tmp_path / "outbox"
    loud, quiet = (
        OutboxBackend(file_path=outbox),
        OutboxBackend(file_path=outbox, fail_silently=True),
    )
    outbox.rmdir()
    outbox.write_text("not a folder any more")
    message = EmailMessage(subject="x", body="x", to=["an@example.vn"])

    with pytest.raises(NotADirectoryError):
        loud.send_messages([message])
    assert quiet.send_messages([message]) == 0
