"""The taxonomy as the phone's category picker reads it: a tree, cached, and a search.

The full tree is cached in the Django cache per language (the time-limit text is
translated) and dropped whenever a category, sub-item or department changes
(incidents/signals.py). While Redis is down the tree is built from the database.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch, Q
from django.utils.translation import get_language
from redis.exceptions import RedisError

from departments.models import Department
from incidents.models import SubCategory

logger = logging.getLogger(__name__)
CACHE_KEY = "incidents:category-tree:v1:{language}"
CACHE_SECONDS = 24 * 3600


def category_tree(query: str = "") -> list[dict[str, Any]]:
    """Active major categories with their active sub-items; with ``query``, only sub-items whose
    Chinese name contains it (or whose code starts with it), grouped the same way."""
    query = query.strip()
    if query:
        return _build(query)
    key = CACHE_KEY.format(language=get_language() or settings.LANGUAGE_CODE)
    try:
        tree = cache.get(key)
    except RedisError:  # Redis down: the phones still get their picker, from the database
        return _build("")
    if tree is None:
        tree = _build("")
        try:
            cache.set(key, tree, CACHE_SECONDS)
        except RedisError:
            logger.warning("could not cache the category tree")
    return tree


def invalidate_category_tree() -> None:
    cache.delete_many([CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES])


def _build(query: str) -> list[dict[str, Any]]:
    from incidents.api.serializers import MajorCategoryNodeSerializer

    subs = (
        SubCategory.objects.filter(is_active=True, major__is_active=True)
        .select_related("major", "lead_department")
        .prefetch_related(Prefetch("assisting_departments", queryset=Department.objects.only("code", "name")))
        .order_by("major__code", "code")
    )
    if query:
        subs = subs.filter(Q(name__icontains=query) | Q(code__startswith=query))
    nodes: list[dict[str, Any]] = []
    for sub in subs:
        if not nodes or nodes[-1]["major"].pk != sub.major_id:
            nodes.append({"major": sub.major, "subcategories": []})
        nodes[-1]["subcategories"].append(sub)
    return _plain(MajorCategoryNodeSerializer(nodes, many=True).data)


def _plain(value: Any) -> Any:
    """Serializer output as plain lists/dicts/strings (cacheable, no lazy objects)."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
