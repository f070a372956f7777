from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from saohei.core.api import ScopedReadOnlyViewSet

from .filtersets import UnitFilterSet
from .models import Unit


class UnitSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    jurisdiction = serializers.StringRelatedField()

    class Meta:
        model = Unit
        fields = [
            "id",
            "name",
            "short_name",
            "kind",
            "kind_display",
            "parent",
            "jurisdiction",
            "is_active",
        ]


class UnitViewSet(ScopedReadOnlyViewSet):
    model = Unit
    serializer_class = UnitSerializer
    filterset_class = UnitFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("jurisdiction")


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    unit = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def me(request):
    user = request.user
    return Response(
        MeSerializer(
            {
                "username": user.username,
                "full_name": user.full_name,
                "unit": str(user.unit) if user.unit else None,
                "roles": sorted(user.roles),
            }
        ).data
    )
