from django.utils.translation import gettext_lazy as _

from saohei.core.navigation import NavItem, register

register(
    NavItem("units", _("Member units"), lambda user: user.has_perm("orgs.view_unit"), order=800)
)
register(
    NavItem(
        "admin:orgs_user_changelist",
        _("Accounts"),
        lambda user: user.has_perm("orgs.change_user"),
        order=850,
    )
)
