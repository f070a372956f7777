"""Persons, organizations, vehicles and phones that clues and cases mention, and the records
(前科劣迹) of persons.

A person is entered once and mentioned many times (Mention: a clue or case, a role). Entering
a person first looks for the persons already held that could be the same one (the matcher,
saohei.entities.matching); two persons found to be one are merged (saohei.entities.merging),
audited and reversible.

Identity numbers are stored encrypted with a blind index for exact look-up; the match keys
(folded name, its readings in pinyin, birth date and gender from the ID) are stored beside
them so that screening a candidate list never has to decrypt the whole registry to find the
few records worth comparing.
"""

from __future__ import annotations

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from saohei.core.fields import BlindIndexField, EncryptedTextField
from saohei.core.models import TrackedModel
from saohei.core.normalize import normalize_id_number, normalize_phone
from saohei.core.querysets import ScopedQuerySet
from saohei.orgs.choices import Role

from .choices import Gender, MentionRole, OrganizationKind, RecordKind

OFFICE_ROLES = (Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.LEADER_VIEWER, Role.CLUE_CUSTODIAN)
AGENCY_ROLES = (Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE)
NOTHING = Q(pk__in=[])


class EntityQuerySet(ScopedQuerySet):
    """Persons, organizations, vehicles, phones: the office sees those of its jurisdiction; an
    agency those its unit entered and those a clue or case it can see mentions."""

    mention_field = ""  # the Mention field pointing at this model

    def scope_visible(self, user):
        seen = NOTHING
        if user.has_role(*OFFICE_ROLES):
            seen |= Q(jurisdiction_id__in=user.jurisdiction_ids)
        if user.unit_id and user.has_role(*AGENCY_ROLES):
            from saohei.cases.models import Case
            from saohei.clues.models import Clue

            mentions = Mention.objects.filter(**{self.mention_field: OuterRef("pk")}).filter(
                Q(clue__in=Clue.objects.visible_to(user).values("pk"))
                | Q(case__in=Case.objects.visible_to(user).values("pk"))
            )
            seen |= Q(entered_by_unit_id=user.unit_id) | Q(Exists(mentions))
        if not user.has_perm("clues.reveal_informant"):
            # Informant identity is the clue custodian's alone (DESIGN §4): whoever has been
            # linked to a clue as its informant is hidden from everyone else, whatever other
            # part they play.
            informant = Mention.objects.filter(
                **{self.mention_field: OuterRef("pk")}, role=MentionRole.INFORMANT
            )
            seen &= ~Q(Exists(informant))
        return self.filter(seen)

    def scope_editable(self, user):
        if not user.has_role(*(set(OFFICE_ROLES) - {Role.LEADER_VIEWER}), *AGENCY_ROLES):
            return self.none()
        return self.scope_visible(user)


class PersonQuerySet(EntityQuerySet):
    mention_field = "person"

    def current(self):
        """Persons not merged into another."""
        return self.filter(merged_into__isnull=True)


class OrganizationQuerySet(EntityQuerySet):
    mention_field = "organization"


class VehicleQuerySet(EntityQuerySet):
    mention_field = "vehicle"


class PhoneQuerySet(EntityQuerySet):
    mention_field = "phone"


class EntityBase(TrackedModel):
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_by_unit = models.ForeignKey(
        "orgs.Unit",
        verbose_name=_("entered by unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class Person(EntityBase):
    name = models.CharField(_("name"), max_length=50)
    former_names = models.CharField(
        _("former names"), max_length=200, blank=True, help_text=_("Separate several with 、")
    )
    nicknames = models.CharField(
        _("nicknames"), max_length=200, blank=True, help_text=_("Separate several with 、")
    )
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_index = BlindIndexField(
        source="id_number", purpose="id_number", normalize=normalize_id_number
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    phones = models.CharField(_("phones"), max_length=200, blank=True)
    addresses = models.CharField(_("addresses"), max_length=500, blank=True)
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_public_official = models.BooleanField(_("public official"), default=False)
    # Match keys (saohei.entities.matching.keys_of), kept in step on save.
    name_key = models.CharField(max_length=50, blank=True, db_index=True, editable=False)
    readings = models.CharField(max_length=500, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_persons",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["name", "id"]
        permissions = [("merge_person", _("Can merge persons"))]

    def __str__(self):
        return self.name

    def aliases(self) -> list[str]:
        return split_list(self.former_names) + split_list(self.nicknames)

    def identity(self):
        from .matching import Identity

        return Identity(
            name=self.name,
            id_number=self.id_number or "",
            aliases=tuple(self.aliases()),
            birth_date=self.birth_date,
            gender=self.gender,
        )

    def clean(self):
        from .matching import parse_id

        if self.id_number:
            info = parse_id(self.id_number)
            if info is None or not info.valid:
                raise ValidationError({"id_number": _("This is not a valid resident ID number.")})

    def save(self, *args, **kwargs):
        from .matching import keys_of, parse_id

        info = parse_id(self.id_number) if self.id_number else None
        if info is not None and info.valid:
            self.id_number = info.id18  # one form: 15-digit numbers are kept converted
            self.birth_date, self.gender = info.birth_date, info.gender
        self.name_key, self.readings = keys_of(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_key",
                "readings",
                "birth_date",
                "gender",
                "id_number",
                "id_index",
            }
        super().save(*args, **kwargs)


class Organization(EntityBase):
    name = models.CharField(_("name"), max_length=200)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.COMPANY
    )
    legal_representative = models.ForeignKey(
        Person,
        verbose_name=_("legal representative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="represents",
    )
    address = models.CharField(_("address"), max_length=300, blank=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        from stdnum.cn import uscc
        from stdnum.exceptions import ValidationError as StdnumError

        if self.credit_code:
            try:
                self.credit_code = uscc.validate(self.credit_code)
            except StdnumError as exc:
                raise ValidationError(
                    {
                        "credit_code": _(
                            "This is not a valid unified social credit code: 18 characters, "
                            "the last a check character; copy it from the business licence."
                        )
                    }
                ) from exc


PLATE_RE = re.compile(r"^([\u4e00-\u9fff])([A-Z])([A-Z0-9]{5,6})$")


def normalize_plate(value: str) -> str:
    """黑e 12345, 黑E·12345, 黑E-12345 -> 黑E·12345 (the form on the plate)."""
    text = unicodedata.normalize("NFKC", value or "").upper()
    text = re.sub(r"[\s·•‧・.\-_]", "", text)
    match = PLATE_RE.match(text)
    if not match:
        return text
    return f"{match.group(1)}{match.group(2)}·{match.group(3)}"


class Vehicle(EntityBase):
    plate = models.CharField(_("plate number"), max_length=20)
    description = models.CharField(_("description"), max_length=200, blank=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["plate", "id"]

    def __str__(self):
        return self.plate

    def clean(self):
        self.plate = normalize_plate(self.plate)
        if not PLATE_RE.match(self.plate.replace("·", "")):
            raise ValidationError({"plate": _("Write a plate number such as 黑E·12345.")})

    def save(self, *args, **kwargs):
        self.plate = normalize_plate(self.plate)
        super().save(*args, **kwargs)


class Phone(EntityBase):
    number = models.CharField(_("phone number"), max_length=20)

    objects = PhoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone")
        verbose_name_plural = _("phones")
        ordering = ["number", "id"]

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        self.number = normalize_phone(self.number)
        super().save(*args, **kwargs)


class MentionQuerySet(ScopedQuerySet):
    """Mentions are seen with the clue or case that makes them."""

    def scope_visible(self, user):
        from saohei.cases.models import Case
        from saohei.clues.models import Clue

        return self.filter(
            Q(clue__in=Clue.objects.visible_to(user).values("pk"))
            | Q(case__in=Case.objects.visible_to(user).values("pk"))
        )


class Mention(TrackedModel):
    """A clue or case mentions a person, organization, vehicle or phone in a role."""

    clue = models.ForeignKey(
        "clues.Clue", null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="mentions"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="mentions"
    )
    vehicle = models.ForeignKey(
        Vehicle, null=True, blank=True, on_delete=models.PROTECT, related_name="mentions"
    )
    phone = models.ForeignKey(
        Phone, null=True, blank=True, on_delete=models.PROTECT, related_name="mentions"
    )
    role = models.CharField(_("role"), max_length=20, choices=MentionRole.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = MentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mention")
        verbose_name_plural = _("mentions")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clue__isnull=False, case__isnull=True)
                | Q(clue__isnull=True, case__isnull=False),
                name="entities_mention_clue_or_case",
            ),
            models.CheckConstraint(
                condition=Q(
                    person__isnull=False,
                    organization__isnull=True,
                    vehicle__isnull=True,
                    phone__isnull=True,
                )
                | Q(
                    person__isnull=True,
                    organization__isnull=False,
                    vehicle__isnull=True,
                    phone__isnull=True,
                )
                | Q(
                    person__isnull=True,
                    organization__isnull=True,
                    vehicle__isnull=False,
                    phone__isnull=True,
                )
                | Q(
                    person__isnull=True,
                    organization__isnull=True,
                    vehicle__isnull=True,
                    phone__isnull=False,
                ),
                name="entities_mention_one_entity",
            ),  # fmt: skip
        ]

    @property
    def entity(self):
        return self.person or self.organization or self.vehicle or self.phone

    @property
    def source(self):
        return self.clue or self.case

    def __str__(self):
        return f"{self.source} · {self.get_role_display()} · {self.entity}"


class RecordQuerySet(ScopedQuerySet):
    """Records (前科劣迹): the office of the jurisdiction, and the unit that imported them."""

    def scope_visible(self, user):
        seen = NOTHING
        if user.has_role(*OFFICE_ROLES):
            seen |= Q(jurisdiction_id__in=user.jurisdiction_ids)
        if user.unit_id and user.has_role(*AGENCY_ROLES):
            seen |= Q(imported_by_unit_id=user.unit_id)
        return self.filter(seen)

    def scope_editable(self, user):
        return self.scope_visible(user) if user.has_perm("entities.import_record") else self.none()


class Record(TrackedModel):
    """One criminal or misconduct record (前科劣迹) of a person, as the records ledger gives it.

    The name and ID number are kept as the deciding body wrote them (the person's own may have
    changed since); `person` is the person they were resolved to on import."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="records"
    )
    jurisdiction = models.ForeignKey(
        "orgs.Jurisdiction",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_index = BlindIndexField(
        source="id_number", purpose="id_number", normalize=normalize_id_number
    )
    kind = models.CharField(_("record type"), max_length=20, choices=RecordKind.choices)
    decided_on = models.DateField(_("date"))
    deciding_body = models.CharField(_("deciding body"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    imported_by_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("imported by unit"), on_delete=models.PROTECT, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("record")
        verbose_name_plural = _("records")
        ordering = ["-decided_on", "id"]
        permissions = [("import_record", _("Can import records"))]
        indexes = [models.Index(fields=["person", "decided_on"])]

    def __str__(self):
        return f"{self.name} {self.get_kind_display()} {self.decided_on:%Y-%m-%d}"


class Merge(models.Model):
    """Two persons found to be one: `merged` now points at `survivor`. `moved` lists what was
    moved over (mention and record ids) so that undoing the merge puts exactly those back."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    moved = models.JSONField(default=dict)
    reason = models.CharField(_("reason"), max_length=200)
    at = models.DateTimeField(_("merged at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.merged} → {self.survivor}"


def split_list(value: str) -> list[str]:
    """Former names or nicknames as users list them: 王老三、三哥; 大刚 -> three names."""
    return [p for p in (s.strip() for s in re.split(r"[、,，;；/]+", value or "")) if p]


from .ties import Tie  # noqa: E402,F401
