"""API v1: one NinjaAPI with each app's router, one error body for every 4xx.

Endpoints that need someone signed in take `auth=opendvc.accounts.tokens.signed_in`: a
personal access token (`Authorization: Bearer …`) or the site's session cookie. The dossier
routers map their domain errors (api_schemas.py). This module imports no app, so that every
app may import it."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

api = NinjaAPI(
    title="OpenDVC API",
    version="1",
    description="Cổng Dịch vụ công – API. Public endpoints need no sign-in; the applicant's "
    "and the officials' endpoints take a personal access token (`Authorization: Bearer "
    "odvc_…`, made with `opendvc create_api_token` or on the account page) or the site's "
    "session cookie with its CSRF token. Every error answers "
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


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError):
    # An HttpError may name its own code (the session's CSRF check: csrf_failed).
    code = getattr(exc, "code", "error")
    return api.create_response(request, error_body(code, str(exc.message)), status=exc.status_code)


# Routers by dotted path: the apps import error_body from here, so no import cycle.
api.add_router("/", "opendvc.catalog.api.router")
api.add_router("/", "opendvc.directory.api.router")
api.add_router("/", "opendvc.core.api.router")
api.add_router("/", "opendvc.dossiers.api.router")
api.add_router("/", "opendvc.dossiers.api_citizen.router")
api.add_router("/", "opendvc.dossiers.api_staff.router")
api.add_router("/", "opendvc.payments.api.router")
api.add_router("/", "opendvc.feedback.api.router")
api.add_router("/", "opendvc.surveys.api.router")
api.add_router("/", "opendvc.vault.api.router")
api.add_router("/", "opendvc.assistant.api.router")
