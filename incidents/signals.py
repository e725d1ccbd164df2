"""Drop the cached category tree whenever what it shows changes."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from departments.models import Department
from incidents.catalog import invalidate_category_tree
from incidents.models import MajorCategory, SubCategory


def _invalidate(sender, **kwargs) -> None:
    invalidate_category_tree()


def connect() -> None:
    for model in (MajorCategory, SubCategory, Department):
        post_save.connect(_invalidate, sender=model, dispatch_uid=f"category-tree-save-{model.__name__}")
        post_delete.connect(_invalidate, sender=model, dispatch_uid=f"category-tree-delete-{model.__name__}")
    m2m_changed.connect(
        _invalidate, sender=SubCategory.assisting_departments.through, dispatch_uid="category-tree-assisting"
    )
