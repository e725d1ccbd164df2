"""What the OpenAPI schema (drf-spectacular) says of every operation, in one place.

- **The errors**: each operation documents the error answers it can give, in the API's
  error shape (``gridcenter.api.exception_handler``), unless its view documents them
  itself: 400 (bad input: ``{"field": ["message"]}``; every endpoint refuses, for one, a
  NUL character in a query parameter), 401 (credentials that do not sign in), 403 where a
  role is needed, 404 where the path names an object, 429 where a rate limit applies.
  Errors are JSON whatever the operation answers when it succeeds (GeoJSON, a photo).
- **A required text is more than whitespace** (DRF trims it first): ``pattern: \\S``.
- **A JSON body carries no file**: a field that is a file (``photos``) is documented for
  ``multipart/form-data`` only; the JSON form of the same request is a component of its
  own without it (``postprocess``, a postprocessing hook).
- **A form has no null**: a form field sent empty is null (as DRF reads forms), so the
  form (multipart or urlencoded) of a request documents a nullable field as its value or ``""``.
- **An empty query value is no value**: ``?township=`` filters nothing, as serializers and
  filter sets read query strings; optional query parameters say so (``allowEmptyValue``).

The contract is checked by ``tests/gridcenter/test_api_contract.py`` (schemathesis).
"""

from __future__ import annotations

import copy
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS, AllowAny

JSON = "application/json"
MULTIPART = "multipart/form-data"
FORM = "application/x-www-form-urlencoded"


class ErrorSerializer(serializers.Serializer):
    """``{"detail", "code"}``: every error but bad input (and bad input that is not a field's)."""

    detail = serializers.CharField()
    code = serializers.CharField()


# 400: the fields' messages (``{"field": ["message"]}``), or ``{"detail", "code"}`` for a
# body that does not parse.
BAD_INPUT = {
    "type": "object",
    "additionalProperties": {},
    "description": "`{field: [messages]}`, or `{detail, code}` for a body that does not parse",
}
DESCRIPTIONS = {
    400: "Bad input; nothing was changed",
    401: "Not signed in, or credentials that do not sign in",
    403: "Your role may not do this",
    404: "No such object, or not one you may see",
    429: "Too many requests; try again after `Retry-After` seconds",
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, with every operation's error answers documented (module docstring)."""

    def _error_codes(self) -> list[int]:
        codes = [400, 401]
        if any(not isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            codes.append(403)
        if "{" in self.path:
            codes.append(404)
        if self.method not in SAFE_METHODS or getattr(self.view, "throttle_classes", None):
            codes.append(429)
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            body = BAD_INPUT if code == 400 else ErrorSerializer
            documented = responses.get(str(code))
            if documented is None or "content" not in documented:
                description = (documented or {}).get("description") or DESCRIPTIONS[code]
                answer = OpenApiResponse(body, description=description)
                responses[str(code)] = self._get_response_for_code(answer, str(code), [JSON], direction)
        return dict(sorted(responses.items()))


def _is_file(schema: dict) -> bool:
    items = schema.get("items", {})
    return schema.get("format") == "binary" or (schema.get("type") == "array" and items.get("format") == "binary")


def postprocess(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """The rules of the module docstring that need the whole schema."""
    components = result.get("components", {}).get("schemas", {})
    for name, component in components.items():
        if name.endswith("Request"):
            _non_blank_texts(component)
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            for parameter in operation.get("parameters", []):
                # Not a list (``?status=``): an empty item is an item, and not a valid one.
                is_list = parameter.get("schema", {}).get("type") == "array"
                if parameter.get("in") == "query" and not parameter.get("required") and not is_list:
                    parameter["allowEmptyValue"] = True
            _json_without_files(operation, components)
            for media_type in (MULTIPART, FORM):
                _form_nulls(operation, components, media_type)
    return result


def _non_blank_texts(component: dict) -> None:
    """A required text (``minLength: 1``) is trimmed first: it needs more than whitespace."""
    for prop in component.get("properties", {}).values():
        plain = not any(key in prop for key in ("pattern", "format", "enum"))
        if prop.get("type") == "string" and prop.get("minLength") == 1 and plain:
            prop["pattern"] = r"\S"


def _json_without_files(operation: dict, components: dict) -> None:
    """A request taken as JSON or multipart: the JSON form documents no file fields."""
    content = operation.get("requestBody", {}).get("content", {})
    if JSON not in content or MULTIPART not in content:
        return
    ref = content[JSON].get("schema", {}).get("$ref", "")
    name = ref.rsplit("/", 1)[-1]
    component = components.get(name)
    if component is None or not any(_is_file(p) for p in component.get("properties", {}).values()):
        return
    json_name = f"{name}Json"
    if json_name not in components:
        json_component = copy.deepcopy(component)
        files = [key for key, prop in component["properties"].items() if _is_file(prop)]
        for key in files:
            del json_component["properties"][key]
        if "required" in json_component:
            json_component["required"] = [key for key in json_component["required"] if key not in files]
        components[json_name] = json_component
    content[JSON] = {**content[JSON], "schema": {"$ref": f"#/components/schemas/{json_name}"}}


def _form_nulls(operation: dict, components: dict, media_type: str) -> None:
    """A form (multipart or urlencoded): a nullable field is its value or empty, never a JSON null."""
    media = operation.get("requestBody", {}).get("content", {}).get(media_type)
    name = (media or {}).get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
    component = components.get(name)
    if media is None or component is None:
        return
    nullable = [key for key, prop in component.get("properties", {}).items() if prop.get("nullable")]
    if not nullable:
        return
    form_name = f"{name}Form"
    if form_name not in components:
        form = copy.deepcopy(component)
        for key in nullable:
            prop = {k: v for k, v in form["properties"][key].items() if k != "nullable"}
            form["properties"][key] = {"anyOf": [prop, {"type": "string", "enum": [""]}]}
        components[form_name] = form
    media["schema"] = {"$ref": f"#/components/schemas/{form_name}"}
