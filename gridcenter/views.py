import json
import logging

from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from redis.exceptions import RedisError

from gridcenter.clientip import client_ip
from gridcenter.health import run_checks

csp_logger = logging.getLogger("gridcenter.csp")
CSP_REPORT_MAX_BYTES = 16_384
CSP_REPORTS_PER_MINUTE = 30  # logged per client address; past it, 429 and nothing logged
CSP_REPORT_FIELDS = 16  # of one report, each value cut to 300 characters


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


@csrf_exempt
@require_POST
def csp_report(request):
    """A browser's report of a Content-Security-Policy violation (``report-uri``), logged as
    one line on the ``gridcenter.csp`` logger. 204 when logged; 400 for a body that is not a
    report, 413 for one over 16 KiB, 429 past the per-address limit; never a 500."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return HttpResponse(status=400)
    if length > CSP_REPORT_MAX_BYTES:
        return HttpResponse(status=413)
    body = request.body[: CSP_REPORT_MAX_BYTES + 1]
    try:
        report = json.loads(body) if len(body) <= CSP_REPORT_MAX_BYTES else None
    except (ValueError, RecursionError):
        report = None
    # report-uri sends {"csp-report": {...}}; the Reporting API a list of {"body": {...}}.
    if isinstance(report, list) and report and isinstance(report[0], dict):
        report = report[0].get("body")
    elif isinstance(report, dict):
        report = report.get("csp-report")
    if not isinstance(report, dict) or not report:
        return HttpResponse(status=400)
    if not _within_report_limit(client_ip(request)):
        return HttpResponse(status=429)
    fields = {
        str(key)[:60]: value if isinstance(value, int | float | bool) or value is None else str(value)[:300]
        for key, value in list(report.items())[:CSP_REPORT_FIELDS]
    }
    csp_logger.warning("CSP violation %s", json.dumps(fields, ensure_ascii=False, sort_keys=True))
    return HttpResponse(status=204)


def _within_report_limit(address: str | None) -> bool:
    """Counts the address's reports in this minute; with Redis down, every report is logged."""
    key = f"csp-report:{address}"
    try:
        cache.add(key, 0, timeout=60)
        return cache.incr(key) <= CSP_REPORTS_PER_MINUTE
    except (RedisError, OSError, ValueError):
        return True
