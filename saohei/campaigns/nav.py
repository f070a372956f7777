from django.utils.translation import gettext_lazy

from saohei.core.navigation import NavItem, register

register(
    NavItem(
        "campaigns_targets",
        gettext_lazy("Targets"),
        lambda u: u.has_perm("campaigns.view_target"),
        order=7,
    )
)
register(
    NavItem(
        "campaigns_register",
        gettext_lazy("Rules and meetings"),
        lambda u: u.has_perm("campaigns.view_regulation"),
        order=75,
    )
)
