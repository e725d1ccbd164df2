"""The SLA clock on case pages: on hold, and the request waiting for the centre."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from incidents.choices import SlaRequestKind, SlaRequestStatus, TimeLimitUnit
from incidents.models import SlaRequest

register = template.Library()


@register.simple_tag
def waiting_request(case) -> SlaRequest | None:
    """The request waiting on ``case`` (no query when none is: ``Case.sla_pending``)."""
    if not case.sla_pending:
        return None
    return (
        SlaRequest.objects.filter(case=case, status=SlaRequestStatus.PENDING)
        .select_related("requested_by", "department")
        .first()
    )


@register.filter
def asked(request: SlaRequest) -> str:
    """What a request asks for, in a few words."""
    if request.kind == SlaRequestKind.HOLD:
        return _("to put the case on hold")
    if request.until is not None:
        return _("a new deadline: %(until)s") % {"until": timezone.localtime(request.until).strftime("%Y-%m-%d %H:%M")}
    amount = request.extra_amount.normalize() if request.extra_amount is not None else ""
    unit = TimeLimitUnit(request.extra_unit).label if request.extra_unit else ""
    return _("%(amount)s %(unit)s more") % {"amount": amount, "unit": unit}
