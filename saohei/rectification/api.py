"""Rectification API: inspections, problems and tasks, scoped as the pages are (visible_to),
filtered as the task list is (TaskFilterSet), with the task's steps through the same
actions."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from saohei.core.api import ScopedReadOnlyViewSet
from saohei.core.schema import CONFLICT

from . import actions
from .filtersets import TaskFilterSet
from .models import Inspection, Problem, Task


class InspectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Inspection
        fields = ["id", "kind", "title", "inspecting_body", "date", "follows"]
        read_only_fields = fields


class ProblemSerializer(serializers.ModelSerializer):
    category = serializers.StringRelatedField()
    units_concerned = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Problem
        fields = ["id", "inspection", "number", "category", "text", "units_concerned"]
        read_only_fields = fields


class TaskSerializer(serializers.ModelSerializer):
    inspection = serializers.IntegerField(source="problem.inspection_id", read_only=True)
    category = serializers.CharField(source="problem.category.name", read_only=True)
    responsible_unit_name = serializers.CharField(source="responsible_unit.name", read_only=True)

    class Meta:
        model = Task
        fields = [
            "id",
            "inspection",
            "problem",
            "category",
            "measures",
            "milestones",
            "responsible_unit",
            "responsible_unit_name",
            "responsible_person",
            "set_on",
            "deadline",
            "status",
            "signed_off_at",
            "sign_off_note",
            "version",
        ]
        read_only_fields = fields


class TaskStepSerializer(serializers.Serializer):
    step = serializers.ChoiceField(
        choices=["progress", "report_done", "sign_off", "send_back", "reopen"]
    )
    text = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="progress, note or reason"
    )
    evidence_checked = serializers.BooleanField(required=False, default=False)
    deadline = serializers.DateField(required=False, help_text="new deadline (reopen)")
    version = serializers.IntegerField(required=False)


class InspectionViewSet(ScopedReadOnlyViewSet):
    model = Inspection
    serializer_class = InspectionSerializer


class ProblemViewSet(ScopedReadOnlyViewSet):
    model = Problem
    serializer_class = ProblemSerializer

    def get_queryset(self):
        return super().get_queryset().select_related("category").prefetch_related("units_concerned")


class TaskPermission(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return user.is_authenticated and user.has_perm("rectification.view_task")


class TaskViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [TaskPermission]
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet

    def get_queryset(self):
        return Task.objects.visible_to(self.request.user).select_related(
            "problem__category", "responsible_unit"
        )

    @extend_schema(request=TaskStepSerializer, responses={200: TaskSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def step(self, request, pk=None):
        """Report progress or the task done (the responsible unit; files through the page),
        sign off, send back or reopen (the office)."""
        task = self.get_object()
        s = TaskStepSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        kw = {"expected_version": d["version"]} if "version" in d else {}
        user, text = request.user, d["text"]
        try:
            if d["step"] in ("progress", "report_done"):
                actions.report_progress(
                    task, user, text=text, done=d["step"] == "report_done", **kw
                )
            elif d["step"] == "sign_off":
                actions.sign_off(
                    task, user, note=text, evidence_checked=d["evidence_checked"], **kw
                )
            elif d["step"] == "send_back":
                actions.send_back(task, user, reason=text, **kw)
            else:
                if "deadline" not in d:
                    raise ValidationError({"deadline": ["Set the new deadline."]})
                actions.reopen(task, user, reason=text, deadline=d["deadline"], **kw)
        except PermissionDenied:
            raise
        except actions.ConflictError as exc:
            return Response({"detail": exc.messages}, status=status.HTTP_409_CONFLICT)
        except actions.RectificationError as exc:
            raise ValidationError({"detail": exc.messages}) from exc
        task.refresh_from_db()
        return Response(TaskSerializer(task, context={"request": request}).data)
