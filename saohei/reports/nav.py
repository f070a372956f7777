from django.utils.translation import gettext_lazy

from saohei.core.navigation import NavItem, register

register(
    NavItem(
        "dashboard", gettext_lazy("Dashboard"), lambda u: u.has_perm("clues.view_clue"), order=5
    )
)
