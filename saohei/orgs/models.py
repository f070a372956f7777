from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from saohei.core.fields import BlindIndexField, EncryptedTextField
from saohei.core.models import ChangeTracking, TrackedModel
from saohei.core.normalize import normalize_phone

from .choices import Role, UnitKind
from .roles import BUSINESS_ROLES, THREE_OFFICERS, separation_allows


class Jurisdiction(TrackedModel):
    """An administrative area (行政区划): a city, a district. Units belong to one."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the 6-digit administrative code."))],
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("jurisdiction")
        verbose_name_plural = _("jurisdictions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    def with_descendants(self) -> list[int]:
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                Jurisdiction.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids


class UnitQuerySet(models.QuerySet):
    """Units are not case data, but still scoped: a user sees the units of their own
    jurisdiction (and those below it); the system administrator sees all to manage accounts."""

    def visible_to(self, user) -> UnitQuerySet:
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.has_role(Role.SYSADMIN):
            return self.all()
        if not user.reads_case_data or user.unit is None:
            return self.none()
        return self.filter(jurisdiction_id__in=user.jurisdiction_ids)

    def editable_by(self, user) -> UnitQuerySet:
        if user.is_authenticated and user.has_perm("orgs.change_unit"):
            return self.all()
        return self.none()


class Unit(TrackedModel):
    """A member unit (成员单位) of the campaign, or the campaign office itself."""

    name = models.CharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    jurisdiction = models.ForeignKey(
        Jurisdiction,
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("member unit")
        verbose_name_plural = _("member units")
        ordering = ["jurisdiction__code", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "name"],
                name="orgs_unit_name_per_jurisdiction",
                violation_error_message=_("A unit with this name already exists here."),
            )
        ]

    def __str__(self):
        return self.short_name or self.name


class User(ChangeTracking, AbstractUser):
    """A person who logs in. Belongs to one unit; roles are groups named after Role codes."""

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    title = models.CharField(_("position"), max_length=50, blank=True)
    phone = models.CharField(_("office phone"), max_length=30, blank=True)
    # A personal mobile number is personal information (个人信息保护法): stored encrypted,
    # found through its blind index.
    mobile = EncryptedTextField(_("mobile phone"), blank=True)
    mobile_index = BlindIndexField(source="mobile", purpose="phone", normalize=normalize_phone)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["unit__sort_order", "username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        names = set(self.groups.values_list("name", flat=True))
        if self.is_superuser:
            # A superuser is the bootstrap system administrator, bound by the same separation.
            names.add(Role.SYSADMIN)
        return frozenset(names & set(Role.values))

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.roles]

    @property
    def reads_case_data(self) -> bool:
        """Only holders of a business role, and never a three-officer role, see case data."""
        return bool(self.roles & BUSINESS_ROLES) and not (self.roles & THREE_OFFICERS)

    @cached_property
    def jurisdiction_ids(self) -> list[int]:
        if self.unit is None:
            return []
        return self.unit.jurisdiction.with_descendants()

    def has_perm(self, perm, obj=None):
        if not self.is_active or not separation_allows(self.roles, perm):
            return False
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        if not self.is_active:
            return False
        perms = self.get_all_permissions() if not self.is_superuser else None
        if perms is None:
            return separation_allows(self.roles, f"{app_label}.view_")
        return any(
            p.startswith(f"{app_label}.") and separation_allows(self.roles, p) for p in perms
        )
