"""Single sign-on through OpenID Connect with a mocked identity provider (no network): the
claims create or update the account with its unit and roles; the required roles still give a
local TOTP code unless the IdP's `amr` is trusted; off by default."""

from unittest import mock
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import make_user
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.otp_unverified]

SECRET = "test-client-secret-0123456789abcdef"
OIDC = {
    "ROOT_URLCONF": "saohei.orgs.tests.oidc_urls",
    "AUTHENTICATION_BACKENDS": [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "saohei.orgs.oidc.SaoheiOIDCBackend",
    ],
    "OIDC_RP_CLIENT_ID": "saohei",
    "OIDC_RP_CLIENT_SECRET": SECRET,
    "OIDC_RP_SIGN_ALGO": "HS256",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.gov/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.gov/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.example.gov/userinfo",
    "SAOHEI_OIDC_USERNAME_CLAIM": "preferred_username",
    "SAOHEI_OIDC_UNIT_CLAIM": "unit",
    "SAOHEI_OIDC_ROLES_CLAIM": "roles",
    "SAOHEI_OIDC_NAME_CLAIM": "name",
    "SAOHEI_OIDC_TRUSTED_AMR": [],
}


class FakeResponse:
    def __init__(self, data, status=200):
        self.data, self.status_code = data, status
        self.headers = {"content-type": "application/json"}
        self.url = ""
        self.text = ""

    def json(self):
        return self.data

    def raise_for_status(self):
        pass


def sign_in(client, claims: dict, amr=("pwd",)):
    """The browser's trip: our authenticate URL → the IdP (mocked) → our callback."""
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    query = parse_qs(urlparse(response.url).query)
    assert response.url.startswith("https://idp.example.gov/authorize")
    state, nonce = query["state"][0], query["nonce"][0]
    id_token = jwt.encode(
        {"sub": claims["preferred_username"], "nonce": nonce, "amr": list(amr), "aud": "saohei"},
        SECRET,
        algorithm="HS256",
    )
    with (
        mock.patch(
            "mozilla_django_oidc.auth.requests.post",
            return_value=FakeResponse({"id_token": id_token, "access_token": "at"}),
        ) as token_call,
        mock.patch(
            "mozilla_django_oidc.auth.requests.get", return_value=FakeResponse(claims)
        ) as userinfo_call,
    ):
        response = client.get(
            reverse("oidc_authentication_callback"), {"code": "c", "state": state}
        )
    assert token_call.call_args.kwargs["data"]["code"] == "c"
    assert userinfo_call.call_args.kwargs["headers"] == {"Authorization": "Bearer at"}
    return response


def test_off_by_default(client, units):
    for name in ("oidc_authentication_init", "oidc_authentication_callback"):
        with pytest.raises(NoReverseMatch):
            reverse(name)
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert 'data-testid="sso"' not in client.get(reverse("login")).content.decode()


@override_settings(**OIDC)
def test_login_page_offers_single_sign_on_when_on(client, units):
    assert 'data-testid="sso"' in client.get(reverse("login")).content.decode()


@override_settings(**OIDC)
def test_first_sign_in_creates_the_account_in_its_unit_with_its_roles(client, units):
    claims = {
        "preferred_username": "zhangwei",
        "name": "张伟",
        "unit": units[UnitKind.POLICE].name,
        "roles": ["handler", "not-a-role"],
    }
    response = sign_in(client, claims)
    assert response.status_code == 302 and response.url == reverse("home")
    user = User.objects.get(username="zhangwei")
    assert user.unit == units[UnitKind.POLICE]
    assert user.full_name == "张伟"
    assert user.roles == {Role.HANDLER}
    assert not user.has_usable_password()
    # A handler is not asked for a second factor.
    assert client.get(reverse("home")).status_code == 200


@override_settings(**OIDC)
def test_later_sign_in_brings_unit_and_roles_in_line(client, units):
    user = make_user("liqiang", Role.HANDLER, unit=units[UnitKind.POLICE])
    claims = {
        "preferred_username": "liqiang",
        "unit": f"239901/{units[UnitKind.OFFICE].name}",
        "roles": "office_staff,unit_leader",
    }
    sign_in(client, claims)
    user = User.objects.get(pk=user.pk)
    assert user.unit == units[UnitKind.OFFICE]
    assert user.roles == {Role.OFFICE_STAFF, Role.UNIT_LEADER}


@override_settings(**OIDC)
def test_unknown_unit_or_forbidden_role_mix_is_refused(client, units):
    bad = [
        {"preferred_username": "a", "unit": "不存在的单位", "roles": ["handler"]},
        {
            "preferred_username": "b",
            "unit": units[UnitKind.OFFICE].name,
            "roles": ["sysadmin", "auditor"],
        },
        {
            "preferred_username": "c",
            "unit": units[UnitKind.OFFICE].name,
            "roles": ["auditor", "handler"],
        },
    ]
    for claims in bad:
        response = sign_in(client, claims)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert "_auth_user_id" not in client.session
    page = client.get(reverse("login")).content.decode()
    assert "统一身份认证登录被拒绝" in page
    assert not User.objects.filter(username__in=["a", "b", "c"]).exists()


@override_settings(**OIDC)
def test_required_role_still_gives_a_local_code_by_default(client, units):
    claims = {
        "preferred_username": "wangfang",
        "unit": units[UnitKind.OFFICE].name,
        "roles": ["office_admin"],
    }
    sign_in(client, claims, amr=("pwd", "otp"))
    assert client.get(reverse("home")).url.startswith(reverse("otp_enrol"))
    assert client.get(reverse("api-me")).status_code == 403


@override_settings(**{**OIDC, "SAOHEI_OIDC_TRUSTED_AMR": ["otp", "hwk"]})
def test_trusted_idp_mfa_stands_for_the_second_factor(client, units):
    claims = {
        "preferred_username": "wangfang",
        "unit": units[UnitKind.OFFICE].name,
        "roles": ["office_admin"],
    }
    sign_in(client, claims, amr=("pwd",))  # the IdP did not use a second factor this time
    assert client.get(reverse("home")).url.startswith(reverse("otp_enrol"))
    client.post(reverse("logout"))
    sign_in(client, claims, amr=("pwd", "otp"))
    assert client.get(reverse("home")).status_code == 200
    assert not TOTPDevice.objects.filter(user__username="wangfang", confirmed=True).exists()
