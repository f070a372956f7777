"""GET /api/stats/?as_of=YYYY-MM-DD[&start=YYYY-MM-DD]: the figures of the dashboard, the
tables and the briefing, from the same function, over what the user may count."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from .figures import Scope, figures


class ReadsFigures(permissions.BasePermission):
    def has_permission(self, request, view):
        # Every business role counts what it may count (Scope.for_user); the three officers
        # read no case data, not even counts.
        return request.user.is_authenticated and request.user.has_perm("clues.view_clue")


def day_param(request, name: str, default=None) -> datetime.date | None:
    value = request.query_params.get(name)
    if not value:
        return default
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError({name: ["Use YYYY-MM-DD, e.g. 2019-06-30."]}) from exc


@extend_schema(
    parameters=[
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="default: today"),
        OpenApiParameter("start", OpenApiTypes.DATE, description="count flows from this day"),
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
@permission_classes([ReadsFigures])
def stats(request):
    from django.utils import timezone

    as_of = day_param(request, "as_of", timezone.localdate())
    start = day_param(request, "start")
    if start and start > as_of:
        raise ValidationError({"start": ["start is after as_of."]})
    return Response(figures(as_of, Scope.for_user(request.user), start=start))
