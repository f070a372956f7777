from django.utils.translation import gettext_lazy as _lazy

from saohei.core.navigation import NavItem, register

register(NavItem("dashboard", _lazy("Dashboard"), lambda u: u.has_perm("clues.view_clue"), order=5))
