"""Case API: the same scoping, filters and stage steps as the pages."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from saohei.clues.models import Clue
from saohei.core.schema import CONFLICT
from saohei.orgs.models import Unit

from . import actions
from .filtersets import CaseFilterSet
from .models import Asset, Case, Official, StageMove, Suspect, ThreeWayCheck


class SuspectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Suspect
        fields = ["name", "role", "outcome", "sentence", "is_public_official"]


class AssetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Asset
        fields = ["kind", "measure", "description", "count", "amount", "on"]


class OfficialSerializer(serializers.ModelSerializer):
    class Meta:
        model = Official
        fields = [
            "name",
            "employer",
            "position",
            "rank",
            "is_public_official",
            "outcome",
            "outcome_on",
        ]


class CheckSerializer(serializers.ModelSerializer):
    responsible_unit = serializers.StringRelatedField()
    discipline_case = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = ThreeWayCheck
        fields = ["part", "responsible_unit", "status", "result", "discipline_case", "recorded_on"]


class StageMoveSerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()
    actor = serializers.StringRelatedField()

    class Meta:
        model = StageMove
        fields = ["at", "action", "from_stage", "to_stage", "unit", "actor", "reason"]


class CaseSerializer(serializers.ModelSerializer):
    handling_unit = serializers.StringRelatedField()
    opening_unit = serializers.StringRelatedField()
    charges = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    clues = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    protects = serializers.SlugRelatedField(slug_field="number", read_only=True)
    suspects = SuspectSerializer(many=True, read_only=True)
    assets = AssetSerializer(many=True, read_only=True)
    checks = CheckSerializer(many=True, read_only=True)
    missing_checks = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Case
        fields = [
            "number",
            "name",
            "kind",
            "charges",
            "summary",
            "clues",
            "opened_on",
            "opening_unit",
            "handling_unit",
            "stage",
            "stage_since",
            "closed_on",
            "closing_reason",
            "protects",
            "is_typical",
            "typical_summary",
            "is_oil",
            "crude_oil_tonnes",
            "oil_sites",
            "suspects",
            "assets",
            "checks",
            "missing_checks",
            "version",
        ]
        read_only_fields = fields


class CaseStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=sorted(actions.STEPS))
    unit = serializers.IntegerField(required=False, help_text="unit taking over")
    closing_reason = serializers.CharField(required=False, allow_blank=True, default="")
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class CasePermission(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user.is_authenticated and user.has_perm("cases.view_case")):
            return False
        return view.action != "step" or user.has_perm("cases.handle_case")


class CaseViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CasePermission]
    serializer_class = CaseSerializer
    filterset_class = CaseFilterSet
    lookup_field = "number"

    def get_queryset(self):
        user = self.request.user
        return (
            Case.objects.visible_to(user)
            .select_related("handling_unit", "opening_unit", "protects")
            .prefetch_related(
                "charges",
                # As on the case page: only the clues the reader may open are named.
                Prefetch("clues", queryset=Clue.objects.visible_to(user)),
                "suspects",
                "assets",
                "checks__responsible_unit",
            )
        )

    @extend_schema(responses=StageMoveSerializer(many=True))
    @action(detail=True, pagination_class=None)  # the whole list, as the schema says
    def moves(self, request, number=None):
        case = self.get_object()
        rows = case.moves.select_related("unit", "actor")
        return Response(StageMoveSerializer(rows, many=True).data)

    @extend_schema(responses=OfficialSerializer(many=True))
    @action(detail=True, pagination_class=None)  # the whole list, as the schema says
    def officials(self, request, number=None):
        case = self.get_object()
        return Response(OfficialSerializer(case.officials.all(), many=True).data)

    @extend_schema(request=CaseStepSerializer, responses={200: CaseSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def step(self, request, number=None):
        case = self.get_object()
        s = CaseStepSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        unit = None
        if d.get("unit") is not None:
            unit = Unit.objects.visible_to(request.user).filter(pk=d["unit"]).first()
            if unit is None:
                raise ValidationError({"unit": ["Unknown unit."]})
        try:
            actions.move(
                case,
                d["step"],
                request.user,
                unit=unit,
                reason=d["reason"],
                closing_reason=d["closing_reason"],
                expected_version=d.get("version"),
            )
        except actions.CaseConflict as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except actions.CaseError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(CaseSerializer(self.get_queryset().get(pk=case.pk)).data)
