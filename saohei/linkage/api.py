"""Link suggestions, read-only, scoped like the pages: a suggestion is listed to whoever sees
both of its items."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from saohei.core.api import ScopedReadOnlyViewSet

from .models import LinkSuggestion, item_kind


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


class LinkSuggestionViewSet(ScopedReadOnlyViewSet):
    model = LinkSuggestion
    serializer_class = LinkSuggestionSerializer

    def get_queryset(self):
        qs = super().get_queryset().select_related("a_clue", "a_case", "b_clue", "b_case")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("-score", "-id")
