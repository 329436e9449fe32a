from django.test import RequestFactory

from opendvc.core.http import client_ip


def test_without_trusted_proxies_the_peer_address_is_the_client(settings):
    settings.OPENDVC_TRUSTED_PROXIES = 0
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "203.0.113.9"


def test_behind_one_proxy_the_last_forwarded_address_is_the_client(settings):
    settings.OPENDVC_TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    # 6.6.6.6 was written by the client itself: a spoofing attempt that must not count.
    assert client_ip(request) == "198.51.100.7"


def test_a_missing_forwarded_header_falls_back_to_the_peer(settings):
    settings.OPENDVC_TRUSTED_PROXIES = 2
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert client_ip(request) == "10.0.0.2"
