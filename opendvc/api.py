"""API v1: one NinjaAPI with each app's router, one error body for every 4xx, and the two
ways to sign in: the site's session cookie, or a personal access token."""

from django.conf import settings
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from opendvc.accounts import tokens
from opendvc.dossiers.actions.errors import (
    DossierError,
    IllegalTransition,
    InvalidRequest,
    NotAllowed,
)

api = NinjaAPI(
    title="OpenDVC API",
    version="1",
    description="Cổng Dịch vụ công – API công khai. Every error answers "
    '`{"error": {"code", "message", "details"}}`.',
    urls_namespace="api",
)


class ErrorDetail(Schema):
    field: str
    message: str


class ErrorInfo(Schema):
    code: str
    message: str
    details: list[ErrorDetail]


class ErrorOut(Schema):
    """The one error body of every 4xx answer."""

    error: ErrorInfo


def error_body(code: str, message: str, details: list | None = None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or []}}


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError):
    details = [
        {"field": ".".join(str(p) for p in e.get("loc", [])[1:]), "message": e.get("msg", "")}
        for e in exc.errors
    ]
    return api.create_response(
        request, error_body("invalid_input", "Dữ liệu không hợp lệ.", details), status=422
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, error_body("not_found", "Không tìm thấy."), status=404)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError):
    return api.create_response(request, error_body("unauthorized", "Cần đăng nhập."), status=401)


class CsrfFailed(Exception):
    """A cookie-signed-in request that changes something came without its CSRF token."""


@api.exception_handler(CsrfFailed)
def on_csrf_failed(request: HttpRequest, exc: CsrfFailed):
    message = "Thiếu hoặc sai mã CSRF (X-CSRFToken) cho yêu cầu đăng nhập bằng cookie."
    return api.create_response(request, error_body("csrf_failed", message), status=403)


# Domain errors of the dossier actions, one status each. NotAllowed is only reached once the
# access helper found the dossier visible to the user: what they cannot see answers 404 first.
DOMAIN_ERRORS = {
    IllegalTransition: (409, "illegal_transition"),
    NotAllowed: (403, "forbidden"),
    InvalidRequest: (422, "invalid_request"),
}


@api.exception_handler(DossierError)
def on_dossier_error(request: HttpRequest, exc: DossierError):
    status, code = next(
        (answer for kind, answer in DOMAIN_ERRORS.items() if isinstance(exc, kind)),
        (422, "invalid_request"),
    )
    return api.create_response(request, error_body(code, str(exc)), status=status)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    return api.create_response(
        request, error_body("error", str(exc.message)), status=exc.status_code
    )


class BearerToken(HttpBearer):
    """`Authorization: Bearer odvc_…`: a personal access token (`opendvc create_api_token`)."""

    openapi_description = (
        "A personal access token, shown once when made (`opendvc create_api_token "
        "<email-or-phone> --name …`). A wrong or revoked token, or one of a locked account, "
        "answers 401 `unauthorized`; it never falls back to the cookie."
    )
    openapi_bearerFormat = "odvc_<prefix>_<secret>"

    def authenticate(self, request: HttpRequest, token: str):
        user = tokens.user_for_token(token, now=timezone.now())
        if user is None:
            raise AuthenticationError()
        request.user = user  # the endpoints read request.user whichever way one signed in
        return user


class SessionCookie(APIKeyCookie):
    """The site's own session cookie; requests that change something also need the CSRF token
    (header `X-CSRFToken`), checked only once the cookie signs someone in, so an anonymous
    request answers 401 rather than 403."""

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


# Routers by dotted path: the apps import error_body from here, so no import cycle.
api.add_router("/", "opendvc.catalog.api.router")
api.add_router("/", "opendvc.directory.api.router")
api.add_router("/", "opendvc.core.api.router")
api.add_router("/", "opendvc.dossiers.api.router")
api.add_router("/", "opendvc.dossiers.api_citizen.router")
api.add_router("/", "opendvc.dossiers.api_staff.router")
