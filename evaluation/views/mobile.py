"""我的考核 on the phone (/m/evaluation/): the signed-in grid worker's own figures and score
for the month in progress (provisional) and the month before, and nobody else's.

It lives here, not in ``patrols``, because the layering lets the evaluation use the field
pages (their base template and ``FieldPage``) but not the other way round; the phone's
home page only links to it by URL name.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy

from evaluation.choices import BAND_COLOURS, Band, WorkerFigure
from evaluation.periods import Period, period_of
from evaluation.services import read
from patrols.views.mobile import FieldPage

# What the page shows of a row, in this order: counts, then rates (as percentages).
COUNTS = [
    WorkerFigure.REPORTS,
    WorkerFigure.VALID_REPORTS,
    WorkerFigure.SELF_RESOLVED,
    WorkerFigure.VERIFICATIONS,
    WorkerFigure.VERIFIED_ON_TIME,
    WorkerFigure.PATROL_DAYS_MET,
    WorkerFigure.WORKING_DAYS,
    WorkerFigure.DIARY_ENTRIES,
    WorkerFigure.ERRANDS_DONE,
]
RATES = [WorkerFigure.VALID_RATE, WorkerFigure.PATROL_RATE, WorkerFigure.VERIFY_RATE, WorkerFigure.SATISFACTION_RATE]


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def month_of(period: Period, username: str, *, provisional: bool) -> dict:
    """What the page shows of one month: the worker's own row, ready to print (or no row)."""
    rows = read.rows(period, "workers")
    mine = next((row for row in rows if row["key"] == username), None)
    month = {"period": period, "provisional": provisional, "row": mine}
    if mine is None:
        return month
    band = Band(mine["band"]) if mine["band"] else None
    month.update(
        counts=[(figure.label, mine[figure.value]) for figure in COUNTS],
        rates=[(figure.label, percent(mine[figure.value])) for figure in RATES],
        score=None if mine["score"] is None else f"{mine['score']:.2f}",
        band=band.label if band else None,
        colour=BAND_COLOURS[band] if band else None,
        rank=mine["rank"],
        ranked=sum(1 for row in rows if row["rank"] is not None),
    )
    return month


class MyMonthView(FieldPage):
    """The worker's month: figures, rates, score, band and rank; this month and last."""

    template_name = "evaluation/m/month.html"
    title = gettext_lazy("My evaluation")
    tab = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current = period_of(timezone.now())
        username = self.request.user.get_username()
        context["months"] = [
            month_of(current, username, provisional=True),
            month_of(current.previous(), username, provisional=False),
        ]
        return context
