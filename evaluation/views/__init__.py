"""The evaluation's pages: a month's tables and trend, the rounds behind a figure, the Excel export
(``pages``); appeals (``appeals``); the scoring scheme (``scheme``); a grid worker's own month on
the phone (``mobile``)."""

from evaluation.views.appeals import AppealListView, AppealView, DecisionView
from evaluation.views.pages import ExportView, MonthView, RoundsView
from evaluation.views.scheme import SchemeView

__all__ = ["AppealListView", "AppealView", "DecisionView", "ExportView", "MonthView", "RoundsView", "SchemeView"]
