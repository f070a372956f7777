"""Family and business ties (社会关系) between persons, and between persons and organizations:
what the network view (saohei.linkage.network) draws beside the clues and cases that mention
them, to find the relationship network (关系网) around a gang and its protective umbrellas.

A tie is seen when both of its ends are seen: a tie never reveals a person or organization
the user may not read (an informant among them, DESIGN §4).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saohei.core.models import TrackedModel
from saohei.core.querysets import ScopedQuerySet


class TieKind(models.TextChoices):
    # person – person
    FAMILY = "family", _("family")  # 亲属
    SPOUSE = "spouse", _("spouse")  # 配偶
    PARTNER = "partner", _("business partner")  # 生意伙伴
    EMPLOYMENT = "employment", _("employer or employee")  # 雇佣
    FRIEND = "friend", _("friend or associate")  # 朋友
    COLLEAGUE = "colleague", _("colleague")  # 同事
    # person – organization
    LEGAL_REP = "legal_rep", _("legal representative")  # 法定代表人
    SHAREHOLDER = "shareholder", _("shareholder")  # 股东
    EMPLOYEE = "employee", _("employee")  # 员工
    CONTROLLER = "controller", _("actual controller")  # 实际控制人


PERSON_KINDS = (
    TieKind.FAMILY,
    TieKind.SPOUSE,
    TieKind.PARTNER,
    TieKind.EMPLOYMENT,
    TieKind.FRIEND,
    TieKind.COLLEAGUE,
)
ORGANIZATION_KINDS = (
    TieKind.LEGAL_REP,
    TieKind.SHAREHOLDER,
    TieKind.EMPLOYEE,
    TieKind.CONTROLLER,
)


class TieQuerySet(ScopedQuerySet):
    def scope_visible(self, user):
        from .models import Organization, Person

        persons = Person.objects.visible_to(user).values("pk")
        organizations = Organization.objects.visible_to(user).values("pk")
        return self.filter(
            Q(person__in=persons)
            & (Q(other_person__in=persons) | Q(organization__in=organizations))
        )

    def scope_editable(self, user):
        from .models import Person

        if not user.has_perm("entities.add_tie"):
            return self.none()
        return self.scope_visible(user).filter(
            person__in=Person.objects.editable_by(user).values("pk")
        )


class Tie(TrackedModel):
    """A person's tie to another person or to an organization, with where it is known from."""

    person = models.ForeignKey(
        "entities.Person",
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="ties",
    )
    other_person = models.ForeignKey(
        "entities.Person",
        verbose_name=_("other person"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ties_in",
    )
    organization = models.ForeignKey(
        "entities.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="ties",
    )
    kind = models.CharField(_("tie"), max_length=20, choices=TieKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where it is known from: household register, business registration, …"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = TieQuerySet.as_manager()

    class Meta:
        verbose_name = _("tie")
        verbose_name_plural = _("ties")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    other_person__isnull=False, organization__isnull=True, kind__in=PERSON_KINDS
                )
                | Q(
                    other_person__isnull=True,
                    organization__isnull=False,
                    kind__in=ORGANIZATION_KINDS,
                ),
                name="entities_tie_one_end_of_its_kind",
                violation_error_message=_(
                    "A tie joins a person to another person (family, spouse, business partner, "
                    "employment, friend, colleague) or to an organization (legal representative, "
                    "shareholder, employee, actual controller)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("other_person")),
                name="entities_tie_not_to_self",
                violation_error_message=_("A person cannot be tied to themselves."),
            ),
            models.UniqueConstraint(
                fields=["person", "other_person", "kind"],
                condition=Q(other_person__isnull=False),
                name="entities_tie_person_once",
                violation_error_message=_("This tie is already recorded."),
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "kind"],
                condition=Q(organization__isnull=False),
                name="entities_tie_organization_once",
                violation_error_message=_("This tie is already recorded."),
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()} · {self.other}"

    @property
    def other(self):
        return self.other_person or self.organization

    def clean(self):
        if self.other_person_id and self.kind not in PERSON_KINDS:
            raise ValidationError({"kind": _("This tie joins a person to an organization.")})
        if self.organization_id and self.kind not in ORGANIZATION_KINDS:
            raise ValidationError({"kind": _("This tie joins two persons.")})
