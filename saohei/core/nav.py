from django.utils.translation import gettext_lazy as _

from .navigation import NavItem, register

# How old the badge may be: what others do shows within this time, what the user does at once
# (saohei.core.recent).
BADGE_SECONDS = 60


def waiting(user) -> int:
    """Everything on the user's to-do list, for the badge beside 首页 on every page."""
    from .recent import recent
    from .todo import todo_for

    if not user.reads_case_data:
        return 0
    count, _made = recent(
        f"todo-count:{user.pk}",
        lambda: sum(section.count for section in todo_for(user)),
        user=user,
        seconds=BADGE_SECONDS,
        # The home page has just listed the to-do items: the badge counts that list.
        refresh="_saohei_todo" in user.__dict__,
    )
    return count


register(NavItem("home", _("Home"), lambda user: True, order=0, count=waiting))
register(
    NavItem(
        "security_policy",
        _("Security policy"),
        lambda user: user.has_perm("core.manage_policy"),
        order=900,
    )
)
