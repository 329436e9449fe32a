"""The one way OpenDVC speaks HTTP to a provider: a payment gateway, an SMS or Zalo API (and
the sandbox gateway to a merchant).

A transport is a callable `(method, url, *, params=None, json_body=None, timeout=...) -> Reply`.
The default uses the standard library; tests swap it with `use(...)` (for instance for
`client_transport(client)`, which routes every call to the Django test client), so neither the
tests nor the sandbox gateway need a network.
"""

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


Transport = Callable[..., Reply]


class TransportError(Exception):
    """The other side could not be reached (network error, timeout)."""


def http_transport(
    method: str,
    url: str,
    *,
    params: Mapping[str, str] | None = None,
    json_body: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = 15.0,
) -> Reply:
    """Send one request with urllib; an HTTP error status is a Reply, not an exception."""
    if params:
        url = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
    data, headers = None, {"Accept": "application/json", **(headers or {})}
    if json_body is not None:
        data = json.dumps(json_body, ensure_ascii=False).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Reply(response.status, response.read().decode("utf-8", "replace"))
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TransportError(str(error)) from error


_current: list[Transport] = [http_transport]


def current() -> Transport:
    return _current[-1]


@contextmanager
def use(transport: Transport) -> Iterator[Transport]:
    """Send every provider call made inside the block through `transport`."""
    _current.append(transport)
    try:
        yield transport
    finally:
        _current.remove(transport)


def client_transport(client: Any) -> Transport:
    """A transport over a Django test `Client`: absolute URLs are reduced to their path, so
    calls to SITE_URL/... reach this site's views in-process."""

    def send(
        method: str,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        json_body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float = 15.0,
    ) -> Reply:
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in (headers or {}).items()}
        parts = urllib.parse.urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if method == "GET":
            response = client.get(path, data=dict(params or {}), **extra)
        else:
            response = client.post(
                path, data=json.dumps(json_body or {}), content_type="application/json", **extra
            )
        return Reply(response.status_code, response.content.decode("utf-8", "replace"))

    return send
