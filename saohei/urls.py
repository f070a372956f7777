from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from saohei.orgs import twofactor_views
from saohei.orgs.forms import LoginForm

admin.site.site_header = admin.site.site_title = _("Campaign supervision platform")
admin.site.login = auth_views.LoginView.as_view(
    template_name="registration/login.html", authentication_form=LoginForm
)

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", twofactor_views.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", twofactor_views.verify, name="otp_verify"),
    path("accounts/two-factor/enrol/", twofactor_views.enrol, name="otp_enrol"),
    path(
        "accounts/two-factor/recovery-codes/",
        twofactor_views.recovery_codes,
        name="otp_recovery_codes",
    ),
    path(
        "accounts/two-factor/recovery-codes/download/",
        twofactor_views.recovery_codes_download,
        name="otp_recovery_download",
    ),
    path(
        "accounts/two-factor/recovery-codes/renew/",
        twofactor_views.renew_recovery_codes,
        name="otp_recovery_renew",
    ),
    path("accounts/two-factor/reset/", twofactor_views.reset, name="otp_reset"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/", include("saohei.orgs.urls")),
    path("audit/", include("saohei.audit.urls")),
    path("clues/", include("saohei.clues.urls")),
    path("transfers/", include("saohei.transfers.urls")),
    path("cases/", include("saohei.cases.urls")),
    path("reports/", include("saohei.reports.urls")),
    path("entities/", include("saohei.entities.urls")),
    path("vetting/", include("saohei.vetting.urls")),
    path("linkage/", include("saohei.linkage.urls")),
    path("report/", include("saohei.intake.urls")),
    path("rectification/", include("saohei.rectification.urls")),
    path("oversight/", include("saohei.oversight.urls")),
    path("campaigns/", include("saohei.campaigns.urls")),
    path("api/", include("saohei.api")),
    path("admin/", admin.site.urls),
    # Single sign-on through OpenID Connect: only when SAOHEI_OIDC_ENABLED (off by default).
    *([path("oidc/", include("saohei.orgs.oidc_urls"))] if settings.SAOHEI_OIDC_ENABLED else []),
    path("", include("saohei.core.urls")),
]
