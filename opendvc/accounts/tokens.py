"""Personal access tokens for the API: made, looked up and revoked here; and the two ways to
sign in to the API (`signed_in`): such a token, or the site's session cookie.

A token reads `odvc_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of the whole
token is stored, so a copy of the database gives no usable token. The token is shown once, when
it is made. Lookups compare hashes in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from opendvc.audit.actions import record

from .models import ApiToken, User

SCHEME = "odvc"
PREFIX_BYTES = 6  # 8 url-safe characters
SECRET_BYTES = 32
NAME_MAX = 100
# Writing last_used_at on every request would turn each read into a write.
TOUCH_EVERY = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be made or revoked as asked; str(error) is for the user."""


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(*, user: User, name: str, now: datetime) -> tuple[ApiToken, str]:
    """Make a token for `user`; return the row and the token itself (shown once, never again).
    Raises TokenError for an empty or long name or an inactive account."""
    name = name.strip()
    if not name or len(name) > NAME_MAX:
        raise TokenError(f"Tên mã truy cập cần có từ 1 đến {NAME_MAX} ký tự.")
    if not user.is_active:
        raise TokenError("Tài khoản đã bị khóa, không thể tạo mã truy cập.")
    prefix = secrets.token_urlsafe(PREFIX_BYTES).replace("_", "x").replace("-", "y")
    raw = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, key_hash=_hash(raw), created_at=now
        )
        record(
            action="accounts.api_token_created",
            actor=user,
            target=token,
            payload={"name": name, "prefix": prefix},
            now=now,
        )
    return token, raw


def revoke_token(*, token: ApiToken, by: User, now: datetime) -> ApiToken:
    """Revoke the token from now on; revoking twice changes nothing.
    Raises TokenError if `by` is not the token's owner."""
    if token.user_id != by.pk:
        raise TokenError("Không tìm thấy mã truy cập.")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            record(
                action="accounts.api_token_revoked",
                actor=by,
                target=token,
                payload={"prefix": token.prefix},
                now=now,
            )
    return token


def user_for_token(raw: str, *, now: datetime) -> User | None:
    """The active owner of an unrevoked token, or None for anything else (unknown, malformed,
    revoked, or an inactive account); records when the token was last used."""
    scheme, _, rest = raw.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or not prefix or not secret:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _hash(raw.strip())):
        return None
    if token.revoked_at is not None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


class BearerToken(HttpBearer):
    """`Authorization: Bearer odvc_…`: a personal access token."""

    openapi_description = (
        "A personal access token, shown once when made (`opendvc create_api_token "
        "<email-or-phone> --name …`, or the account page /tai-khoan/ma-truy-cap-api/). A wrong "
        "or revoked token, or one of a locked account, answers 401 `unauthorized`; it never "
        "falls back to the cookie."
    )
    openapi_bearerFormat = "odvc_<prefix>_<secret>"

    def authenticate(self, request: HttpRequest, token: str):
        user = user_for_token(token, now=timezone.now())
        if user is None:
            raise AuthenticationError()
        request.user = user  # the endpoints read request.user whichever way one signed in
        return user


class CsrfFailed(HttpError):
    code = "csrf_failed"

    def __init__(self) -> None:
        message = "Thiếu hoặc sai mã CSRF (X-CSRFToken) cho yêu cầu đăng nhập bằng cookie."
        super().__init__(403, message)


class SessionCookie(APIKeyCookie):
    """The site's own session cookie. Requests that change something also need the CSRF
    token, checked only once the cookie signs someone in, so that an anonymous request
    answers 401 rather than 403."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = (
        "The session cookie of the site's own pages. POST, PATCH and DELETE also need the "
        "`X-CSRFToken` header (403 `csrf_failed` without it)."
    )

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user


# The token first: a request that names a token is judged by it alone.
signed_in = [BearerToken(), SessionCookie()]
