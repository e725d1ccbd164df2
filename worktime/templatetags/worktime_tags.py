from django import template
from django.utils import timezone

from worktime.calendar import missing_next_year_warning

register = template.Library()


@register.inclusion_tag("worktime/missing_next_year.html")
def next_year_calendar_warning() -> dict:
    today = timezone.localdate()
    return {"show": missing_next_year_warning(today), "next_year": today.year + 1}
