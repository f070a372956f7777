"""Single sign-on through OpenID Connect (mozilla-django-oidc), off unless SAOHEI_OIDC_ENABLED.

The identity provider names the user (SAOHEI_OIDC_USERNAME_CLAIM), their unit
(SAOHEI_OIDC_UNIT_CLAIM: the unit's name, or `<jurisdiction code>/<unit name>` where two
jurisdictions have a unit of that name) and their roles (SAOHEI_OIDC_ROLES_CLAIM: a list or a
comma-separated string of role codes, i.e. our group names). Each sign-in creates the account
or brings its unit, name and roles in line with the claims; unknown roles are ignored, and a
combination the three-officer separation forbids, or an unknown unit, refuses the sign-in.

Two-factor login: by default the required roles (saohei.orgs.twofactor.REQUIRED_ROLES) still
give a local TOTP code after the IdP. Only if SAOHEI_OIDC_TRUSTED_AMR lists a method the IdP
reports in the ID token's `amr` claim (e.g. "otp", "hwk", "mfa") does the sign-in count as the
second factor too.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

from .choices import Role
from .models import Unit, User
from .roles import check_role_combination
from .twofactor import IDP_MFA_SESSION_KEY

log = logging.getLogger(__name__)


def _claim(name: str, default: str) -> str:
    return getattr(settings, name, default)


def unit_from_claim(value) -> Unit | None:
    value = str(value or "").strip()
    if not value:
        return None
    units = Unit.objects.filter(is_active=True)
    if "/" in value:
        code, name = value.split("/", 1)
        units = units.filter(jurisdiction__code=code.strip())
        value = name.strip()
    matches = list(units.filter(name=value)[:2]) or list(units.filter(short_name=value)[:2])
    return matches[0] if len(matches) == 1 else None


def roles_from_claim(value) -> set[str]:
    if isinstance(value, str):
        value = value.split(",")
    return {str(v).strip() for v in value or []} & set(Role.values)


def mfa_trusted(payload: dict, user_info: dict) -> bool:
    trusted = set(getattr(settings, "SAOHEI_OIDC_TRUSTED_AMR", []) or [])
    amr = payload.get("amr") or user_info.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    return bool(trusted & set(amr))


class SaoheiOIDCBackend(OIDCAuthenticationBackend):
    def _username(self, claims) -> str:
        return str(claims.get(_claim("SAOHEI_OIDC_USERNAME_CLAIM", "preferred_username")) or "")

    def filter_users_by_claims(self, claims):
        username = self._username(claims)
        if not username:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(username=username)

    def verify_claims(self, claims) -> bool:
        username = self._username(claims)
        if not username:
            log.warning("OIDC sign-in refused: no %s claim", "username")
            return False
        if unit_from_claim(claims.get(_claim("SAOHEI_OIDC_UNIT_CLAIM", "unit"))) is None:
            log.warning("OIDC sign-in of %s refused: the unit claim names no unit", username)
            return False
        roles = roles_from_claim(claims.get(_claim("SAOHEI_OIDC_ROLES_CLAIM", "roles")))
        try:
            check_role_combination(roles)
        except ValidationError:
            log.warning("OIDC sign-in of %s refused: roles %s", username, sorted(roles))
            return False
        return True

    def _apply(self, user: User, claims) -> User:
        """Unit, name and roles as the IdP states them (the IdP is the source of truth)."""
        user.unit = unit_from_claim(claims.get(_claim("SAOHEI_OIDC_UNIT_CLAIM", "unit")))
        name = claims.get(_claim("SAOHEI_OIDC_NAME_CLAIM", "name"))
        if name:
            user.full_name = str(name)[:50]
        if claims.get("email"):
            user.email = claims["email"]
        user.save()
        roles = roles_from_claim(claims.get(_claim("SAOHEI_OIDC_ROLES_CLAIM", "roles")))
        if roles != set(user.roles):
            user.groups.set(Group.objects.filter(name__in=roles))
            user.__dict__.pop("roles", None)
        return user

    def create_user(self, claims) -> User:
        with transaction.atomic():
            user = self.UserModel(username=self._username(claims))
            user.set_unusable_password()  # signs in through the IdP only
            user.is_staff = Role.SYSADMIN in roles_from_claim(
                claims.get(_claim("SAOHEI_OIDC_ROLES_CLAIM", "roles"))
            )
            return self._apply(user, claims)

    def update_user(self, user, claims) -> User:
        with transaction.atomic():
            return self._apply(user, claims)

    def get_or_create_user(self, access_token, id_token, payload):
        user = super().get_or_create_user(access_token, id_token, payload)
        request = getattr(self, "request", None)
        if user is not None and request is not None and hasattr(request, "session"):
            # The amr claim is read from the verified ID token, where OIDC Core puts it.
            if mfa_trusted(payload or {}, {}):
                request.session[IDP_MFA_SESSION_KEY] = True
            else:
                request.session.pop(IDP_MFA_SESSION_KEY, None)
        return user


class CallbackView(OIDCAuthenticationCallbackView):
    """Back from the IdP: a refused sign-in returns to our login page and says why."""

    def login_failure(self):
        messages.error(
            self.request,
            _(
                "Single sign-on was refused: your identity-platform account names no unit or "
                "no valid role here. Ask the system administrator to check your unit and "
                "roles there, or log in with your user name and password."
            ),
        )
        return redirect("login")
