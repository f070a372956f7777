"""Transfer API: the same scoping, filters and steps as the pages."""

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from saohei.cases.models import Case
from saohei.clues.models import Clue
from saohei.core.schema import CONFLICT
from saohei.orgs.models import Unit

from . import actions
from .choices import TransferKind
from .filtersets import TransferFilterSet
from .models import Transfer


class TransferSerializer(serializers.ModelSerializer):
    clue = serializers.SlugRelatedField(slug_field="number", read_only=True)
    case = serializers.SlugRelatedField(slug_field="number", read_only=True)
    from_unit = serializers.StringRelatedField()
    to_unit = serializers.StringRelatedField()
    reason = serializers.SerializerMethodField()
    answer = serializers.SerializerMethodField()

    class Meta:
        model = Transfer
        fields = [
            "number",
            "kind",
            "clue",
            "case",
            "from_unit",
            "to_unit",
            "reason",
            "sent_at",
            "acknowledge_due",
            "answer_due",
            "status",
            "acknowledged_at",
            "answered_at",
            "answer",
            "returned_at",
            "version",
        ]
        read_only_fields = fields

    def _contents(self, obj) -> bool:
        request = self.context.get("request")
        return request is not None and obj.contents_visible_to(request.user)

    def get_reason(self, obj) -> str:
        return obj.reason if self._contents(obj) else ""

    def get_answer(self, obj) -> str:
        return obj.answer if self._contents(obj) else ""


class SendSerializer(serializers.Serializer):
    clue = serializers.CharField(required=False, help_text="clue number")
    case = serializers.CharField(required=False, help_text="case number")
    to_unit = serializers.IntegerField(help_text="unit id")
    kind = serializers.ChoiceField(choices=TransferKind.choices)
    reason = serializers.CharField()
    answer_due = serializers.DateField(required=False)


class TransferStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(choices=["acknowledge", "answer", "return"])
    text = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class TransferPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not (user.is_authenticated and user.has_perm("transfers.view_transfer")):
            return False
        if view.action == "create":
            return user.has_perm("transfers.send_transfer")
        if view.action == "step":
            return user.has_perm("transfers.receive_transfer")
        return True


class TransferViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [TransferPermission]
    serializer_class = TransferSerializer
    filterset_class = TransferFilterSet
    lookup_field = "number"

    def get_queryset(self):
        return Transfer.objects.visible_to(self.request.user).select_related(
            "clue", "case", "from_unit", "to_unit"
        )

    @extend_schema(request=SendSerializer, responses=TransferSerializer)
    def create(self, request):
        s = SendSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        clue = case = None
        if d.get("clue"):
            clue = Clue.objects.visible_to(request.user).filter(number=d["clue"]).first()
            if clue is None:
                raise ValidationError({"clue": ["Unknown clue."]})
        elif d.get("case"):
            case = Case.objects.visible_to(request.user).filter(number=d["case"]).first()
            if case is None:
                raise ValidationError({"case": ["Unknown case."]})
        unit = Unit.objects.visible_to(request.user).filter(pk=d["to_unit"]).first()
        if unit is None:
            raise ValidationError({"to_unit": ["Unknown unit."]})
        try:
            transfer = actions.send(
                request.user,
                to_unit=unit,
                kind=d["kind"],
                reason=d["reason"],
                clue=clue,
                case=case,
                answer_due=d.get("answer_due"),
            )
        except PermissionDenied:
            raise
        except actions.TransferError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(
            TransferSerializer(transfer, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=TransferStepSerializer, responses={200: TransferSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def step(self, request, number=None):
        transfer = self.get_object()
        s = TransferStepSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        kw = {"expected_version": d["version"]} if "version" in d else {}
        try:
            if d["step"] == "acknowledge":
                actions.acknowledge(transfer, request.user, **kw)
            elif d["step"] == "answer":
                actions.answer(transfer, request.user, text=d["text"], **kw)
            else:
                actions.return_transfer(transfer, request.user, reason=d["text"], **kw)
        except actions.TransferConflict as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except actions.TransferError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        return Response(TransferSerializer(transfer, context={"request": request}).data)
