"""Link suggestions, read-only, scoped like the pages: a suggestion is listed to whoever sees
both of its items."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from saohei.core.api import ScopedReadOnlyViewSet

from .models import LinkStatus, LinkSuggestion, item_kind


@extend_schema_field(
    {"type": "object", "properties": {"kind": {"type": "string"}, "number": {"type": "string"}}}
)
class ItemField(serializers.Field):
    def to_representation(self, item):
        return {"kind": item_kind(item), "number": item.number}


class LinkSuggestionSerializer(serializers.ModelSerializer):
    a = ItemField(source="item_a", read_only=True)
    b = ItemField(source="item_b", read_only=True)

    class Meta:
        model = LinkSuggestion
        fields = ["id", "a", "b", "score", "reasons", "kinds", "status", "decided_at", "note"]


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=LinkStatus.values, description="only these")
        ]
    )
)
class LinkSuggestionViewSet(ScopedReadOnlyViewSet):
    model = LinkSuggestion
    serializer_class = LinkSuggestionSerializer

    def get_queryset(self):
        qs = super().get_queryset().select_related("a_clue", "a_case", "b_clue", "b_case")
        status = self.request.query_params.get("status")
        if status:
            if status not in LinkStatus.values:
                message = _("Unknown status “%(value)s”: use one of %(choices)s.")
                choices = "、".join(LinkStatus.values)
                raise ValidationError({"status": [message % {"value": status, "choices": choices}]})
            qs = qs.filter(status=status)
        return qs.order_by("-score", "-id")
