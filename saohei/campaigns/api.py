"""Targets (with today's value, pace and projection), drives and the register, read-only and
scoped like the pages."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.core.api import ScopedReadOnlyViewSet

from .models import Drive, Meeting, Regulation, Target
from .progress import progress


class ProgressField(serializers.Field):
    """The target on the day (?as_of=YYYY-MM-DD, default today): value (a count, or a rate
    0..1), pace per day, projected date, met, will_miss, and the part each unit holds."""

    def to_representation(self, target):
        day = self.context.get("as_of") or timezone.localdate()
        p = progress(target, day, whole_path=False)
        return {
            "as_of": day.isoformat(),
            "value": p.today.value,
            "by_unit": [
                {"unit": unit, "value": value if not isinstance(value, tuple) else list(value)}
                for unit, value in p.today.by_unit.items()
            ],
            "pace_per_day": p.pace,
            "projected": p.projected.isoformat() if p.projected else None,
            "met": p.met,
            "will_miss": p.will_miss,
        }


ProgressField = extend_schema_field({"type": "object"})(ProgressField)


class TargetSerializer(serializers.ModelSerializer):
    progress = ProgressField(source="*", read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "name",
            "measure",
            "days",
            "categories",
            "goal",
            "start",
            "deadline",
            "units",
            "drive",
            "progress",
        ]


AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, description="the day of the progress (default: today)"
)


@extend_schema_view(
    list=extend_schema(parameters=[AS_OF]), retrieve=extend_schema(parameters=[AS_OF])
)
class TargetViewSet(ScopedReadOnlyViewSet):
    model = Target
    serializer_class = TargetSerializer

    def get_queryset(self):
        return super().get_queryset().prefetch_related("units", "drive__units").order_by("pk")

    def get_serializer_context(self):
        import datetime

        context = super().get_serializer_context()
        value = self.request.query_params.get("as_of") if self.request else None
        if value:
            try:
                context["as_of"] = datetime.date.fromisoformat(value)
            except ValueError:
                from rest_framework.exceptions import ValidationError

                message = _("“%(value)s” is not a date: use YYYY-MM-DD, e.g. 2019-06-30.")
                raise ValidationError({"as_of": message % {"value": value}}) from None
        return context


class DriveSerializer(serializers.ModelSerializer):
    clues = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    cases = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)

    class Meta:
        model = Drive
        fields = ["id", "name", "theme", "start", "end", "units", "clues", "cases", "targets"]


class DriveViewSet(ScopedReadOnlyViewSet):
    model = Drive
    serializer_class = DriveSerializer

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "units",
                # A drive's tags name only the clues and cases the reader may open.
                Prefetch("clues", queryset=Clue.objects.visible_to(self.request.user)),
                Prefetch("cases", queryset=Case.objects.visible_to(self.request.user)),
                "targets",
            )
            .order_by("pk")
        )


class RegulationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Regulation
        fields = ["id", "title", "kind", "unit", "issued_on", "state", "replaced_by"]


class RegulationViewSet(ScopedReadOnlyViewSet):
    model = Regulation
    serializer_class = RegulationSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("pk")


class MeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "kind", "held_on", "unit", "attendees", "topics", "minutes", "has_record"]


class MeetingViewSet(ScopedReadOnlyViewSet):
    model = Meeting
    serializer_class = MeetingSerializer

    def get_queryset(self):
        return super().get_queryset().order_by("pk")
