"""The evaluation's pages: the month's tables and the rounds behind a figure (``pages``), and
a grid worker's own month on the phone (``mobile``)."""

from evaluation.views.pages import ExportView, MonthView, RoundsView

__all__ = ["ExportView", "MonthView", "RoundsView"]
