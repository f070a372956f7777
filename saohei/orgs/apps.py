from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "saohei.orgs"
    label = "orgs"
    verbose_name = _("Units and people")

    def ready(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import m2m_changed

        from .roles import guard_role_change, sync_role_groups
        from .twofactor import remember_login_signal

        # Every migrate brings the role groups in line with ROLE_PERMISSIONS, so a new app's
        # permissions reach the right roles without a hand-written data migration.
        post_migrate.connect(sync_role_groups, dispatch_uid="saohei.orgs.sync_role_groups")
        m2m_changed.connect(
            guard_role_change,
            sender=get_user_model().groups.through,
            dispatch_uid="saohei.orgs.guard_role_change",
        )
        user_logged_in.connect(remember_login_signal, dispatch_uid="saohei.orgs.two_factor")
