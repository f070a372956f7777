from django.utils.translation import gettext_lazy as _lazy

from saohei.core.navigation import NavItem, register

# Persons and organizations -----------------------------------------------------------------

register(
    NavItem(
        "person_list",
        _lazy("Persons and organizations"),
        lambda u: u.has_perm("entities.view_person"),
        order=55,
    )
)
