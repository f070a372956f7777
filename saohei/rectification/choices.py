from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    PATROL = "patrol", _("inspection tour")  # 巡察
    SUPERVISION = "supervision", _("supervision visit")  # 督导
    FOLLOW_UP = "follow_up", _("follow-up review")  # 回头看


class TaskStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("being rectified")  # 整改中
    REPORTED = "reported", _("reported done")  # 已报完成（待销号）
    SIGNED_OFF = "signed_off", _("signed off")  # 已销号
    REOPENED = "reopened", _("reopened")  # 回头看重新整改


class EventKind(models.TextChoices):
    CREATED = "created", _("task set")
    PROGRESS = "progress", _("progress reported")
    REPORTED = "reported", _("completion reported")
    SENT_BACK = "sent_back", _("sent back")
    SIGNED_OFF = "signed_off", _("signed off")
    REOPENED = "reopened", _("reopened")
    DEADLINE = "deadline", _("deadline changed")
    EDITED = "edited", _("task changed")


# The responsible unit still owes work on these: a task in one of them is overdue once its
# deadline has passed. A task reported done waits for the sign-off and is not overdue.
OPEN_STATUSES = (TaskStatus.IN_PROGRESS, TaskStatus.REOPENED)

# The five categories of the city inspection's feedback, seeded into ProblemCategory.
DEFAULT_CATEGORIES = ("政治站位", "依法严惩", "综合治理", "深挖彻查", "组织领导")


def ensure_default_categories() -> None:
    """The five categories migration 0002 installs, again where a database emptied since
    (a browser test's TransactionTestCase) needs them: the demo and its browser test."""
    from .models import ProblemCategory

    for order, name in enumerate(DEFAULT_CATEGORIES, start=1):
        ProblemCategory.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
