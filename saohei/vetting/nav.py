from django.utils.translation import gettext_lazy

from saohei.core.navigation import NavItem, register

register(
    NavItem(
        "vetting_batches",
        gettext_lazy("Candidate vetting"),
        lambda u: u.has_perm("vetting.view_batch"),
        order=65,
    )
)
