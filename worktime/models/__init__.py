"""The official working-time calendar."""

from worktime.models.days import CalendarDay

__all__ = ["CalendarDay"]
