"""The OpenAPI schema describes what the API answers, errors included (issue 10: Schemathesis
checks every answer against it).

- Every operation behind authentication may answer 403 (not signed in, or the role may not);
  one with a path parameter 404 (no such row, or not one the user may see); one that takes a
  body or query parameters 400, with the fields' messages. Steps add their 409 themselves
  (CONFLICT below).
- A read-only serializer field over a nullable model field, or over a choice that may be
  blank, says so: DRF drops `allow_null`/`allow_blank` from read-only fields, so the schema
  would otherwise promise a value where the API sends null or "".
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(serializers.Serializer):
    detail = serializers.ListField(child=serializers.CharField())


FIELD_ERRORS = {
    "type": "object",
    "description": "field name (or detail / non_field_errors): its messages",
    "additionalProperties": {
        "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
    },
}

CONFLICT = OpenApiResponse(
    ConflictSerializer, description="someone else moved it first (version), or it is locked"
)


def _model_field(field) -> models.Field | None:
    """The model field a serializer field reads, following dotted sources; None if the
    source is not a model field. A nullable relation on the way makes the result nullable,
    which `_nullable_on_the_way` reports."""
    serializer = getattr(field, "parent", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None or not getattr(field, "source_attrs", None):
        return None
    found = None
    for attr in field.source_attrs:
        if model is None:
            return None
        try:
            found = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return None
        model = found.related_model if found.is_relation else None
    return found


def _nullable_on_the_way(field) -> bool:
    serializer = getattr(field, "parent", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    for attr in getattr(field, "source_attrs", [])[:-1]:
        try:
            step = model._meta.get_field(attr)
        except (FieldDoesNotExist, AttributeError):
            return False
        if step.null:
            return True
        model = step.related_model
    return False


class AutoSchema(openapi.AutoSchema):
    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if field.read_only and not getattr(field, "many", False):
            model_field = _model_field(field)
            if model_field is not None:
                if (model_field.null or _nullable_on_the_way(field)) and not field.allow_null:
                    field.allow_null = True
                if (
                    model_field.blank
                    and isinstance(field, serializers.ChoiceField)
                    and not getattr(field, "allow_blank", False)
                ):
                    field.allow_blank = True
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {}
        if self._takes_input():
            errors["400"] = OpenApiResponse(FIELD_ERRORS, description="the input is refused")
        if not self._open_to_all():
            errors["403"] = OpenApiResponse(
                ErrorSerializer, description="not signed in, or the role may not"
            )
        if "{" in self.path:
            errors["404"] = OpenApiResponse(
                ErrorSerializer, description="no such item, or not one the user may see"
            )
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def _takes_input(self) -> bool:
        if self.method in ("POST", "PUT", "PATCH"):
            return True
        return any(p.get("in") == "query" for p in self._get_parameters())

    def _open_to_all(self) -> bool:
        return all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
