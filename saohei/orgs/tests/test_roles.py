import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction

from conftest import make_user
from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role
from saohei.orgs.models import Unit, User
from saohei.orgs.roles import CASE_DATA_APPS, ROLE_PERMISSIONS, THREE_OFFICERS


def case_data_permissions():
    """One view/change/delete permission per case-data app, as later issues will add them."""
    perms = []
    for app in sorted(CASE_DATA_APPS):
        ct, _ = ContentType.objects.get_or_create(app_label=app, model="record")
        for action in ("view", "change", "delete", "export"):
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_record", defaults={"name": action}
            )
            perms.append(perm)
    return perms


@pytest.mark.django_db
def test_every_role_has_its_group():
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)
    assert set(ROLE_PERMISSIONS) == set(Role)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(THREE_OFFICERS))
def test_three_officers_are_denied_every_case_data_permission(role, units):
    perms = case_data_permissions()
    group = Group.objects.get(name=role)
    group.permissions.add(*perms)  # even when someone grants them by hand
    user = make_user(f"x_{role}", role, unit=units["office"])
    user.is_superuser = role == Role.SYSADMIN  # and even for a superuser
    user.save()
    user = User.objects.get(pk=user.pk)
    denied = [f"{p.content_type.app_label}.{p.codename}" for p in perms]
    assert [p for p in denied if user.has_perm(p)] == []
    assert not user.reads_case_data


@pytest.mark.django_db
def test_business_role_gets_case_data_permission_when_granted(units):
    perms = case_data_permissions()
    Group.objects.get(name=Role.HANDLER).permissions.add(*perms)
    user = make_user("handler1", Role.HANDLER, unit=units["police"])
    assert user.has_perm("clues.view_record")
    assert user.reads_case_data


@pytest.mark.django_db
def test_auditor_holds_only_the_audit_log(personas):
    auditor = personas[Role.AUDITOR]
    assert auditor.get_all_permissions() == {"audit.view_auditentry"}
    assert auditor.has_perm("audit.view_auditentry")
    assert not auditor.has_perm("orgs.view_unit")
    assert not auditor.has_perm("core.manage_policy")


@pytest.mark.django_db
def test_sysadmin_manages_accounts_but_not_the_audit_log(personas):
    sysadmin = personas[Role.SYSADMIN]
    assert sysadmin.has_perm("orgs.change_user")
    assert sysadmin.has_perm("orgs.add_unit")
    assert not sysadmin.has_perm("audit.view_auditentry")
    Group.objects.get(name=Role.SYSADMIN).permissions.add(
        Permission.objects.get(codename="view_auditentry")
    )
    assert not User.objects.get(pk=sysadmin.pk).has_perm("audit.view_auditentry")


@pytest.mark.django_db
def test_business_users_never_administer(personas):
    for role in Role:
        if role in THREE_OFFICERS:
            continue
        user = personas[role]
        for perm in ("orgs.change_user", "audit.view_auditentry", "core.manage_policy"):
            assert not user.has_perm(perm), (role, perm)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "roles",
    [
        (Role.SYSADMIN, Role.AUDITOR),
        (Role.SECURITY_ADMIN, Role.AUDITOR),
        (Role.SYSADMIN, Role.OFFICE_STAFF),
        (Role.AUDITOR, Role.HANDLER),
    ],
)
def test_three_officer_roles_cannot_be_combined(roles, units):
    user = User.objects.create_user("mixed", unit=units["office"])
    with pytest.raises(ValidationError), transaction.atomic():
        user.groups.add(*Group.objects.filter(name__in=roles))
    assert user.groups.count() == 0


@pytest.mark.django_db
def test_account_form_explains_the_separation(units):
    from saohei.orgs.forms import AccountCreationForm

    form = AccountCreationForm(
        data={
            "username": "mixed",
            "password1": "Abcdef#12345",
            "password2": "Abcdef#12345",
            "unit": units["office"].pk,
        }
    )
    assert form.is_valid(), form.errors
    from saohei.orgs.forms import AccountChangeForm

    user = form.save()
    change = AccountChangeForm(
        instance=user,
        data={
            "username": "mixed",
            "groups": list(
                Group.objects.filter(name__in=[Role.SYSADMIN, Role.HANDLER]).values_list(
                    "pk", flat=True
                )
            ),
            "date_joined": "2019-06-30 09:00:00",
            "is_active": "on",
        },
    )
    assert not change.is_valid()
    assert "不得同时担任业务角色" in str(change.errors["groups"])


class _OfficeScope(ScopedQuerySet):
    def scope_visible(self, user):
        return self.filter(jurisdiction_id__in=user.jurisdiction_ids)


@pytest.mark.django_db
def test_scoped_queryset_empties_for_three_officers_before_the_model_rule(personas, other_units):
    qs = _OfficeScope(model=Unit)
    office = personas[Role.OFFICE_STAFF]
    mine = set(qs.visible_to(office).values_list("pk", flat=True))
    assert mine == set(
        Unit.objects.filter(jurisdiction=office.unit.jurisdiction).values_list("pk", flat=True)
    )
    for role in THREE_OFFICERS:
        assert not qs.visible_to(personas[role]).exists()
        assert not qs.editable_by(personas[role]).exists()
    office.is_active = False
    assert not qs.visible_to(office).exists()


@pytest.mark.django_db
def test_units_scoped_to_jurisdiction(personas, other_personas):
    police = personas[Role.HANDLER]
    seen = set(Unit.objects.visible_to(police))
    assert police.unit in seen
    assert not seen & set(Unit.objects.filter(jurisdiction__code="239902"))
    # The system administrator sees every unit, to manage accounts.
    assert Unit.objects.visible_to(personas[Role.SYSADMIN]).count() == Unit.objects.count()
    assert not Unit.objects.visible_to(personas[Role.AUDITOR]).exists()


@pytest.mark.django_db
def test_city_office_sees_its_districts(units, other_units):
    from saohei.orgs.choices import UnitKind
    from saohei.orgs.models import Jurisdiction

    city_office = Unit.objects.create(
        name="市扫黑办", kind=UnitKind.OFFICE, jurisdiction=Jurisdiction.objects.get(code="239900")
    )
    user = make_user("city", Role.OFFICE_STAFF, unit=city_office)
    assert Unit.objects.visible_to(user).count() == Unit.objects.count()


@pytest.mark.django_db
def test_sysadmin_creates_an_account_in_the_admin_and_it_is_audited(client, personas):
    from django.urls import reverse

    from saohei.audit.models import Action, AuditEntry

    client.force_login(personas[Role.SYSADMIN])
    unit = personas[Role.HANDLER].unit
    response = client.post(
        reverse("admin:orgs_user_add"),
        {
            "username": "new_handler",
            "full_name": "王新",
            "unit": unit.pk,
            "password1": "Xinmima#2019",
            "password2": "Xinmima#2019",
            "_save": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="new_handler")
    assert user.unit == unit and user.password.startswith(("argon2", "md5"))
    entry = AuditEntry.objects.get(
        action=Action.CREATE, object_type="orgs.user", object_id=str(user.pk)
    )
    assert entry.actor == personas[Role.SYSADMIN]
    assert entry.changes["password"] == "set"


@pytest.mark.django_db
def test_admin_refuses_a_role_mix_with_a_chinese_message(client, personas):
    from django.urls import reverse

    client.force_login(personas[Role.SYSADMIN])
    target = personas[Role.HANDLER]
    groups = Group.objects.filter(name__in=[Role.HANDLER, Role.AUDITOR])
    response = client.post(
        reverse("admin:orgs_user_change", args=[target.pk]),
        {
            "username": target.username,
            "full_name": "x",
            "unit": target.unit.pk,
            "is_active": "on",
            "groups": [g.pk for g in groups],
            "date_joined_0": "2019-06-30",
            "date_joined_1": "09:00:00",
            "_save": "1",
        },
    )
    assert response.status_code == 200
    assert "不得同时担任业务角色" in response.content.decode()
    assert set(User.objects.get(pk=target.pk).roles) == {Role.HANDLER}
