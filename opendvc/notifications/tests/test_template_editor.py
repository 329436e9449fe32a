"""The administrators' template editor, through its pages: who may use it, saving versions,
the preview, errors beside the fields, the SMS count, history and restore."""

import contextlib
import threading
from datetime import UTC, datetime
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from opendvc.audit.models import AuditEntry
from opendvc.notifications import outbox
from opendvc.notifications.actions import templates as actions
from opendvc.notifications.models import Preference, Template

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:templates")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def edit_url(event="dossier.received", channel="sms"):
    return reverse("notifications:template_edit", kwargs={"event": event, "channel": channel})


def history_url(event="dossier.received", channel="sms"):
    return reverse("notifications:template_history", kwargs={"event": event, "channel": channel})


def restore_url(event="dossier.received", channel="sms"):
    return reverse("notifications:template_restore", kwargs={"event": event, "channel": channel})


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


# --- who may use it -------------------------------------------------------------------------


@pytest.mark.parametrize("url", [LIST, edit_url(), history_url()])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("actor", ["citizen", "desk_officer", "leader"])
@pytest.mark.parametrize("url", [LIST, edit_url(), history_url()])
def test_anyone_but_a_superuser_gets_not_found(client, request, actor, url):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(url).status_code == 404


@pytest.mark.parametrize("actor", ["citizen", "leader"])
def test_others_cannot_save_or_restore(client, request, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.post(edit_url(), {"body": "Xin chào", "save": "1"}).status_code == 404
    assert client.post(restore_url(), {"version": "0"}).status_code == 404
    assert not Template.objects.exists()


@pytest.mark.parametrize(("event", "channel"), [("no.such", "sms"), ("dossier.received", "fax")])
def test_an_unknown_event_or_channel_is_not_found(admin_client, event, channel):
    assert admin_client.get(edit_url(event, channel)).status_code == 404
    assert admin_client.get(history_url(event, channel)).status_code == 404
    assert admin_client.post(restore_url(event, channel), {"version": "0"}).status_code == 404


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_every_event_and_channel_with_its_version(
    admin_client, superuser, django_assert_max_num_queries
):
    actions.save_template(
        event="dossier.finished",
        channel="sms",
        subject="",
        body="Hồ sơ {{ dossier_code }} xong.",
        by=superuser,
        now=NOW,
    )
    for event in ("dossier.received", "dossier.refused"):
        actions.save_template(
            event=event, channel="sms", subject="", body="{{ dossier_code }}", by=superuser, now=NOW
        )

    # Session and user, then one query for every current version, however many there are.
    with django_assert_max_num_queries(3):
        response = admin_client.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Hồ sơ đã có kết quả" in page and "Phản ánh, kiến nghị đã được trả lời" in page
    assert edit_url("dossier.finished", "sms") in page
    assert history_url("announcement", "zalo") in page
    assert "Quản trị hệ thống" in page  # who saved
    assert "09:00 23/11/2026" in page  # when, in Hà Nội time


# --- saving ---------------------------------------------------------------------------------


def test_saving_makes_version_1_then_2_and_the_outbox_uses_the_newest(admin_client, citizen):
    first = admin_client.post(
        edit_url(), {"body": "Đã nhận hồ sơ {{ dossier_code }}.", "note": "Ngắn gọn", "save": "1"}
    )
    second = admin_client.post(
        edit_url(), {"body": "Hồ sơ {{ dossier_code }}: đã tiếp nhận.", "save": "1"}
    )

    assert first.status_code == second.status_code == 302
    assert first["Location"] == edit_url()
    versions = list(Template.objects.order_by("version").values_list("version", "note"))
    assert versions == [(1, "Ngắn gọn"), (2, "")]
    assert "Đã lưu phiên bản 2." in admin_client.get(edit_url()).content.decode()
    entry = AuditEntry.objects.filter(action="notifications.save_template").last()
    assert entry.payload["version"] == 2 and entry.payload["event"] == "dossier.received"

    Preference.objects.create(user=citizen, use_zalo=False)  # so the notice goes by SMS
    message = outbox.notify(
        event="dossier.received",
        context={"dossier_code": "T24-STP-261123-0007"},
        key="dossier-status:7",
        now=NOW,
        user=citizen,
        phone="0912345678",
    )
    assert message.channel == "sms"
    assert message.body == "Ho so T24-STP-261123-0007: da tiep nhan."
    assert (message.template.version, message.template_version) == (2, 2)


def test_a_saved_email_text_is_what_the_outbox_sends_next(admin_client, citizen):
    admin_client.post(
        edit_url(channel="email"),
        {
            "subject": "Tiếp nhận {{ dossier_code }}",
            "body": "Kính gửi {{ applicant_name }}, hồ sơ đã được tiếp nhận.",
            "save": "1",
        },
    )

    message = outbox.notify(
        event="dossier.received",
        context={"dossier_code": "T24-STP-261123-0008", "applicant_name": "Nguyễn Văn An"},
        key="dossier-status:8",
        now=NOW,
        user=citizen,
        email="an@example.vn",
    )

    assert message.channel == "email"
    assert message.subject == "Tiếp nhận T24-STP-261123-0008"
    assert message.body == "Kính gửi Nguyễn Văn An, hồ sơ đã được tiếp nhận."
    assert message.template_version == 1


def test_a_zalo_text_saves_its_zns_template_and_parameters(admin_client, citizen):
    response = admin_client.post(
        edit_url(channel="zalo"),
        {
            "body": "Hồ sơ {{ dossier_code }} đã được tiếp nhận.",
            "zns_template_id": "402117",
            "zns_params": "ma_ho_so=dossier_code\r\n\r\nngay_hen = due_at\r\n",
            "save": "1",
        },
    )

    assert response.status_code == 302
    template = Template.objects.get()
    assert template.zns_template_id == "402117"
    assert template.zns_params == {"ma_ho_so": "dossier_code", "ngay_hen": "due_at"}
    message = outbox.notify(
        event="dossier.received",
        context={"dossier_code": "T24-STP-261123-0009", "due_at": "17:00 26/11/2026"},
        key="dossier-status:9",
        now=NOW,
        user=citizen,
        phone="0912345678",
    )
    assert message.channel == "zalo"
    assert message.data == {
        "template_id": "402117",
        "template_data": {"ma_ho_so": "T24-STP-261123-0009", "ngay_hen": "17:00 26/11/2026"},
    }


# --- preview and errors ---------------------------------------------------------------------


def test_preview_renders_the_sample_without_saving(admin_client):
    response = admin_client.post(
        edit_url(), {"body": "Hồ sơ {{ dossier_code }} hẹn trả {{ due_at }}.", "preview": "1"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ho so 000.00.12.H56-261123-0001 hen tra 17:00 04/12/2026." in page
    assert "57 ký tự, 1 tin nhắn (giới hạn 3)" in page
    assert "Hồ sơ {{ dossier_code }} hẹn trả {{ due_at }}." in page  # still in the form
    assert not Template.objects.exists()


def test_the_editor_shows_the_current_text_and_its_sms_count(admin_client):
    page = admin_client.get(edit_url()).content.decode()

    assert "Hồ sơ {{ dossier_code }} đã được tiếp nhận." in page  # built-in, in the form
    assert "Ho so 000.00.12.H56-261123-0001 da duoc tiep nhan. Hen tra: 17:00 04/12/2026." in page
    assert "77 ký tự, 1 tin nhắn (giới hạn 3)" in page
    assert "dossier_code" in page and "Ngày giờ hẹn trả kết quả" in page  # the variables


def test_the_zalo_editor_shows_the_zns_data_and_the_email_editor_the_subject(admin_client):
    zalo = admin_client.get(edit_url(channel="zalo")).content.decode()
    email = admin_client.post(
        edit_url(channel="email"),
        {"subject": "Tiếp nhận {{ dossier_code }}", "body": "Nội dung", "preview": "1"},
    ).content.decode()

    assert 'value="231452"' in zalo  # the built-in ZNS template id, in the form
    assert "ngay_hen_tra=due_at" in zalo
    assert "<code>ngay_hen_tra</code></dt><dd>17:00 04/12/2026</dd>" in zalo
    assert "Tiếp nhận 000.00.12.H56-261123-0001" in email
    assert not Template.objects.exists()


def test_a_broken_saved_version_opens_in_the_editor_to_be_mended(admin_client):
    Template.objects.create(
        event="dossier.received", channel="sms", version=1, body="{% if due_at %}Hẹn trả"
    )

    response = admin_client.get(edit_url())

    assert response.status_code == 200
    page = response.content.decode()
    assert "{% if due_at %}Hẹn trả" in page
    assert "Chưa xem trước được" in page


def test_an_unknown_variable_keeps_the_typed_text_and_says_why(admin_client):
    typed = "Hồ sơ {{ dossier_code }} của {{ ho_ten }}"

    response = admin_client.post(edit_url(), {"body": typed, "note": "thử", "save": "1"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Biến không có trong sự kiện này: ho_ten." in page
    assert 'id="id_body_error"' in page
    assert "Hồ sơ {{ dossier_code }} của {{ ho_ten }}" in page
    assert 'value="thử"' in page
    assert not Template.objects.exists()


def test_a_syntax_error_is_shown_and_nothing_is_saved(admin_client):
    response = admin_client.post(edit_url(), {"body": "{% if due_at %}Hẹn trả", "save": "1"})

    assert "Mẫu viết sai cú pháp" in response.content.decode()
    assert not Template.objects.exists()


def test_an_sms_over_the_limit_shows_its_count_and_is_not_saved(admin_client, settings):
    settings.SMS_MAX_PARTS = 1
    long_text = "Hồ sơ {{ dossier_code }} đã được tiếp nhận, mời theo dõi tại {{ url }} " * 2

    response = admin_client.post(edit_url(), {"body": long_text, "save": "1"})

    page = response.content.decode()
    assert "2 tin nhắn (giới hạn 1)" in page
    assert "Tin nhắn quá dài" in page
    assert "giới hạn là 1 tin nhắn" in page
    assert not Template.objects.exists()


def test_an_email_needs_a_subject(admin_client):
    response = admin_client.post(edit_url(channel="email"), {"subject": " ", "body": "Nội dung"})

    assert 'id="id_subject_error"' in response.content.decode()
    assert not Template.objects.exists()


def test_a_zalo_text_needs_a_zns_template_id(admin_client):
    response = admin_client.post(
        edit_url(channel="zalo"), {"body": "Hồ sơ {{ dossier_code }}", "save": "1"}
    )

    assert 'id="id_zns_template_id_error"' in response.content.decode()
    assert not Template.objects.exists()


def test_a_zns_parameter_must_name_an_event_variable(admin_client):
    response = admin_client.post(
        edit_url(channel="zalo"),
        {"body": "Hồ sơ", "zns_template_id": "402117", "zns_params": "ten=ho_ten", "save": "1"},
    )

    page = response.content.decode()
    assert "dùng biến “ho_ten” không có trong sự kiện này" in page
    assert "ten=ho_ten" in page
    assert not Template.objects.exists()


# --- history and restore --------------------------------------------------------------------


def test_history_lists_the_versions_and_restore_copies_an_old_one(admin_client, superuser):
    for body in ("Một {{ dossier_code }}", "Hai {{ dossier_code }}"):
        actions.save_template(
            event="dossier.received", channel="sms", subject="", body=body, by=superuser, now=NOW
        )

    page = admin_client.get(history_url()).content.decode()
    assert "Phiên bản 2" in page and "Phiên bản 1" in page and "Phiên bản 0" in page
    assert "Một {{ dossier_code }}" in page

    response = admin_client.post(restore_url(), {"version": "1"})

    assert response.status_code == 302 and response["Location"] == edit_url()
    newest = Template.objects.order_by("-version").first()
    assert (newest.version, newest.body, newest.note) == (
        3,
        "Một {{ dossier_code }}",
        "Khôi phục phiên bản 1",
    )
    assert AuditEntry.objects.filter(action="notifications.save_template").count() == 3


def test_restoring_version_0_brings_back_the_built_in_text(admin_client, superuser):
    actions.save_template(
        event="dossier.received", channel="sms", subject="", body="Khác", by=superuser, now=NOW
    )

    admin_client.post(restore_url(), {"version": "0"})

    newest = Template.objects.order_by("-version").first()
    assert newest.version == 2
    assert newest.body.startswith("{% if is_resubmission %}")


def test_restoring_a_missing_version_says_so(admin_client):
    response = admin_client.post(restore_url(), {"version": "9"}, follow=True)

    assert "Không có phiên bản 9 của mẫu này." in response.content.decode()
    assert not Template.objects.exists()


def test_restore_is_post_only(admin_client):
    assert admin_client.get(restore_url()).status_code == 405


# --- the action -----------------------------------------------------------------------------


def test_a_save_that_lost_the_race_for_a_version_takes_the_next_one(superuser):
    for body in ("Một", "Của người khác"):
        actions.save_template(
            event="dossier.received", channel="sms", subject="", body=body, by=superuser, now=NOW
        )
    real = actions.highest_version
    # Our save read the highest version before another administrator's save committed 2.
    stale = iter([1])

    def read(event, channel):
        return next(stale, None) or real(event, channel)

    with mock.patch.object(actions, "highest_version", side_effect=read):
        mine = actions.save_template(
            event="dossier.received", channel="sms", subject="", body="Hai", by=superuser, now=NOW
        )

    assert (mine.version, mine.body) == (3, "Hai")
    bodies = dict(Template.objects.values_list("version", "body"))
    assert bodies == {1: "Một", 2: "Của người khác", 3: "Hai"}


@pytest.mark.django_db(transaction=True)
def test_two_administrators_saving_at_once_get_the_next_two_versions(superuser):
    actions.save_template(
        event="dossier.received", channel="sms", subject="", body="Một", by=superuser, now=NOW
    )
    real = actions.highest_version
    # Both read the highest version before either inserts, where the database lets them
    # (SQLite's write lock orders the two saves; the barrier then just times out).
    both_read = threading.Barrier(2, timeout=2)

    def read_together(event, channel):
        found = real(event, channel)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return found

    saved, errors = [], []

    def save(body):
        try:
            template = actions.save_template(
                event="dossier.received",
                channel="sms",
                subject="",
                body=body,
                by=superuser,
                now=NOW,
            )
            saved.append(template.version)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(actions, "highest_version", side_effect=read_together):
        threads = [threading.Thread(target=save, args=(body,)) for body in ("Hai", "Ba")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert sorted(saved) == [2, 3]
    assert sorted(Template.objects.values_list("version", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize(
    ("event", "channel", "message"),
    [
        ("no.such", "sms", "Không có sự kiện"),
        ("dossier.received", "fax", "Không có kênh gửi"),
    ],
)
def test_unknown_events_and_channels_are_refused(superuser, event, channel, message):
    with pytest.raises(actions.InvalidTemplate, match=message):
        actions.save_template(
            event=event, channel=channel, subject="", body="x", by=superuser, now=NOW
        )


def test_loop_variables_and_their_attributes_are_allowed(superuser):
    body = (
        "{% for item in reasons %}{{ item.component|default:'Hồ sơ' }}: {{ item.reason }}"
        "{% if forloop.last %}.{% endif %}{% endfor %}{% with n=reasons|length %}{{ n }}"
        "{% endwith %}"
    )

    template = actions.save_template(
        event="dossier.supplement",
        channel="zalo",
        subject="",
        body=body,
        zns_template_id="1",
        zns_params={},
        by=superuser,
        now=NOW,
    )

    assert template.version == 1


@pytest.mark.parametrize(
    "body",
    [
        "{{ secret }}",
        "{{ dossier_code|default:secret }}",
        "{% if secret and dossier_code %}x{% endif %}",
        "{% if not secret %}x{% endif %}",
        "{% for item in secret %}{{ item }}{% endfor %}",
        "{% for item in reasons %}{% endfor %}{{ item }}",  # the loop variable ends with the loop
        "{% firstof secret dossier_code %}",
    ],
)
def test_variables_outside_the_event_are_refused_wherever_they_hide(superuser, body):
    with pytest.raises(actions.InvalidTemplate, match="Biến không có trong sự kiện này"):
        actions.save_template(
            event="dossier.supplement", channel="sms", subject="", body=body, by=superuser, now=NOW
        )


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.usefixtures("transactional_db")
def test_the_editor_on_a_phone_without_javascript_then_with_axe(
    live_server, phone_page, no_js_phone, superuser
):
    """The list, the editor (with an error and a preview) and the history pass axe and fit a
    phone; without JavaScript the preview and the save still work."""
    from tests.browser.helpers import fits_the_screen, serious_violations, shoot, sign_in_as

    page = no_js_phone
    sign_in_as(page, live_server.url, superuser)
    page.goto(f"{live_server.url}{edit_url()}")
    page.locator("#id_body").fill("Hồ sơ {{ dossier_code }} đã tiếp nhận, hẹn {{ due_at }}.")
    page.get_by_role("button", name="Xem trước").click()
    assert "Ho so 000.00.12.H56-261123-0001 da tiep nhan, hen 17:00 04/12/2026." in page.content()
    assert not Template.objects.exists()
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    assert "Đã lưu phiên bản 1." in page.content()
    assert fits_the_screen(page)

    page = phone_page
    sign_in_as(page, live_server.url, superuser)
    for url in (LIST, edit_url("dossier.received", "zalo"), history_url()):
        page.goto(f"{live_server.url}{url}")
        assert serious_violations(page) == [], url
        assert fits_the_screen(page), url
        shoot(page, "notification-template-" + url.strip("/").replace("/", "-"))
    page.goto(f"{live_server.url}{edit_url(channel='email')}")
    page.locator("#id_subject").fill("")
    page.get_by_role("button", name="Lưu phiên bản mới").click()
    assert "Mẫu chưa hợp lệ" in page.get_by_role("alert").first.inner_text()
    shoot(page, "notification-template-email-error")
    assert serious_violations(page) == []
    assert fits_the_screen(page)
