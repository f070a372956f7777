import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import PASSWORD, make_user
from saohei.audit.models import Action, AuditEntry
from saohei.core.middleware import SessionPolicyMiddleware
from saohei.core.models import SecurityPolicy
from saohei.orgs.choices import Role


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_login_and_failed_login_are_audited(client, personas):
    user = personas[Role.HANDLER]
    assert login(client, user.username, "wrong-password").status_code == 200
    failed = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).first()
    assert failed.changes == {"username": user.username}
    assert "wrong-password" not in str(failed.changes)
    response = login(client, user.username, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor=user).exists()
    client.post(reverse("logout"))
    assert AuditEntry.objects.filter(action=Action.LOGOUT, actor=user).exists()


@pytest.mark.django_db
def test_wrong_password_message_is_chinese(client, personas):
    response = login(client, personas[Role.HANDLER].username, "wrong")
    assert "请输入一个正确的" in response.content.decode()


@pytest.mark.django_db
def test_lockout_engages_after_the_policy_limit(client, personas):
    user = personas[Role.HANDLER]
    limit = SecurityPolicy.current().failure_limit
    for _ in range(limit):
        login(client, user.username, "wrong-password")
    response = login(client, user.username, PASSWORD)  # even the right password now
    assert response.status_code == 429
    page = response.content.decode()
    assert "锁定" in page
    assert "30" in page  # minutes to wait
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT).exists()


@pytest.mark.django_db
def test_security_admin_unlocks_and_it_is_audited(client, personas):
    user = personas[Role.HANDLER]
    for _ in range(SecurityPolicy.current().failure_limit):
        login(client, user.username, "wrong-password")
    admin = client.__class__()
    admin.force_login(personas[Role.SECURITY_ADMIN])
    page = admin.get(reverse("security_policy")).content.decode()
    assert user.username in page
    admin.post(reverse("unlock_account"), {"username": user.username})
    assert AuditEntry.objects.filter(action=Action.UNLOCKED).exists()
    assert login(client, user.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_unlock_refused_to_others(client, personas):
    client.force_login(personas[Role.SYSADMIN])
    assert client.post(reverse("unlock_account"), {"username": "x"}).status_code == 403


@pytest.mark.django_db
def test_policy_change_is_saved_audited_and_applied(client, personas):
    client.force_login(personas[Role.SECURITY_ADMIN])
    response = client.post(
        reverse("security_policy"),
        {
            "password_min_length": 12,
            "password_classes": 3,
            "failure_limit": 3,
            "lockout_minutes": 60,
            "session_idle_minutes": 20,
        },
    )
    assert response.status_code == 302
    assert SecurityPolicy.current().failure_limit == 3
    assert AuditEntry.objects.filter(object_type="core.securitypolicy").exists()
    with pytest.raises(ValidationError):
        validate_password("Abcdef#1234")  # 11 characters, 12 required now


@pytest.mark.django_db
def test_policy_form_rejects_weak_settings_in_chinese(client, personas):
    client.force_login(personas[Role.SECURITY_ADMIN])
    response = client.post(
        reverse("security_policy"),
        {
            "password_min_length": 4,
            "password_classes": 3,
            "failure_limit": 5,
            "lockout_minutes": 30,
            "session_idle_minutes": 30,
        },
    )
    assert response.status_code == 200
    assert "确保该值大于或等于8" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "password, ok",
    [
        ("short#A1", False),
        ("alllowercaseletters", False),
        ("Abcdefgh#123", True),
        ("12345678901234", False),
        ("密码很长但是只有中文字符", False),
    ],
)
def test_password_policy(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


@pytest.mark.django_db
@pytest.mark.real_hasher
def test_passwords_are_hashed_with_argon2(units):
    user = make_user("zhao", Role.HANDLER, unit=units["police"])
    assert user.password.startswith("argon2")


@pytest.mark.django_db
def test_idle_session_expires(client, personas):
    client.force_login(personas[Role.HANDLER])
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    idle = SecurityPolicy.current().session_idle_minutes * 60
    session[SessionPolicyMiddleware.SESSION_KEY] -= idle + 1
    session.save()
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
def test_secure_headers_and_no_external_origin(client, personas):
    client.force_login(personas[Role.OFFICE_STAFF])
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "http" not in csp  # no origin but our own
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    page = response.content.decode()
    assert "http://" not in page and "https://" not in page


@pytest.mark.django_db
def test_chinese_by_default_english_on_request(client, units):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response["Content-Language"] == "zh-hans"
    assert "登录" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert "Log in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_forged_post_without_csrf_token_is_refused(personas):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas[Role.SECURITY_ADMIN])
    response = client.post(reverse("unlock_account"), {"username": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_home_shows_previous_login_and_failures_since(client, personas):
    user = personas[Role.HANDLER]
    login(client, user.username, PASSWORD)
    client.post(reverse("logout"))
    login(client, user.username, "wrong-password")
    login(client, user.username, "wrong-password")
    login(client, user.username, PASSWORD)
    page = client.get(reverse("home")).content.decode()
    summary = page.split('data-testid="last-login"')[1].split("</span>\n  </span>")[0]
    assert "127.0.0.1" in summary
    assert "2" in summary
