from django.utils.translation import gettext_lazy as _

from .navigation import NavItem, register


def waiting(user) -> int:
    """Everything on the user's to-do list, for the badge beside 首页 on every page."""
    from .todo import todo_for

    return sum(section.count for section in todo_for(user)) if user.reads_case_data else 0


register(NavItem("home", _("Home"), lambda user: True, order=0, count=waiting))
register(
    NavItem(
        "security_policy",
        _("Security policy"),
        lambda user: user.has_perm("core.manage_policy"),
        order=900,
    )
)
