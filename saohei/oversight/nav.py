from django.utils.translation import gettext_lazy

from saohei.core.navigation import NavItem, register

register(
    NavItem(
        "assessment_periods",
        gettext_lazy("Assessment"),
        lambda u: u.has_perm("oversight.view_assessmentperiod"),
        order=72,
    )
)
register(
    NavItem(
        "publicity_list",
        gettext_lazy("Publicity"),
        lambda u: u.has_perm("oversight.view_publicityactivity"),
        order=73,
    )
)
register(
    NavItem(
        "funds",
        gettext_lazy("Special funds"),
        lambda u: u.has_perm("oversight.view_fundallocation"),
        order=74,
    )
)
register(
    NavItem(
        "training_list",
        gettext_lazy("Training"),
        lambda u: u.has_perm("oversight.view_trainingsession"),
        order=75,
    )
)
