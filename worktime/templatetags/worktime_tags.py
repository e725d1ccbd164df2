from django import template
from django.utils import timezone

from worktime.calendar import missing_next_year_warning

register = template.Library()


@register.inclusion_tag("worktime/missing_next_year.html")
def next_year_calendar_warning(list_class: str = "messagelist") -> dict:
    """The warning that next year's calendar is missing (the admin's and the console's pages);
    ``list_class`` is the page's class for a list of messages."""
    today = timezone.localdate()
    return {"show": missing_next_year_warning(today), "next_year": today.year + 1, "list_class": list_class}
