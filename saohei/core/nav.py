from django.utils.translation import gettext_lazy as _

from .navigation import NavItem, register

register(NavItem("home", _("Home"), lambda user: True, order=0))
register(
    NavItem(
        "security_policy",
        _("Security policy"),
        lambda user: user.has_perm("core.manage_policy"),
        order=900,
    )
)
