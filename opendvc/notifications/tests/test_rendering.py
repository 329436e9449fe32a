"""Rendering the text of an event on a channel: the current version or the built-in text, SMS
unaccented on one line within the part limit, Zalo with its ZNS data, and a broken saved
version falling back to the built-in text instead of stopping the notice."""

import logging

import pytest

from opendvc.notifications import rendering
from opendvc.notifications.defaults import DEFAULTS, ZNS_DEFAULTS
from opendvc.notifications.events import EVENTS
from opendvc.notifications.models import Channel, Template
from opendvc.notifications.sms import GSM_7, parts

pytestmark = pytest.mark.django_db

SAMPLE = EVENTS["dossier.received"].sample


def saved(event="dossier.received", channel="sms", version=1, **fields):
    return Template.objects.create(event=event, channel=channel, version=version, **fields)


@pytest.mark.parametrize("event", list(EVENTS))
@pytest.mark.parametrize("channel", list(Channel.values))
def test_every_event_renders_on_every_channel_with_its_sample(event, channel, settings):
    rendered = rendering.render(event, channel, EVENTS[event].sample)

    assert rendered.version == 0 and rendered.template is None
    assert rendered.body.strip()
    assert "{{" not in rendered.body and "{%" not in rendered.body
    if channel == Channel.EMAIL:
        assert rendered.subject and "\n" not in rendered.subject
    if channel == Channel.SMS:
        count = parts(rendered.body)
        assert count.encoding == GSM_7
        assert count.parts <= settings.SMS_MAX_PARTS
    if channel == Channel.ZALO:
        assert rendered.data["template_id"] == ZNS_DEFAULTS[event][0]


@pytest.mark.parametrize("event", list(EVENTS))
def test_the_built_in_sms_fits_one_part_with_the_sample(event):
    rendered = rendering.render(event, Channel.SMS, EVENTS[event].sample)

    assert parts(rendered.body).parts == 1, rendered.body


def test_the_built_in_short_texts_are_written_with_diacritics():
    for (event, channel), text in DEFAULTS.items():
        if channel in (Channel.SMS, Channel.ZALO) and not text.startswith("{{ title }}"):
            assert not text.isascii(), (event, channel)


def test_sms_is_unaccented_on_one_line():
    rendered = rendering.render("dossier.received", Channel.SMS, SAMPLE)

    assert rendered.body == (
        "Ho so 000.00.12.H56-261123-0001 da duoc tiep nhan. Hen tra: 17:00 04/12/2026."
    )


def test_zalo_keeps_the_diacritics_and_fills_the_zns_parameters():
    rendered = rendering.render("dossier.received", Channel.ZALO, SAMPLE)

    assert rendered.body.startswith("Hồ sơ 000.00.12.H56-261123-0001 đã được tiếp nhận.")
    assert rendered.data["template_id"] == "231452"
    assert rendered.data["template_data"]["ma_ho_so"] == "000.00.12.H56-261123-0001"
    assert rendered.data["template_data"]["ngay_hen_tra"] == "17:00 04/12/2026"


def test_zns_values_are_text_cut_to_the_zns_limits():
    saved(
        event="dossier.refused",
        channel="zalo",
        body="{{ reason }}",
        zns_template_id="555001",
        zns_params={"ly_do": "reason", "ten": "applicant_name", "so": "amount", "khong": "note"},
    )
    context = {
        "reason": "Thiếu giấy tờ " * 20,
        "applicant_name": "Công ty TNHH " * 5,
        "amount": 8000,
    }

    data = rendering.render("dossier.refused", Channel.ZALO, context).data

    assert data["template_id"] == "555001"
    values = data["template_data"]
    assert len(values["ly_do"]) == 100 and values["ly_do"].endswith("…")
    assert len(values["ten"]) == 30
    assert values["so"] == "8000"
    assert values["khong"] == ""


def test_email_subject_is_one_line():
    saved(channel="email", subject="Hồ sơ\n{{ dossier_code }}\n  đã nhận", body="Nội dung")

    rendered = rendering.render("dossier.received", Channel.EMAIL, SAMPLE)

    assert rendered.subject == "Hồ sơ 000.00.12.H56-261123-0001 đã nhận"


def test_the_highest_saved_version_is_used():
    saved(version=1, body="Phiên bản một {{ dossier_code }}")
    newest = saved(version=2, body="Phiên bản hai {{ dossier_code }}")

    rendered = rendering.render("dossier.received", Channel.SMS, SAMPLE)

    assert rendered.body == "Phien ban hai 000.00.12.H56-261123-0001"
    assert (rendered.template, rendered.version) == (newest, 2)


def test_no_html_escaping_in_messages():
    saved(body="{{ applicant_name }} <b>&</b>")

    rendered = rendering.render("dossier.received", Channel.SMS, {"applicant_name": "Lê & Lý"})

    assert rendered.body == "Le & Ly <b>&</b>"


def test_a_long_sms_is_cut_to_the_part_limit(settings):
    settings.SMS_MAX_PARTS = 2
    saved(body="{{ reason }}")

    rendered = rendering.render("dossier.refused", Channel.SMS, {"reason": "Thiếu chữ ký. " * 40})

    assert parts(rendered.body).parts == 2
    assert rendered.body.endswith("...")


def test_a_saved_version_with_a_syntax_error_falls_back_to_the_built_in_text(caplog):
    saved(version=1, body="Hồ sơ {% if dossier_code %}{{ dossier_code }}")  # no endif

    with caplog.at_level(logging.ERROR, logger="opendvc.notifications.rendering"):
        rendered = rendering.render("dossier.received", Channel.SMS, SAMPLE)

    assert rendered.version == 0 and rendered.template is None
    assert rendered.body.startswith("Ho so 000.00.12.H56-261123-0001 da duoc tiep nhan.")
    assert "dossier.received/sms" in caplog.text


def test_an_event_without_text_on_a_channel_raises_no_template():
    with pytest.raises(rendering.NoTemplate):
        rendering.render("no.such.event", Channel.SMS, {})


def test_the_current_versions_of_all_events_come_in_one_query(django_assert_num_queries):
    saved(version=1)
    saved(version=2)
    saved(channel="email", version=1, subject="S")

    with django_assert_num_queries(1):
        current = rendering.current_all()

    assert {key: t.version for key, t in current.items()} == {
        ("dossier.received", "sms"): 2,
        ("dossier.received", "email"): 1,
    }
