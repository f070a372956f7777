"""Reporter messages, read-only, scoped like their clue: /api/reporter-messages/?clue=XS…"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from saohei.core.api import ScopedReadOnlyViewSet

from .models import Message


class MessageSerializer(serializers.ModelSerializer):
    clue = serializers.CharField(source="report.clue.number", read_only=True)
    author = serializers.StringRelatedField(read_only=True)
    attachments = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Message
        fields = ["id", "clue", "kind", "text", "author", "answers", "attachments", "created_at"]


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("clue", str, description="the messages of this clue number")]
    )
)
class MessageViewSet(ScopedReadOnlyViewSet):
    model = Message
    serializer_class = MessageSerializer

    def get_queryset(self):
        qs = (
            super()
            .get_queryset()
            .select_related("report__clue", "author")
            .prefetch_related("attachments")
        )
        clue = self.request.query_params.get("clue")
        if clue:
            qs = qs.filter(report__clue__number=clue)
        return qs.order_by("report_id", "created_at", "id")
