"""The provider call shared by the SMS and Zalo adapters: one JSON request through the
transport, with network errors and server errors as temporary failures."""

from django.conf import settings

from ...core import transport
from .base import TemporaryFailure


def call(method: str, url: str, **kwargs) -> dict:
    """The provider's JSON answer. Raises TemporaryFailure when it cannot be had."""
    try:
        reply = transport.current()(method, url, timeout=settings.NOTIFY_HTTP_TIMEOUT, **kwargs)
    except transport.TransportError as error:
        raise TemporaryFailure(f"Không kết nối được nhà cung cấp: {error}"[:300]) from error
    if reply.status >= 500 or reply.status in (408, 429):
        raise TemporaryFailure(f"Nhà cung cấp trả lỗi HTTP {reply.status}")
    try:
        answer = reply.json()
    except ValueError as error:
        raise TemporaryFailure(f"Câu trả lời không đọc được (HTTP {reply.status})") from error
    if not isinstance(answer, dict):
        raise TemporaryFailure(f"Câu trả lời không đúng dạng (HTTP {reply.status})")
    return answer
