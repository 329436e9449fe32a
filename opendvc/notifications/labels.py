"""The names of states and channels as the pages show them, translatable (the model's choices
are fixed Vietnamese labels for the admin and logs)."""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from .models import Channel, Message

STATES = {
    Message.State.QUEUED: _("Chờ gửi"),
    Message.State.SENDING: _("Đang gửi"),
    Message.State.SENT: _("Đã gửi"),
    Message.State.DELIVERED: _("Đã nhận"),
    Message.State.FAILED: _("Không gửi được"),
}
CHANNELS = {Channel.ZALO: _("Zalo"), Channel.SMS: _("SMS"), Channel.EMAIL: _("E-mail")}


def headline(message: Message) -> str:
    """The subject, or the first line of the body for channels without one (SMS, Zalo)."""
    if message.subject:
        return message.subject
    return next((line.strip() for line in message.body.splitlines() if line.strip()), "")


def labelled(messages: Iterable[Message]) -> list[Message]:
    """The messages with `state_label`, `channel_label` and `headline` set for templates."""
    rows = list(messages)
    for message in rows:
        message.state_label = STATES.get(message.state, message.state)
        message.channel_label = CHANNELS.get(message.channel, message.channel)
        message.headline = headline(message)
    return rows
