"""The adapter of each channel, chosen by settings (sandbox by default)."""

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Adapter

ADAPTERS = {
    "email": {
        "mail": "opendvc.notifications.channels.email.EmailAdapter",
        "sandbox": "opendvc.notifications.channels.sandbox.SandboxEmail",
    },
    "sms": {
        "esms": "opendvc.notifications.channels.esms.EsmsAdapter",
        "sandbox": "opendvc.notifications.channels.sandbox.SandboxSms",
    },
    "zalo": {
        "zns": "opendvc.notifications.channels.zns.ZnsAdapter",
        "sandbox": "opendvc.notifications.channels.sandbox.SandboxZalo",
    },
}


def adapter_for(channel: str) -> Adapter:
    provider = settings.NOTIFY_PROVIDERS[channel]
    return import_string(ADAPTERS[channel][provider])()
