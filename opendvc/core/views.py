from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import worker_state


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: the database must answer; the worker's
    last heartbeat is reported (a stale worker degrades, it does not fail, the web)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = {"status": "ok", "vendor": connection.vendor}
    except Exception as error:  # noqa: BLE001 - any database failure means not ready
        return JsonResponse(
            {"status": "error", "database": {"status": "error", "error": str(error)[:200]}},
            status=503,
        )
    return JsonResponse({"status": "ok", "database": database, "worker": worker_state()})
