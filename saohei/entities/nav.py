from django.utils.translation import gettext_lazy

from saohei.core.navigation import NavItem, register

# The records registry (前科劣迹) ----------------------------------------------------------------

register(
    NavItem(
        "record_list",
        gettext_lazy("Records"),
        lambda u: u.has_perm("entities.view_record"),
        order=60,
    )
)

# Persons and organizations -----------------------------------------------------------------

register(
    NavItem(
        "person_list",
        gettext_lazy("Persons and organizations"),
        lambda u: u.has_perm("entities.view_person"),
        order=55,
    )
)
