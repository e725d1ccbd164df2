"""The wall screen's trigger-maintained tallies."""

from dashboard.models.tallies import Tally, TallyDelta

__all__ = ["Tally", "TallyDelta"]
