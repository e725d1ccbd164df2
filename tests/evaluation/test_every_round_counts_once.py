"""Property: every handling round comes due in exactly one period (``evaluation.md``).

Hypothesis builds a random small history over September–November 2026 with the real
domain functions (dispatches to CGJ or GAJ, resolutions, returns and redispatches, holds
with or without a resume, extensions, reworks, closures, at random delays), then checks,
from the rounds SQL itself and from the department figures:

* each month's ``due`` (summed over departments) is the number of rounds the rounds SQL,
  read as of that month's end, counts as due in it;
* no round is counted in two months;
* read as of the end of November, a round whose ``due_at`` falls in the three months and
  that is not on hold is counted in exactly one month, the one its ``due_at`` falls in; a
  round on hold is counted at most once (in that month); any other round is not counted.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from evaluation.periods import Period, period_of
from evaluation.services import subjects
from evaluation.services.rounds import PER_ROUND_CTE, ROUNDS_CTE, period_params
from incidents import services
from incidents.exceptions import CaseError
from incidents.models import Case
from tests.city import TZ
from tests.evaluation.history import dispatched

MONTHS = [Period(2026, 9), Period(2026, 10), Period(2026, 11)]
FIRST = datetime(2026, 9, 1, tzinfo=TZ)

HOURS = st.sampled_from([0.25, 1, 3, 7, 20, 50, 170, 500])
STEP = st.one_of(
    st.tuples(st.just("resolve"), HOURS),
    st.tuples(st.just("return"), HOURS, st.booleans()),  # sent back to the same department?
    st.tuples(st.just("hold"), HOURS, st.none() | HOURS),  # resumed after that long, or not
    st.tuples(st.just("extend"), HOURS, st.integers(1, 3)),  # working days more
    st.tuples(st.just("reopen"), HOURS),
    st.tuples(st.just("approve"), HOURS),
)
CASE = st.tuples(st.integers(0, 90), st.integers(7, 18), st.booleans(), st.lists(STEP, max_size=4))


def act(city, case: Case, step: tuple, when: datetime) -> datetime:
    """Take one step at ``when``; the time of its last row."""
    case.refresh_from_db()
    officer = city.officer_lead if case.lead_department_id == city.lead.pk else city.officer_assisting
    kind, later = step[0], timedelta(minutes=15)
    if kind == "resolve":
        services.start_case(officer, case, now=when) if case.status == "dispatched" else None
        services.resolve_case(officer, case, note="已处理", now=when)
    elif kind == "return":
        services.return_case(officer, case, reason="不属于本部门职责", now=when)
        other = city.assisting if case.lead_department_id == city.lead.pk else city.lead
        department = case.lead_department if step[2] else other
        services.dispatch_case(city.dispatcher, case, department=department, now=when + later)
        return when + later
    elif kind == "hold":
        services.request_hold(officer, case, reason="等待施工", now=when)
        services.approve_hold(city.dispatcher, case, now=when + later)
        if step[2] is not None:
            when = when + later + timedelta(hours=step[2])
            services.resume_case(city.dispatcher, case, now=when)
            return when
        return when + later
    elif kind == "extend":
        services.request_extension(
            officer, case, reason="需要时间", extra_amount=step[2], extra_unit="working_days", now=when
        )
        services.approve_extension(city.dispatcher, case, now=when + later)
        return when + later
    elif kind == "reopen":
        services.reopen_case(city.dispatcher, case, reason="未处理完", now=when)
    else:
        services.approve_case(city.dispatcher, case, now=when)
    return when


def play(city, plan) -> None:
    day, hour, to_lead, steps = plan
    when = FIRST + timedelta(days=day, hours=hour)
    case = dispatched(city, when, department=city.lead if to_lead else city.assisting)
    for step in steps:
        when += timedelta(hours=step[1])
        try:
            with transaction.atomic():
                when = act(city, case, step, when)
            event(f"{step[0]} taken")  # --hypothesis-show-statistics shows what histories were built
        except CaseError:
            event(f"{step[0]} not possible")  # in the case's state then: the history goes on without it


def counted(period: Period) -> set[tuple[int, int]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {PER_ROUND_CTE} SELECT case_id, round_no FROM per_round WHERE is_due",
            period_params(period.start, period.end),
        )
        return set(cursor.fetchall())


def rounds_as_of(end: datetime) -> dict[tuple[int, int], tuple[datetime | None, bool]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH {ROUNDS_CTE} SELECT case_id, round_no, due_at, held_at_end FROM rounds",
            period_params(MONTHS[0].start, end),
        )
        return {(case, number): (due, held) for case, number, due, held in cursor.fetchall()}


def check() -> None:
    sets = {month: counted(month) for month in MONTHS}
    for month in MONTHS:
        assert sum(row["due"] for row in subjects.departments(month)) == len(sets[month]), month
    everything = [key for month in MONTHS for key in sets[month]]
    assert len(everything) == len(set(everything)), "a round counted in two months"
    final = rounds_as_of(MONTHS[-1].end)
    assert set(everything) <= set(final)
    for key, (due_at, held) in final.items():
        months = [month for month in MONTHS if key in sets[month]]
        if due_at is None or not MONTHS[0].start <= due_at < MONTHS[-1].end:
            assert months == [], key
        elif held:
            assert months in ([], [period_of(due_at)]), key
        else:
            assert months == [period_of(due_at)], key


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(plans=st.lists(CASE, min_size=1, max_size=5))
def test_every_round_comes_due_in_exactly_one_month(city, plans):
    with transaction.atomic():
        for plan in plans:
            play(city, plan)
        check()
        transaction.set_rollback(True)  # the next example starts from the bare city
