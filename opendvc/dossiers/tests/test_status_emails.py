"""The applicant gets one e-mail per status change of their dossier, in Vietnamese, exactly
once: not before the action commits, not twice when a task is retried, and not lost when the
task that should have sent it dies (the sweep sends it)."""

import email
import socket
from datetime import timedelta
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from opendvc.core.tasks import heartbeat
from opendvc.dossiers import actions, emails
from opendvc.dossiers.models import Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
NOW = MONDAY + timedelta(hours=1)


class FailingBackend(BaseEmailBackend):
    attempts = 0

    def send_messages(self, messages):
        FailingBackend.attempts += 1
        raise ConnectionRefusedError("the mail server is down")


@pytest.fixture
def tasks_run_at_once(settings):
    settings.TASKS = IMMEDIATE


def new_dossier(agency, citizen, status=Status.NEW, **kwargs):
    return DossierFactory(
        agency=agency, applicant=citizen, applicant_email=citizen.email, status=status, **kwargs
    )


def decoded(header: str) -> str:
    # Python folds a long encoded subject onto a continuation line; unfolded, it starts with
    # the folding space, which mail clients drop.
    return str(header).strip()


def subjects() -> list[str]:
    return [message.subject for message in mail.outbox]


def test_withdrawing_emails_the_applicant_once(
    client, citizen, agency, tasks_run_at_once, django_capture_on_commit_callbacks
):
    dossier = new_dossier(agency, citizen)
    client.force_login(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:withdraw", kwargs={"code": dossier.code}))

    assert response.status_code == 302
    assert subjects() == [f"Hồ sơ {dossier.code} đã được rút"]
    assert mail.outbox[0].to == ["an@example.vn"]
    change = StatusChange.objects.get(dossier=dossier)
    assert change.emailed_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<dossier-status-{change.pk}@127.0.0.1>"


def test_each_change_of_a_dossier_sends_one_email(
    citizen, desk_officer, specialist, leader, agency, tasks_run_at_once,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    dossier = new_dossier(agency, citizen)
    reasons = [{"component": None, "code": "MISSING", "note": "Thiếu bản sao"}]
    steps = [
        (actions.accept_dossier, desk_officer, {}),
        (actions.forward_for_processing, desk_officer, {}),
        (actions.request_supplement, specialist, {"reasons": reasons}),
        (actions.resubmit_supplement, citizen, {}),
        (actions.request_financial_obligation, specialist, {}),
        (actions.confirm_payment, desk_officer, {}),
        (actions.stop_processing, leader, {"reason_code": "OTHER", "note": "Luật thay đổi"}),
    ]
    for minutes, (act, by, kwargs) in enumerate(steps):
        with django_capture_on_commit_callbacks(execute=True):
            act(dossier=dossier, by=by, now=NOW + timedelta(minutes=minutes), **kwargs)

    code = dossier.code
    assert subjects() == [
        f"Hồ sơ {code} đã được tiếp nhận",
        f"Hồ sơ {code} đang được xử lý",
        f"Hồ sơ {code} cần bổ sung giấy tờ",
        f"Hồ sơ {code} đang được xử lý",
        f"Hồ sơ {code}: cần thực hiện nghĩa vụ tài chính",
        f"Hồ sơ {code} đang được xử lý",
        f"Hồ sơ {code} đã dừng xử lý",
    ]
    assert not StatusChange.objects.filter(dossier=dossier, emailed_at__isnull=True).exists()


def test_no_email_without_an_address(
    agency, desk_officer, tasks_run_at_once, django_capture_on_commit_callbacks
):
    dossier = DossierFactory(agency=agency, status=Status.NEW, applicant_email="")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)

    assert callbacks == [] and mail.outbox == []
    assert emails.send_unsent(now=NOW + timedelta(hours=1)) == 0
    assert mail.outbox == []


def test_nothing_is_sent_when_the_action_rolls_back(
    citizen, agency, desk_officer, tasks_run_at_once, django_capture_on_commit_callbacks
):
    dossier = new_dossier(agency, citizen)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)
            raise RuntimeError("a later step of the same request failed")

    assert callbacks == [] and mail.outbox == []
    assert not StatusChange.objects.filter(dossier=dossier).exists()


def test_the_action_queues_the_task_only_after_commit(
    citizen, agency, desk_officer, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = DATABASE
    dossier = new_dossier(agency, citizen)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)
    assert not DBTaskResult.objects.exists()  # not yet committed: nothing queued

    callbacks[0]()
    queued = DBTaskResult.objects.get()
    change = StatusChange.objects.get(dossier=dossier)
    assert queued.task_path == "opendvc.dossiers.tasks.send_status_email"
    assert queued.args_kwargs["kwargs"] == {"change_id": change.pk}


def test_sending_the_same_change_twice_leaves_one_message_file(citizen, agency, settings, tmp_path):
    settings.EMAIL_BACKEND = "opendvc.core.mail.OutboxBackend"
    settings.EMAIL_FILE_PATH = tmp_path / "outbox"
    dossier = new_dossier(agency, citizen, status=Status.RECEIVED)
    change = StatusChange.objects.create(
        dossier=dossier, from_status=1, to_status=2, action="accept", at=NOW
    )

    assert emails.send_status_email(change_id=change.pk, now=NOW)
    # The worker died after sending, before its commit: the change looks unsent again.
    StatusChange.objects.filter(pk=change.pk).update(emailed_at=None)
    assert emails.send_status_email(change_id=change.pk, now=NOW)
    assert not emails.send_status_email(change_id=change.pk, now=NOW)  # marked: not again

    files = list((tmp_path / "outbox").iterdir())
    assert [f.name for f in files] == [f"dossier-status-{change.pk}@127.0.0.1.eml"]
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert decoded(message["Subject"]) == f"Hồ sơ {dossier.code} đã được tiếp nhận"


def test_a_failed_send_stays_unsent_and_the_sweep_sends_it_later(
    citizen, agency, desk_officer, settings, time_machine, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    dossier = new_dossier(agency, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)
    assert StatusChange.objects.get(dossier=dossier).emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.move_to(NOW + timedelta(minutes=5))
    call_command("send_status_emails", stdout=None)

    assert subjects() == [f"Hồ sơ {dossier.code} đã được tiếp nhận"]
    assert StatusChange.objects.get(dossier=dossier).emailed_at is not None


def test_the_sweep_sends_what_a_lost_task_left_once_the_grace_period_is_over(
    citizen, agency, desk_officer, time_machine, django_capture_on_commit_callbacks
):
    dossier = new_dossier(agency, citizen)
    with django_capture_on_commit_callbacks(execute=False):  # the queued task is lost
        actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)

    time_machine.move_to(NOW + timedelta(seconds=30))
    with override_settings(TASKS=IMMEDIATE):
        heartbeat.enqueue()
    assert mail.outbox == []  # still within the grace period: the task may yet run

    time_machine.move_to(NOW + timedelta(minutes=3))
    with override_settings(TASKS=IMMEDIATE):
        heartbeat.enqueue()
        heartbeat.enqueue()
    assert subjects() == [f"Hồ sơ {dossier.code} đã được tiếp nhận"]


def test_the_sweep_leaves_changes_older_than_its_horizon(citizen, agency):
    dossier = new_dossier(agency, citizen, status=Status.RECEIVED)
    StatusChange.objects.create(
        dossier=dossier, from_status=1, to_status=2, action="accept", at=NOW
    )

    assert emails.send_unsent(now=NOW + emails.HORIZON + timedelta(minutes=1)) == 0
    assert emails.send_unsent(now=NOW + emails.HORIZON - timedelta(minutes=1)) == 1


def test_the_submission_email_gives_code_and_tracking_but_not_the_secret(
    citizen, agency, tasks_run_at_once, django_capture_on_commit_callbacks
):
    dossier = new_dossier(agency, citizen, status=Status.DRAFT)  # online, nothing required

    with django_capture_on_commit_callbacks(execute=True):
        submission = actions.submit_dossier(dossier=dossier, by=citizen, now=NOW)

    (message,) = mail.outbox
    assert message.subject == f"Hồ sơ {dossier.code} đã được nộp"
    assert "Kính gửi Nguyễn Văn An," in message.body
    assert "Hãy giữ biên nhận hồ sơ" in message.body and "nộp trực tuyến" in message.body
    assert "Hồ sơ của tôi" in message.body
    assert submission.secret not in message.body and submission.secret not in message.subject
    assert f"http://127.0.0.1:8000/ho-so/{dossier.code}/" in message.body


def change_to(dossier, to_status, action, **kwargs) -> StatusChange:
    return StatusChange.objects.create(
        dossier=dossier, from_status=4, to_status=to_status, action=action, at=NOW, **kwargs
    )


@pytest.mark.parametrize(
    "to_status, action, kwargs, says",
    [
        (Status.RECEIVED, "accept", {}, ["đã được tiếp nhận", "Hẹn trả kết quả: 09:00 30/11/2026"]),
        (
            Status.REFUSED,
            "refuse",
            {"reason_code": "NOT_COMPETENT", "note": "Thuộc UBND xã"},
            ["không được tiếp nhận", "Lý do: Không thuộc thẩm quyền giải quyết — Thuộc UBND xã"],
        ),
        (Status.PROCESSING, "forward", {}, ["đang được xử lý", "bộ phận chuyên môn"]),
        (Status.WITHDRAWN, "withdraw", {}, ["đã được rút", "theo đề nghị của bạn"]),
        (
            Status.STOPPED,
            "stop",
            {"reason_code": "LEGAL_CHANGE", "note": "Luật mới"},
            ["đã dừng xử lý", "Lý do: Căn cứ pháp lý thay đổi — Luật mới"],
        ),
        (Status.FINISHED, "finish", {}, ["đã có kết quả", "Xem kết quả: http://127.0.0.1:8000/"]),
        (Status.RETURNED, "return_result", {}, ["đã trả kết quả", "Cảm ơn bạn"]),
    ],
)
def test_each_status_has_its_vietnamese_email(citizen, agency, to_status, action, kwargs, says):
    dossier = new_dossier(agency, citizen, status=to_status, due_at=MONDAY + timedelta(days=7))

    message = emails.status_message(change_to(dossier, to_status, action, **kwargs))

    text = message.subject + "\n" + message.body
    assert message.subject.startswith(f"Hồ sơ {dossier.code} ")
    for phrase in says:
        assert phrase in text
    assert f"Thủ tục: {dossier.procedure.name}" in message.body
    assert f"http://127.0.0.1:8000/ho-so/{dossier.code}/" in message.body
    assert "&#" not in text and "&amp;" not in text  # plain text, not HTML-escaped


def test_the_supplement_email_lists_each_document_and_reason(citizen, agency, specialist):
    dossier = new_dossier(agency, citizen, status=Status.PROCESSING)
    component = DossierComponentFactory(dossier=dossier, name="Bản sao sổ hộ khẩu & CCCD")
    reasons = [
        {"component": component.pk, "code": "EXPIRED", "note": "Hết hạn từ 2024"},
        {"component": None, "code": "OTHER", "note": "Ghi rõ địa chỉ thường trú"},
    ]
    actions.request_supplement(dossier=dossier, by=specialist, reasons=reasons, now=NOW)

    message = emails.status_message(StatusChange.objects.get(dossier=dossier))

    assert message.subject == f"Hồ sơ {dossier.code} cần bổ sung giấy tờ"
    assert "- Bản sao sổ hộ khẩu & CCCD: Giấy tờ hết hiệu lực — Hết hạn từ 2024" in message.body
    assert "- Hồ sơ: Lý do khác — Ghi rõ địa chỉ thường trú" in message.body


def test_a_counter_applicant_without_account_is_pointed_to_public_tracking(agency):
    dossier = DossierFactory(agency=agency, status=Status.RECEIVED, applicant_email="k@example.vn")

    message = emails.status_message(change_to(dossier, Status.RECEIVED, "accept"))

    assert "http://127.0.0.1:8000/tra-cuu-ho-so/" in message.body
    assert message.to == ["k@example.vn"]


class Recorder:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_email_goes_through_a_real_smtp_exchange(citizen, agency, settings):
    recorder = Recorder()
    server = Controller(recorder, hostname="127.0.0.1", port=free_port())
    server.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.hostname, server.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        dossier = new_dossier(agency, citizen, status=Status.REFUSED)
        change = change_to(dossier, Status.REFUSED, "refuse", reason_code="DUPLICATE")

        assert emails.send_status_email(change_id=change.pk, now=NOW)
    finally:
        server.stop()

    (envelope,) = recorder.envelopes
    assert envelope.rcpt_tos == ["an@example.vn"]
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert decoded(message["Subject"]) == f"Hồ sơ {dossier.code} không được tiếp nhận"
    assert message["Message-ID"] == f"<dossier-status-{change.pk}@127.0.0.1>"
    assert "Lý do: Hồ sơ trùng lặp" in message.get_content()


def test_returning_the_result_emails_the_applicant(
    citizen, agency, desk_officer, tasks_run_at_once, django_capture_on_commit_callbacks
):
    dossier = new_dossier(agency, citizen, status=Status.FINISHED)

    with django_capture_on_commit_callbacks(execute=True):
        actions.return_result(dossier=dossier, by=desk_officer, now=NOW)

    assert subjects() == [f"Hồ sơ {dossier.code} đã trả kết quả"]
    assert "\n\n\n" not in mail.outbox[0].body


def boom(*, now):
    raise RuntimeError("a periodic job failed")


def test_a_failing_periodic_job_neither_stops_the_sweep_nor_the_heartbeat(
    citizen, agency, settings, time_machine
):
    settings.OPENDVC_PERIODIC_JOBS = [f"{__name__}.boom", "opendvc.dossiers.emails.sweep"]
    dossier = new_dossier(agency, citizen, status=Status.RECEIVED)
    StatusChange.objects.create(
        dossier=dossier, from_status=1, to_status=2, action="accept", at=NOW
    )
    time_machine.move_to(NOW + timedelta(minutes=3))

    with override_settings(TASKS=IMMEDIATE):
        result = heartbeat.enqueue()

    assert result.status == "SUCCESSFUL"
    assert subjects() == [f"Hồ sơ {dossier.code} đã được tiếp nhận"]


def test_the_sweep_stops_at_a_failing_mail_server_and_leaves_the_rest_for_later(
    citizen, agency, settings
):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.attempts = 0
    dossier = new_dossier(agency, citizen, status=Status.PROCESSING)
    for to_status, action in ((Status.RECEIVED, "accept"), (Status.PROCESSING, "forward")):
        change_to(dossier, to_status, action)

    assert emails.send_unsent(now=NOW + timedelta(minutes=5)) == 0

    assert FailingBackend.attempts == 1
    assert StatusChange.objects.filter(dossier=dossier, emailed_at__isnull=True).count() == 2


def test_a_counter_registration_is_not_said_to_be_filed_online(agency):
    dossier = DossierFactory(agency=agency, status=Status.NEW, applicant_email="k@example.vn")

    message = emails.status_message(change_to(dossier, Status.NEW, "submit"))

    assert "đăng ký với mã" in message.body and "trực tuyến" not in message.body
    assert "Hồ sơ của tôi" not in message.body  # no account to sign in to
