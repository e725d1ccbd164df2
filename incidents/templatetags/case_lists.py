"""The case lists' sortable column headers: a link that sorts by the column (again: the other way).

``{% sort_header "deadline" _("Deadline") %}`` in a page whose context has ``case_list``
(``incidents.views.lists.CaseList``): the link keeps the filters and drops the page.
"""

from __future__ import annotations

from django import template
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str) -> str:
    listing = context["case_list"]
    query = QueryDict(listing.query, mutable=True)
    current = listing.sort
    ascending = current == key
    query["ordering"] = f"-{key}" if ascending else key
    if current in (key, f"-{key}"):
        state, arrow = ("ascending", "▲") if ascending else ("descending", "▼")
    else:
        state, arrow = "none", ""
    title = _("Sort by %(column)s") % {"column": label}
    return format_html(
        '<th aria-sort="{}"><a href="?{}" class="sort" title="{}" data-sort="{}">{}'
        '<span class="arrow">{}</span></a></th>',
        state,
        query.urlencode(),
        title,
        key,
        label,
        arrow,
    )
