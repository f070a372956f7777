"""Pages of persons, organizations, vehicles and phones, their mentions in clues and cases,
and merging two persons found to be one.

Every query starts from visible_to() / editable_by() (DESIGN §4); writes go through one
transaction and re-read what they wrote through the scoped queryset (STYLE habit 3).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saohei.core.decorators import require_perm
from saohei.core.paging import page_of

from . import merging
from .forms import (
    MentionForm,
    MentionSearchForm,
    OrganizationForm,
    PersonForm,
    PhoneForm,
    ReasonForm,
    VehicleForm,
    role_choices,
)
from .lookup import (
    ENTITY_MODELS,
    candidates,
    find_entities,
    mask_id,
    search_persons,
    visible_mentions,
)
from .matching import Identity, compare
from .models import Mention, Merge, Organization, Person, Phone, Record, Vehicle


class Rollback(Exception):
    """Raised inside a transaction to undo a write the user could not see afterwards."""


# Where a mention is made -------------------------------------------------------------------


def _source(user, data) -> tuple[str, object] | None:
    """("clue", clue) or ("case", case) named by `clue=` / `case=` in `data`, visible to the
    user; None when neither is given; 404 when the one given is out of reach."""
    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    if data.get("clue"):
        return "clue", get_object_or_404(Clue.objects.visible_to(user), number=data["clue"])
    if data.get("case"):
        return "case", get_object_or_404(Case.objects.visible_to(user), number=data["case"])
    return None


def _source_url(kind: str, source) -> str:
    return reverse(f"{kind}_detail", args=[source.number])


def _add_mention(user, kind: str, source, field: str, entity, role: str, note: str = ""):
    if not user.has_perm("entities.add_mention"):
        raise PermissionDenied
    if role not in dict(role_choices(user)):
        raise PermissionDenied
    with transaction.atomic():
        mention = Mention.objects.create(
            **{kind: source, field: entity}, role=role, note=note.strip()
        )
        if not visible_mentions(user).filter(pk=mention.pk).exists():
            raise PermissionDenied
    return mention


# Persons -----------------------------------------------------------------------------------


@require_perm("entities.view_person")
def person_list(request):
    q = request.GET.get("q", "").strip()
    qs = search_persons(Person.objects.visible_to(request.user).current(), q)
    page = page_of(qs, request.GET.get("page"))
    for person in page.object_list:
        person.masked_id = mask_id(person.id_number)
    return render(request, "entities/person_list.html", {"page": page, "q": q})


@require_perm("entities.view_person")
def person_detail(request, pk):
    user = request.user
    person = get_object_or_404(Person.objects.visible_to(user).select_related("merged_into"), pk=pk)
    mentions = (
        visible_mentions(user)
        .filter(person=person)
        .select_related("clue", "case")
        .order_by("clue_id", "case_id", "id")
    )
    groups: dict[tuple, dict] = {}
    for mention in mentions:
        kind = "clue" if mention.clue_id else "case"
        group = groups.setdefault(
            (kind, mention.source.pk),
            {"kind": kind, "source": mention.source, "mentions": []},
        )
        group["mentions"].append(mention)
    editable = Person.objects.editable_by(user).filter(pk=person.pk).exists()
    return render(
        request,
        "entities/person_detail.html",
        {
            "person": person,
            "masked_id": mask_id(person.id_number),
            "records": Record.objects.visible_to(user).filter(person=person),
            "groups": list(groups.values()),
            "represents": Organization.objects.visible_to(user).filter(legal_representative=person),
            "merges": Merge.objects.filter(Q(survivor=person) | Q(merged=person)).select_related(
                "survivor", "merged", "by", "undone_by"
            ),
            "can_edit": editable and user.has_perm("entities.change_person"),
            "can_merge": editable
            and user.has_perm("entities.merge_person")
            and person.merged_into_id is None,
        },
    )


def _identity(data) -> Identity:
    person = Person(
        name=data["name"], former_names=data["former_names"], nicknames=data["nicknames"]
    )
    return Identity(name=data["name"], id_number=data["id_number"], aliases=tuple(person.aliases()))


@require_perm("entities.add_person")
def person_create(request):
    """A new person: first the persons already held that could be the same one, each with
    its score, tier and reasons; the user uses one of them or creates the new one anyway."""
    user = request.user
    if user.unit is None:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    source = _source(user, data)
    role = data.get("role", "")
    form = PersonForm(request.POST or None)
    matches = []
    if request.method == "POST" and request.POST.get("use"):
        person = get_object_or_404(
            Person.objects.visible_to(user).current(), pk=request.POST["use"]
        )
        return _after_person(request, person, source, role, created=False)
    if request.method == "POST" and form.is_valid():
        if not request.POST.get("confirm"):
            matches = candidates(user, _identity(form.cleaned_data))
        if not matches:
            try:
                with transaction.atomic():
                    person = form.save(commit=False)
                    person.jurisdiction = user.unit.jurisdiction
                    person.entered_by_unit = user.unit
                    person.save()
                    if not Person.objects.visible_to(user).filter(pk=person.pk).exists():
                        raise Rollback
            except Rollback:
                raise PermissionDenied from None
            return _after_person(request, person, source, role, created=True)
    return render(
        request,
        "entities/person_form.html",
        {
            "form": form,
            "matches": [(p, mask_id(p.id_number), m) for p, m in matches],
            "source_kind": source[0] if source else "",
            "source": source[1] if source else None,
            "role": role,
        },
    )


def _after_person(request, person, source, role, *, created: bool):
    if created:
        messages.success(request, _("%(name)s was entered.") % {"name": person.name})
    if source and role:
        kind, obj = source
        _add_mention(request.user, kind, obj, "person", person, role)
        messages.success(
            request,
            _("%(name)s was linked to %(number)s.") % {"name": person.name, "number": obj.number},
        )
        return redirect(_source_url(kind, obj))
    return redirect("person_detail", pk=person.pk)


@require_perm("entities.change_person")
def person_edit(request, pk):
    user = request.user
    person = get_object_or_404(Person.objects.editable_by(user).current(), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("%(name)s was saved.") % {"name": person.name})
        return redirect("person_detail", pk=person.pk)
    return render(
        request, "entities/person_form.html", {"form": form, "person": person, "matches": []}
    )


@require_perm("entities.merge_person")
def person_merge(request, pk):
    """Merge another person into this one: pick it, read the comparison, give a reason."""
    user = request.user
    others = Person.objects.editable_by(user).current()
    person = get_object_or_404(others, pk=pk)
    others = others.exclude(pk=person.pk)
    q = request.GET.get("q", "").strip()
    found = list(search_persons(others, q)[:20]) if q else []
    suggested = [] if q else candidates(user, person.identity(), exclude=[person.pk])
    other = None
    other_id = request.POST.get("other") or request.GET.get("other")
    if other_id:
        other = get_object_or_404(others, pk=other_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and other is not None and form.is_valid():
        try:
            merging.merge(person, other, by=user, reason=form.cleaned_data["reason"])
        except merging.MergeError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(merged)s was merged into %(survivor)s.")
                % {"merged": other.name, "survivor": person.name},
            )
            return redirect("person_detail", pk=person.pk)
    return render(
        request,
        "entities/person_merge.html",
        {
            "person": person,
            "masked_id": mask_id(person.id_number),
            "q": q,
            "found": [(p, mask_id(p.id_number)) for p in found],
            "suggested": [(p, mask_id(p.id_number), m) for p, m in suggested],
            "other": other,
            "other_masked_id": mask_id(other.id_number) if other else "",
            "comparison": compare(person.identity(), other.identity()) if other else None,
            "form": form,
        },
    )


@require_POST
@require_perm("entities.merge_person")
def merge_undo(request, pk):
    user = request.user
    merge = get_object_or_404(
        Merge.objects.filter(survivor__in=Person.objects.editable_by(user)).select_related(
            "survivor", "merged"
        ),
        pk=pk,
    )
    try:
        merging.unmerge(merge, by=user)
    except merging.MergeError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("person_detail", pk=merge.survivor_id)
    messages.success(
        request,
        _("The merge of %(merged)s into %(survivor)s was undone.")
        % {"merged": merge.merged.name, "survivor": merge.survivor.name},
    )
    return redirect("person_detail", pk=merge.merged_id)


# Organizations, vehicles, phones -----------------------------------------------------------

KINDS = {
    "organization": {
        "model": Organization,
        "form": OrganizationForm,
        "title": gettext_lazy("Organizations"),
        "columns": [
            (gettext_lazy("Name"), "name"),
            (gettext_lazy("Unified social credit code"), "credit_code"),
            (gettext_lazy("Kind"), "get_kind_display"),
            (gettext_lazy("Legal representative"), "legal_representative"),
        ],
        "related": ["legal_representative"],
        "search": lambda q: Q(name__contains=q) | Q(credit_code=q.upper()),
    },
    "vehicle": {
        "model": Vehicle,
        "form": VehicleForm,
        "title": gettext_lazy("Vehicles"),
        "columns": [
            (gettext_lazy("Plate number"), "plate"),
            (gettext_lazy("Description"), "description"),
        ],
        "related": [],
        "search": lambda q: Q(plate__contains=q.upper()) | Q(description__contains=q),
        "unique": "plate",
    },
    "phone": {
        "model": Phone,
        "form": PhoneForm,
        "title": gettext_lazy("Phones"),
        "columns": [(gettext_lazy("Phone number"), "number")],
        "related": [],
        "search": lambda q: Q(number__contains=q),
        "unique": "number",
    },
}


def _value(obj, attr):
    value = getattr(obj, attr)
    return value() if callable(value) else value


@login_required
def entity_list(request, kind):
    conf = KINDS[kind]
    if not request.user.has_perm(f"entities.view_{kind}"):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    qs = conf["model"].objects.visible_to(request.user).select_related(*conf["related"])
    if q:
        qs = qs.filter(conf["search"](q))
    page = page_of(qs, request.GET.get("page"))
    rows = [(obj, [_value(obj, attr) for _label, attr in conf["columns"]]) for obj in page]
    return render(
        request,
        "entities/entity_list.html",
        {
            "kind": kind,
            "title": conf["title"],
            "columns": [label for label, _attr in conf["columns"]],
            "rows": rows,
            "page": page,
            "q": q,
            "can_add": request.user.has_perm(f"entities.add_{kind}"),
            "create_url": reverse(f"{kind}_create"),
        },
    )


@login_required
def entity_create(request, kind):
    conf = KINDS[kind]
    user = request.user
    if not user.has_perm(f"entities.add_{kind}"):
        raise PermissionDenied
    if user.unit is None:
        raise PermissionDenied
    extra = {"user": user} if kind == "organization" else {}
    form = conf["form"](request.POST or None, **extra)
    if request.method == "POST" and form.is_valid():
        unique = conf.get("unique")
        visible = conf["model"].objects.visible_to(user)
        if unique and visible.filter(**{unique: form.cleaned_data[unique]}).exists():
            messages.info(
                request,
                _("%(value)s is already held.") % {"value": form.cleaned_data[unique]},
            )
            return redirect(f"{kind}_list")
        try:
            with transaction.atomic():
                obj = form.save(commit=False)
                obj.jurisdiction = user.unit.jurisdiction
                obj.entered_by_unit = user.unit
                obj.save()
                if not visible.filter(pk=obj.pk).exists():
                    raise Rollback
        except Rollback:
            raise PermissionDenied from None
        messages.success(request, _("%(name)s was entered.") % {"name": obj})
        return redirect(f"{kind}_list")
    return render(
        request,
        "entities/entity_form.html",
        {"form": form, "kind": kind, "title": conf["title"], "list_url": reverse(f"{kind}_list")},
    )


# Mentions ----------------------------------------------------------------------------------


@require_perm("entities.add_mention")
def mention_add(request):
    """Search for the entity a clue or case mentions, then link it in a role."""
    user = request.user
    data = request.POST if request.method == "POST" else request.GET
    source = _source(user, data)
    if source is None:
        raise Http404
    kind, obj = source
    if request.method == "POST":
        form = MentionForm(request.POST)
        if not form.is_valid():
            raise Http404
        d = form.cleaned_data
        model = ENTITY_MODELS[d["kind"]]
        entities = model.objects.visible_to(user)
        if model is Person:
            entities = entities.current()
        entity = get_object_or_404(entities, pk=d["entity"])
        _add_mention(user, kind, obj, d["kind"], entity, d["role"], d["note"])
        messages.success(
            request,
            _("%(name)s was linked to %(number)s.") % {"name": entity, "number": obj.number},
        )
        return redirect(_source_url(kind, obj))
    search = MentionSearchForm(request.GET)
    search.fields["role"].choices = role_choices(user)
    results = []
    if search.is_valid():
        results = list(
            find_entities(search.cleaned_data["kind"], user, search.cleaned_data["q"])[:20]
        )
        for entity in results:
            entity.masked_id = mask_id(getattr(entity, "id_number", ""))
    return render(
        request,
        "entities/mention_add.html",
        {
            "search": search,
            "results": results,
            "source_kind": kind,
            "source": obj,
            "entity_kind": search.cleaned_data.get("kind", "") if search.is_valid() else "",
            "role": search.cleaned_data.get("role", "") if search.is_valid() else "",
        },
    )


@require_POST
@require_perm("entities.delete_mention")
def mention_remove(request, pk):
    mention = get_object_or_404(
        visible_mentions(request.user).select_related("clue", "case"), pk=pk
    )
    kind = "clue" if mention.clue_id else "case"
    source = mention.source
    with transaction.atomic():
        mention.delete()
    messages.success(request, _("The link was removed."))
    return redirect(_source_url(kind, source))
