"""The API's JSON parser (``DEFAULT_PARSER_CLASSES``): DRF's, with a bound on nesting.

Python's JSON decoder recurses once per level: a body nested a few thousand deep raises
``RecursionError`` (a 500), and one nested just below that makes every later walk over
the data slow and fragile. No request of this API nests deeper than a few levels, so a
body deeper than ``MAX_DEPTH`` is a 400 (``parse_error``), like malformed JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32  # objects and arrays inside one another; a track batch needs 3


def depth_exceeds(data: Any, limit: int) -> bool:
    """Whether ``data`` nests objects and arrays more than ``limit`` deep (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children: Iterable[Any] = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        message = _("The JSON body is nested too deeply (at most %(limit)d levels).") % {"limit": MAX_DEPTH}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(message) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(message)
        return data
