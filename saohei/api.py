from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.routers import DefaultRouter

from saohei.audit.api import AuditEntryViewSet
from saohei.campaigns.api import DriveViewSet, MeetingViewSet, RegulationViewSet, TargetViewSet
from saohei.cases.api import CaseViewSet
from saohei.clues.api import ClueViewSet
from saohei.entities.api import MentionViewSet, PersonViewSet
from saohei.intake.api import MessageViewSet as ReporterMessageViewSet
from saohei.linkage.api import LinkSuggestionViewSet
from saohei.orgs.api import UnitViewSet, me, obtain_token
from saohei.oversight.api import (
    AllocationViewSet,
    PeriodViewSet,
    PublicityViewSet,
    SpendingViewSet,
    TrainingViewSet,
)
from saohei.rectification.api import InspectionViewSet, ProblemViewSet, TaskViewSet
from saohei.reports.api import stats
from saohei.transfers.api import TransferViewSet

router = DefaultRouter()
router.register("units", UnitViewSet, basename="unit")
router.register("audit-entries", AuditEntryViewSet, basename="auditentry")
router.register("clues", ClueViewSet, basename="clue")
router.register("transfers", TransferViewSet, basename="transfer")
router.register("cases", CaseViewSet, basename="case")
router.register("persons", PersonViewSet, basename="person")
router.register("mentions", MentionViewSet, basename="mention")
router.register("link-suggestions", LinkSuggestionViewSet, basename="linksuggestion")
router.register("assessment-periods", PeriodViewSet, basename="assessmentperiod")
router.register("publicity-activities", PublicityViewSet, basename="publicityactivity")
router.register("fund-allocations", AllocationViewSet, basename="fundallocation")
router.register("fund-spending", SpendingViewSet, basename="fundspending")
router.register("training-sessions", TrainingViewSet, basename="trainingsession")
router.register("inspections", InspectionViewSet, basename="inspection")
router.register("problems", ProblemViewSet, basename="problem")
router.register("tasks", TaskViewSet, basename="task")
router.register("reporter-messages", ReporterMessageViewSet, basename="reportermessage")
router.register("targets", TargetViewSet, basename="target")
router.register("drives", DriveViewSet, basename="drive")
router.register("regulations", RegulationViewSet, basename="regulation")
router.register("meetings", MeetingViewSet, basename="meeting")


@extend_schema(exclude=True)
@api_view(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"])
@authentication_classes([])
@permission_classes([AllowAny])
def not_found(request):
    """An address under /api/ that names nothing (a malformed id, an unknown path) answers
    the API's JSON 404, not the site's HTML page."""
    raise NotFound


urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]),
        name="api-schema",
    ),
    path("token/", obtain_token, name="api-token"),
    path("me/", me, name="api-me"),
    path("stats/", stats, name="api-stats"),
    *router.urls,
    re_path(r"^.*/$", not_found),
]
