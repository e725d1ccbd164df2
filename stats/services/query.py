"""What a statistics request asks for: a period, one or two dimensions, the case list's filters.

``parse`` turns a query string into a ``Query`` or raises ``ValidationError`` with field
messages (the API answers 400 with them, the page shows them). The filters are the case
list's own (``incidents.filtersets.CaseFilterSet``, same names), so a number links to the
console's case list with the same parameters (``case_list_url``).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from accounts.roles import CENTRE_ROLES, has_role
from gridcenter import dates
from incidents.filtersets import CaseFilterSet
from incidents.models import Case

# The dimensions a breakdown groups by (the API's ``by``), in the order the page offers them.
ALL_DIMENSIONS = (
    "category",
    "subcategory",
    "source",
    "township",
    "community",
    "grid",
    "department",
    "status",
    "day",
    "week",
    "month",
    "hour",
    "weekday",
)
TIME_DIMENSIONS = frozenset({"day", "week", "month", "hour", "weekday"})
MAX_DIMENSIONS = 2
# Parameters of a request that are not case filters.
OWN_PARAMS = frozenset({"by", "from", "to", "format", "table", "page", "csrfmiddlewaretoken"})
DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Query:
    start: date
    end: date  # inclusive
    dims: tuple[str, ...] = ("category",)
    filters: dict[str, list[str]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def shifted(self, start: date, end: date) -> Query:
        return replace(self, start=start, end=end)

    def with_dims(self, *dims: str) -> Query:
        return replace(self, dims=tuple(dims))

    def params(self) -> dict[str, list[str]]:
        """The query string that asks for this again (pages, exports)."""
        own = {"from": [self.start.isoformat()], "to": [self.end.isoformat()], "by": [",".join(self.dims)]}
        return {**self.filters, **own}

    @classmethod
    def from_params(cls, params: dict[str, list[str]], *, max_days: int | None = None) -> Query:
        data = QueryDict(mutable=True)
        for key, values in params.items():
            data.setlist(key, values)
        return parse(data, max_days=max_days)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _day(data: QueryDict, name: str, errors: dict, default: date) -> date:
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    field_ = dates.SerializerDateField()
    try:
        return field_.run_validation(raw)
    except ValidationError as error:
        errors[name] = error.detail
        return default


def _dims(data: QueryDict, errors: dict) -> tuple[str, ...]:
    raw = [part.strip() for part in (data.get("by") or "category").split(",") if part.strip()]
    unknown = [name for name in raw if name not in ALL_DIMENSIONS]
    if unknown:
        errors["by"] = [
            _("Unknown dimension %(unknown)s; allowed: %(allowed)s.")
            % {"unknown": ", ".join(unknown), "allowed": ", ".join(ALL_DIMENSIONS)}
        ]
    elif not raw or len(raw) > MAX_DIMENSIONS or len(set(raw)) != len(raw):
        errors["by"] = [_("Give one or two different dimensions, e.g. by=township,month.")]
    return tuple(dict.fromkeys(raw))


def _filters(data: QueryDict, errors: dict) -> dict[str, list[str]]:
    wanted = {key: [v for v in data.getlist(key) if v != ""] for key in data if key not in OWN_PARAMS}
    wanted = {key: values for key, values in wanted.items() if values}
    unknown = sorted(set(wanted) - set(CaseFilterSet.base_filters))
    if unknown:
        errors.update({key: [_("Unknown filter.")] for key in unknown})
    filterset = CaseFilterSet(_querydict(wanted), queryset=Case.objects.none())
    if not filterset.is_valid():
        errors.update({key: [str(m) for m in messages] for key, messages in filterset.errors.items()})
    return {key: values for key, values in wanted.items() if key not in unknown}


def parse(data: QueryDict, *, max_days: int | None = None) -> Query:
    """The request's query, checked: dates, their order and span, dimensions, filters."""
    errors: dict[str, list] = {}
    today = timezone.localdate()
    end = _day(data, "to", errors, today)
    start = _day(data, "from", errors, end - timedelta(days=DEFAULT_DAYS - 1))
    dims = _dims(data, errors)
    filters = _filters(data, errors)
    limit = settings.STATS_MAX_DAYS if max_days is None else max_days
    if not errors and start > end:
        errors["to"] = [_("The end of the period comes before its start.")]
    elif not errors and (end - start).days + 1 > limit:
        errors["to"] = [
            _("A period of at most %(days)s days is answered at once; export a longer one to Excel or CSV.")
            % {"days": limit}
        ]
    if errors:
        raise ValidationError(errors)
    return Query(start=start, end=end, dims=dims, filters=filters)


def messages(error: ValidationError) -> dict[str, list[str]]:
    """The field messages of a ``parse`` error."""
    detail = error.detail if isinstance(error.detail, dict) else {"by": error.detail}
    return {key: [str(m) for m in (value if isinstance(value, list) else [value])] for key, value in detail.items()}


def _querydict(filters: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in filters.items():
        data.setlist(key, values)
    return data


def cases(user, query: Query) -> QuerySet[Case]:
    """The cases behind a query: visible to ``user``, reported in the period, filtered."""
    visible = Case.objects.visible_to(user).filter(
        created_at__gte=start_of_day(query.start), created_at__lt=start_of_day(query.end + timedelta(days=1))
    )
    if not query.filters:
        return visible
    return CaseFilterSet(_querydict(query.filters), queryset=visible).qs


def case_list_url(user, query: Query, extra: dict[str, str] | None, start: date | None = None, end: date | None = None):
    """The console's case list showing the cases behind a number, or "" where no list can show them
    (a department's officers have no filtered case list; some dimensions have no filter there)."""
    if extra is None or not has_role(user, *CENTRE_ROLES):
        return ""
    params: dict[str, list[str]] = {key: list(values) for key, values in query.filters.items()}
    params["created_after"] = [(start or query.start).isoformat()]
    params["created_before"] = [(end or query.end).isoformat()]
    for key, value in extra.items():
        params[key] = [value]
    return f"{reverse('console-search')}?{urlencode(params, doseq=True)}"
