"""Clue API: the same scoping, filters and workflow steps as the pages."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from saohei.core.schema import CONFLICT
from saohei.orgs.models import Unit

from . import actions
from .filtersets import ClueFilterSet
from .forms import STEP_FORMS
from .models import (
    REGISTRATION_FIELDS,
    Clue,
    Move,
    SupervisionNotice,
    VerificationRecord,
)


class MoveSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    unit = serializers.StringRelatedField()

    class Meta:
        model = Move
        fields = ["at", "action", "from_status", "to_status", "actor", "unit", "reason"]


class VerificationSerializer(serializers.ModelSerializer):
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = VerificationRecord
        fields = ["done_on", "work", "evidence", "recorded_by"]


class NoticeSerializer(serializers.ModelSerializer):
    unit = serializers.StringRelatedField()
    issued_by = serializers.StringRelatedField()
    answered_by = serializers.StringRelatedField()

    class Meta:
        model = SupervisionNotice
        fields = [
            "id",
            "level",
            "unit",
            "text",
            "issued_by",
            "created_at",
            "answer_due",
            "acknowledged_at",
            "answered_at",
            "answered_by",
            "answer",
        ]


class ClueSerializer(serializers.ModelSerializer):
    """No informant identity here: it is read only by the custodian, on the page, audited."""

    assigned_unit = serializers.StringRelatedField()
    industry = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Clue
        fields = [
            "number",
            "received_on",
            "source",
            "channel",
            "category",
            "industry",
            "subjects",
            "place",
            "summary",
            "full_text",
            "anonymous",
            "status",
            "assigned_unit",
            "assigned_on",
            "deadline",
            "concluded_on",
            "finding",
            "result",
            "led_to_case",
            "case_number",
            "version",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Clue
        fields = REGISTRATION_FIELDS
        extra_kwargs = {
            f: {"write_only": True}
            for f in ("informant_name", "informant_phone", "informant_id_number")
        }


class StepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=sorted(STEP_FORMS))
    version = serializers.IntegerField(required=False)
    unit = serializers.IntegerField(required=False, help_text="assign: unit id")
    deadline = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    result = serializers.CharField(required=False, allow_blank=True, default="")
    finding = serializers.CharField(required=False, allow_blank=True, default="")
    led_to_case = serializers.BooleanField(required=False, default=False)
    case_number = serializers.CharField(required=False, allow_blank=True, default="")
    until = serializers.DateField(required=False)
    into = serializers.CharField(required=False, help_text="merge: clue number")


class CluePermission(permissions.BasePermission):
    """Reading needs view_clue; registering needs register_clue; each workflow step is
    checked by its action function (role and unit of the user)."""

    def has_permission(self, request, view):
        user = request.user
        if not (user.is_authenticated and user.has_perm("clues.view_clue")):
            return False
        return view.action != "create" or user.has_perm("clues.register_clue")


class ClueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [CluePermission]
    serializer_class = ClueSerializer
    filterset_class = ClueFilterSet
    lookup_field = "number"

    def get_queryset(self):
        return Clue.objects.visible_to(self.request.user).select_related(
            "assigned_unit", "industry"
        )

    def get_serializer_class(self):
        return RegisterSerializer if self.action == "create" else ClueSerializer

    @extend_schema(request=RegisterSerializer, responses=ClueSerializer)
    def create(self, request, *args, **kwargs):
        serializer = RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            clue = actions.register(request.user, received_on=data.pop("received_on"), **data)
        except PermissionDenied:
            raise
        except DjangoValidationError as exc:
            # Always a mapping of field to messages, as the schema's 400 says.
            raise ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
            ) from exc
        return Response(ClueSerializer(clue).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=MoveSerializer(many=True))
    @action(detail=True, pagination_class=None)  # the whole list, as the schema says
    def moves(self, request, number=None):
        clue = self.get_object()
        return Response(MoveSerializer(clue.moves.select_related("actor", "unit"), many=True).data)

    @extend_schema(responses=VerificationSerializer(many=True))
    @action(detail=True, pagination_class=None)  # the whole list, as the schema says
    def verifications(self, request, number=None):
        clue = self.get_object()
        rows = clue.verifications.select_related("recorded_by")
        return Response(VerificationSerializer(rows, many=True).data)

    @extend_schema(responses=NoticeSerializer(many=True))
    @action(detail=True, pagination_class=None)  # the whole list, as the schema says
    def notices(self, request, number=None):
        clue = self.get_object()
        rows = clue.notices.select_related("unit", "issued_by", "answered_by")
        return Response(NoticeSerializer(rows, many=True).data)

    @extend_schema(request=StepSerializer, responses={200: ClueSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"], url_path="step")
    def step(self, request, number=None):
        clue = self.get_object()
        s = StepSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        kw = {"expected_version": d["version"]} if "version" in d else {}
        name = d["step"]
        try:
            if name == "assign":
                unit = Unit.objects.visible_to(request.user).filter(pk=d.get("unit")).first()
                if unit is None:
                    raise ValidationError({"unit": ["Unknown unit."]})
                actions.assign(
                    clue, request.user, unit, deadline=d.get("deadline"), reason=d["reason"], **kw
                )
            elif name == "return":
                actions.return_clue(clue, request.user, reason=d["reason"], **kw)
            elif name == "interim":
                actions.interim(clue, request.user, result=d["result"], **kw)
            elif name == "request_conclusion":
                actions.request_conclusion(
                    clue,
                    request.user,
                    finding=d["finding"],
                    result=d["result"],
                    led_to_case=d["led_to_case"],
                    case_number=d["case_number"],
                    **kw,
                )
            elif name == "park":
                actions.park(clue, request.user, reason=d["reason"], until=d.get("until"), **kw)
            elif name == "merge":
                into = self.get_queryset().filter(number=d.get("into", "")).first()
                if into is None:
                    raise ValidationError({"into": ["Unknown clue."]})
                actions.merge(clue, request.user, into=into, reason=d["reason"], **kw)
            else:
                getattr(actions, name)(clue, request.user, reason=d["reason"], **kw)
        except actions.ConflictError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except actions.WorkflowError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(ClueSerializer(clue).data)
