"""Each status change of a dossier tells the applicant once, through the outbox, in Vietnamese,
and the desk sees on the dossier's timeline whether the message went out or failed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from opendvc.dossiers import actions
from opendvc.dossiers.models import Status, StatusChange
from opendvc.dossiers.tests.factories import MONDAY, DossierComponentFactory, DossierFactory
from opendvc.notifications import outbox
from opendvc.notifications.models import Message, SandboxDelivery
from opendvc.notifications.sms import unaccent

pytestmark = pytest.mark.django_db

NOW = MONDAY + timedelta(hours=1)


@pytest.fixture(autouse=True)
def sandbox_everywhere(settings):
    settings.NOTIFY_PROVIDERS = {"email": "sandbox", "sms": "sandbox", "zalo": "sandbox"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def new_dossier(agency, citizen, status=Status.NEW, **kwargs):
    return DossierFactory(
        agency=agency,
        applicant=citizen,
        applicant_email=citizen.email,
        applicant_phone=citizen.phone,
        status=status,
        **kwargs,
    )


def test_withdrawing_tells_the_applicant_once(
    client, citizen, agency, django_capture_on_commit_callbacks
):
    dossier = new_dossier(agency, citizen)
    client.force_login(citizen)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("dossiers:withdraw", kwargs={"code": dossier.code}))

    assert response.status_code == 302
    change = StatusChange.objects.get(dossier=dossier)
    message = Message.objects.get()
    assert message.key == f"dossier-status:{change.pk}"
    assert (message.event, message.channel, message.to) == (
        "dossier.withdrawn",
        "zalo",
        citizen.phone,
    )
    assert message.reference == dossier.code and message.agency == agency
    assert message.recipient == citizen
    assert f"Ho so {dossier.code} da duoc rut" in unaccent(message.body)
    assert message.state == Message.State.SENT
    assert SandboxDelivery.objects.get().to == citizen.phone


def test_each_change_of_a_dossier_queues_one_message_with_its_facts(
    citizen, desk_officer, specialist, leader, agency
):
    dossier = new_dossier(agency, citizen)
    component = DossierComponentFactory(dossier=dossier, name="Tờ khai đăng ký khai sinh")
    citizen.phone = None  # an applicant reached by e-mail only
    citizen.save()
    dossier.applicant_phone = ""
    dossier.save()

    actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)
    actions.request_supplement(
        dossier=dossier,
        by=desk_officer,
        reasons=[{"component": component.pk, "code": "INVALID", "note": "Thiếu chữ ký"}],
        now=NOW + timedelta(hours=1),
    )

    received, supplement = Message.objects.order_by("pk")
    assert [m.channel for m in (received, supplement)] == ["email", "email"]
    assert received.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    dossier.refresh_from_db()
    assert "Hẹn trả kết quả" in received.body
    assert supplement.subject == f"Hồ sơ {dossier.code} cần bổ sung giấy tờ"
    assert "Tờ khai đăng ký khai sinh: " in supplement.body
    assert "Giấy tờ không hợp lệ — Thiếu chữ ký" in supplement.body


def test_a_counter_dossier_without_an_account_is_told_by_the_phone_it_gave(agency, desk_officer):
    dossier = DossierFactory(
        agency=agency,
        applicant=None,
        applicant_phone="0977000111",
        applicant_email="",
        status=Status.NEW,
    )

    actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)

    message = Message.objects.get()
    assert message.recipient is None
    assert message.to == "0977000111"
    assert message.context["url"].endswith(reverse("dossiers:track"))


def test_the_desk_sees_a_failed_delivery_on_the_timeline(
    client, citizen, agency, desk_officer, django_capture_on_commit_callbacks
):
    # The sandbox: a number ending in 00 has no Zalo; the notice falls back to SMS.
    citizen.phone = "0912345600"
    citizen.save()
    dossier = new_dossier(agency, citizen)
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept_dossier(dossier=dossier, by=desk_officer, now=NOW)
    outbox.dispatch(now=NOW + timedelta(minutes=1))
    client.force_login(desk_officer)

    page = client.get(reverse("dossiers:staff_detail", kwargs={"code": dossier.code}))

    html = page.content.decode()
    assert "Báo cho người nộp qua Zalo (0912345600)" in html
    assert "Không gửi được" in html and "chưa đăng ký Zalo" in html
    assert "Gửi thay qua SMS (0912345600)" in html
