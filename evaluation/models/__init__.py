"""Models of the evaluation app, split by topic and re-exported here."""

from evaluation.models.appeals import Appeal
from evaluation.models.publications import FrozenRound, FrozenRow, Publication
from evaluation.models.schemes import Scheme

__all__ = ["Appeal", "FrozenRound", "FrozenRow", "Publication", "Scheme"]
