from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gridcenter.health import run_checks


@never_cache
@require_GET
def healthz(request):
    """200 when PostgreSQL, Redis and a Celery worker all answer; 503 naming what failed."""
    report = run_checks()
    failed = sorted(name for name, state in report.items() if state != "ok")
    status = 503 if failed else 200
    body: dict[str, str | list[str]] = dict(report)
    if failed:
        body["failed"] = failed
    return JsonResponse(body, status=status)
