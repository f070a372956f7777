"""Oversight API: read-only, scoped like the pages, filtered by the pages' filter sets; a
period's scores as the ranking page computes them."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from saohei.core.api import ScopedReadOnlyViewSet
from saohei.orgs.models import Unit
from saohei.reports.figures import Scope

from .assessment import assess, max_score, units_without_clues
from .filtersets import (
    AllocationFilterSet,
    PublicityFilterSet,
    SpendingFilterSet,
    TrainingFilterSet,
)
from .models import (
    AssessmentItem,
    AssessmentPeriod,
    FundAllocation,
    FundSpending,
    PublicityActivity,
    TrainingSession,
)


class PublicitySerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()

    class Meta:
        model = PublicityActivity
        fields = [
            "id",
            "unit",
            "held_on",
            "kind",
            "title",
            "quantity",
            "outlet",
            "media_reports",
            "text",
            "findings",
        ]


class AllocationSerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()

    class Meta:
        model = FundAllocation
        fields = ["id", "unit", "allocated_on", "amount", "purpose", "source", "document", "note"]


class SpendingSerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()

    class Meta:
        model = FundSpending
        fields = ["id", "unit", "spent_on", "amount", "purpose", "voucher", "note"]


class TrainingSerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()
    topic = serializers.StringRelatedField()

    class Meta:
        model = TrainingSession
        fields = ["id", "unit", "held_on", "topic", "title", "attendees", "note"]


class PeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessmentPeriod
        fields = ["id", "name", "start", "end"]


class PublicityViewSet(ScopedReadOnlyViewSet):
    model = PublicityActivity
    serializer_class = PublicitySerializer
    filterset_class = PublicityFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("unit")


class AllocationViewSet(ScopedReadOnlyViewSet):
    model = FundAllocation
    serializer_class = AllocationSerializer
    filterset_class = AllocationFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("unit")


class SpendingViewSet(ScopedReadOnlyViewSet):
    model = FundSpending
    serializer_class = SpendingSerializer
    filterset_class = SpendingFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("unit")


class TrainingViewSet(ScopedReadOnlyViewSet):
    model = TrainingSession
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("unit", "topic")


SCORES = inline_serializer(
    "AssessmentScores",
    {
        "period": PeriodSerializer(),
        "max_score": serializers.DecimalField(max_digits=7, decimal_places=1),
        "units": serializers.ListField(child=serializers.DictField()),
        "no_clue_units": serializers.ListField(child=serializers.CharField()),
        "no_clue_share": serializers.FloatField(allow_null=True),
    },
)


class PeriodViewSet(ScopedReadOnlyViewSet):
    model = AssessmentPeriod
    serializer_class = PeriodSerializer

    @extend_schema(responses=SCORES)
    @action(detail=True)
    def scores(self, request, pk=None):
        """The ranking of the period's member units: score, rank and each item's points."""
        user = request.user
        if not user.has_perm("oversight.view_ranking"):
            raise PermissionDenied
        period = self.get_object()
        items = list(AssessmentItem.objects.visible_to(user).filter(is_active=True))
        results = assess(
            period,
            Unit.objects.visible_to(user),
            clues=Scope.for_user(user).clues,
            activities=PublicityActivity.objects.visible_to(user),
            items=items,
        )
        silent = units_without_clues(results)
        return Response(
            {
                "period": PeriodSerializer(period).data,
                "max_score": str(max_score(items)),
                "units": [
                    {
                        "unit": str(r.unit),
                        "rank": r.rank,
                        "score": str(r.score),
                        "handed_over": r.handed_over,
                        "items": {i.item.code: str(i.points) for i in r.items},
                    }
                    for r in results
                ],
                "no_clue_units": [str(u) for u in silent.units],
                "no_clue_share": float(silent.share) if silent.share is not None else None,
            }
        )
