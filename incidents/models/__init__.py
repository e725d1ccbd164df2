"""Models of the incidents app, split by topic and re-exported here."""

from incidents.models.taxonomy import MajorCategory, SubCategory

__all__ = ["MajorCategory", "SubCategory"]
