from django.utils.translation import gettext_lazy as _

from saohei.core.navigation import NavItem, register

register(
    NavItem(
        "audit_log",
        _("Audit log"),
        lambda user: user.has_perm("audit.view_auditentry"),
        order=950,
    )
)
