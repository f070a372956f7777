from django.utils.translation import gettext_lazy as _

from saohei.core.navigation import NavItem, register

# Link suggestions, series and the oil-field view (串并案) ----------------------------------

register(
    NavItem(
        "link_suggestions",
        _("Case linking"),
        lambda u: u.has_perm("linkage.view_linksuggestion"),
        order=57,
    )
)
