import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from opendvc.audit.actions import record, verify_chain
from opendvc.audit.models import AuditEntry, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


def _three_entries(actor=None):
    return [
        record(
            action="test.thing_done",
            actor=actor,
            target_type="test",
            target_id=str(i),
            payload={"n": i, "text": "Đăng ký khai sinh"},
        )
        for i in range(3)
    ]


def test_entries_chain_to_the_one_before(citizen):
    first, second, third = _three_entries(actor=citizen)
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert first.actor_id == citizen.pk and first.actor_label == "Nguyễn Văn An"
    assert verify_chain().ok


def test_verify_audit_command_reports_a_sound_chain(capsys):
    _three_entries()
    call_command("verify_audit")
    assert "Audit chain OK: 3 entries" in capsys.readouterr().out


def test_verify_audit_names_the_first_tampered_entry():
    entries = _three_entries()
    # Tamper as an attacker with database access would: bypass the model and edit the row.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET payload = %s WHERE id = %s",
            ['{"n": 99, "text": "Đăng ký khai sinh"}', entries[1].pk],
        )
    with pytest.raises(CommandError, match=f"entry #{entries[1].pk}: content does not match"):
        call_command("verify_audit")


def test_verify_audit_detects_a_deleted_entry():
    entries = _three_entries()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match=f"entry #{entries[2].pk}: prev_hash"):
        call_command("verify_audit")


def test_verify_audit_detects_entries_cut_from_the_end():
    entries = _three_entries()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [entries[2].pk])
    with pytest.raises(CommandError, match="the end of the chain"):
        call_command("verify_audit")


def test_entries_cannot_be_changed_or_deleted_through_the_orm():
    entry = _three_entries()[0]
    entry.action = "test.rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing_done"
